package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.examples.CheckoutService.CheckoutRequest;
import dev.traceunit.examples.CheckoutService.CheckoutResponse;
import dev.traceunit.junit.TraceExtension;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceExtension.class)
class CheckoutTest {

  private static final Duration LATENCY = Duration.ofMillis(120);

  private static CheckoutService checkout(MockClock clock, PaymentGateway gateway) {
    PaymentClient payments =
        new PaymentClient(gateway, clock.scheduler(), 3, Duration.ofMillis(100), Duration.ofSeconds(2));
    return new CheckoutService(payments, clock);
  }

  @Test
  void aHealthyPaymentIsChargedOnceInsideTheRequestSpan(Spans spans, MockClock clock) {
    CompletableFuture<CheckoutResponse> response =
        checkout(clock, new FlakyGateway(clock, LATENCY, 0)).handle(new CheckoutRequest("42", 1999));

    clock.runDueTasks(); // the client's thread makes the call

    assertThat(response.join().status()).isEqualTo(200);
    assertThat(spans).hasRootSpan("POST /checkout")
        .hasKind(SpanKind.SERVER)
        .hasAttribute("http.status_code", 200)
        .hasChildrenNamed("payment.charge")
        .child("payment.charge")
        .hasKind(SpanKind.CLIENT)
        .hasAttribute("payment.id", "pay-42-1")
        .hasDuration(LATENCY)
        .hasNoEvents()
        .isOk();
  }

  @Test
  void aFlakyPaymentIsRetriedWithExponentialBackoff(Spans spans, MockClock clock) {
    CompletableFuture<CheckoutResponse> response =
        checkout(clock, new FlakyGateway(clock, LATENCY, 2)).handle(new CheckoutRequest("42", 1999));

    clock.advanceTime(Duration.ofSeconds(1)); // runs the retries due at +220 ms and +540 ms

    assertThat(response).isCompletedWithValue(
        new CheckoutResponse(200, "pay-42-3", Instant.parse("2000-01-01T00:00:00.660Z")));
    assertThat(spans).hasTreeShape("""
        POST /checkout [server]
          payment.charge [client]
          payment.charge [client]
          payment.charge [client]
        """);
    assertThat(spans).hasRootSpan("POST /checkout").hasDuration(Duration.ofMillis(660)).isOk();
    assertThat(spans).hasRootSpan("POST /checkout").child("payment.charge", 0)
        .hasAttribute("attempt", 1)
        .startedAt(Duration.ZERO)
        .hasError(IOException.class)
        .event("retry.scheduled").hasOffset(LATENCY).hasAttribute("delay_ms", 100);
    assertThat(spans).hasRootSpan("POST /checkout").child("payment.charge", 1)
        .hasAttribute("attempt", 2)
        .startedAt(Duration.ofMillis(220)) // 120 ms call + 100 ms backoff
        .event("retry.scheduled").hasAttribute("delay_ms", 200);
    assertThat(spans).hasRootSpan("POST /checkout").child("payment.charge", 2)
        .hasAttribute("attempt", 3)
        .startedAt(Duration.ofMillis(540)) // + 120 ms call + 200 ms backoff
        .hasDuration(LATENCY)
        .hasAttribute("payment.id", "pay-42-3")
        .isOk();
  }

  @Test
  void theRetriesReadAsOneReviewedSnapshot(Spans spans, MockClock clock) {
    checkout(clock, new FlakyGateway(clock, LATENCY, 2)).handle(new CheckoutRequest("42", 1999));

    clock.advanceTime(Duration.ofSeconds(1));

    // The file under src/test/resources/traceunit-snapshots holds every span, attribute and event.
    assertThat(spans).matchesSnapshot();
  }

  @Test
  void aPaymentThatKeepsFailingAnswers502AndRecordsEveryError(Spans spans, MockClock clock) {
    CompletableFuture<CheckoutResponse> response =
        checkout(clock, new FlakyGateway(clock, LATENCY, 5)).handle(new CheckoutRequest("42", 1999));

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(response.join().status()).isEqualTo(502);
    assertThat(spans).spansNamed("payment.charge").hasSize(3)
        .allSpansSatisfy(call -> call.isError().hasErrorMessage("connection reset by peer"));
    assertThat(spans).hasRootSpan("POST /checkout")
        .isError()
        .hasError(PaymentFailedException.class)
        .hasErrorMessage("payment for order 42 failed after 3 attempts")
        .hasAttribute("http.status_code", 502)
        .hasEvent("exception")
        .child("payment.charge", 2).doesNotHaveAttribute("payment.id").hasEventsNamed("exception"); // no retry after the last
  }

  @Test
  void aPaymentSlowerThanTheDeadlineAnswers504AfterTwoSeconds(Spans spans, MockClock clock) {
    CompletableFuture<CheckoutResponse> response =
        checkout(clock, new FlakyGateway(clock, Duration.ofSeconds(3), 0)).handle(new CheckoutRequest("42", 1999));

    clock.advanceTime(Duration.ofSeconds(2));

    assertThat(response.join().status()).isEqualTo(504);
    assertThat(spans).hasRootSpan("POST /checkout")
        .hasDuration(Duration.ofSeconds(2))
        .hasError(TimeoutException.class)
        .hasErrorMessage("no payment within 2000 ms")
        .hasAttribute("http.status_code", 504);
    // The call itself went on until the provider answered, after the response was sent.
    assertThat(spans).hasSpan("payment.charge").hasDuration(Duration.ofSeconds(3)).isOk();
  }
}
