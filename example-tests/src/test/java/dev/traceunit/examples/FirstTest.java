package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Spans;
import dev.traceunit.examples.CheckoutService.CheckoutRequest;
import dev.traceunit.junit.TraceExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first test of docs/example-application.md, word for word. */
@ExtendWith(TraceExtension.class)
class FirstTest {
  @Test
  void aFlakyPaymentIsRetriedOnce(Spans spans, MockClock clock) {
    var gateway = new FlakyGateway(clock, Duration.ofMillis(120), 1); // fails once, 120 ms a call
    var payments = new PaymentClient(gateway, clock.scheduler(), 3, Duration.ofMillis(100), Duration.ofSeconds(2));
    new CheckoutService(payments, clock).handle(new CheckoutRequest("42", 1999));
    clock.advanceTime(Duration.ofSeconds(1)); // runs the call, then the retry 100 ms after it failed
    assertThat(spans).hasRootSpan("POST /checkout")
        .hasChildrenNamed("payment.charge", "payment.charge")
        .child("payment.charge", 1).startedAt(Duration.ofMillis(220)).isOk();
  }
}
