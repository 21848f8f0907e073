package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Spans;
import dev.traceunit.examples.CheckoutService.CheckoutRequest;
import dev.traceunit.junit.TraceExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails on purpose, to show what failures look like: it expects one retry where the payment
 * provider needs two, and compares with a snapshot taken when the provider failed once. {@code ./mvnw verify} does not run it; the {@code demo} profile does.
 */
@ExtendWith(TraceExtension.class)
class CheckoutFailureDemo {

  @Test
  void aFlakyPaymentIsRetriedOnce(Spans spans, MockClock clock) {
    PaymentClient payments = new PaymentClient(new FlakyGateway(clock, Duration.ofMillis(120), 2),
        clock.scheduler(), 3, Duration.ofMillis(100), Duration.ofSeconds(2));
    new CheckoutService(payments, clock).handle(new CheckoutRequest("42", 1999));

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(spans).hasRootSpan("POST /checkout")
        .hasChildrenNamed("payment.charge", "payment.charge"); // wrong: the provider failed twice
  }

  @Test
  void aSnapshotShowsWhatChanged(Spans spans, MockClock clock) {
    // Its snapshot was taken when the provider failed once; now it fails twice.
    PaymentClient payments = new PaymentClient(new FlakyGateway(clock, Duration.ofMillis(120), 2),
        clock.scheduler(), 3, Duration.ofMillis(100), Duration.ofSeconds(2));
    new CheckoutService(payments, clock).handle(new CheckoutRequest("42", 1999));

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(spans).matchesSnapshot();
  }
}
