package dev.traceunit.examples;

import dev.traceunit.clock.MockClock;
import java.io.IOException;
import java.time.Duration;

/** A payment provider that takes {@code latency} of mock time per call and fails the first calls. */
final class FlakyGateway implements PaymentGateway {

  private final MockClock clock;
  private final Duration latency;
  private final int failures;
  private int calls;

  FlakyGateway(MockClock clock, Duration latency, int failures) {
    this.clock = clock;
    this.latency = latency;
    this.failures = failures;
  }

  @Override
  public Receipt charge(String orderId, long amountCents) throws IOException {
    calls++;
    clock.advanceTime(latency); // the call takes this long
    if (calls <= failures) {
      throw new IOException("connection reset by peer");
    }
    return new Receipt("pay-" + orderId + "-" + calls);
  }
}
