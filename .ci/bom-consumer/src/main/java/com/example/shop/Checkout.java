package com.example.shop;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.time.Clock;

/** Production code: records through traceunit-core only. */
public final class Checkout {

  private final Clock clock;

  public Checkout(Clock clock) {
    this.clock = clock;
  }

  public long handle(String orderId) {
    try (SpanHandle span = Tracing.start(SpanKind.SERVER, "POST /checkout")) {
      span.attribute("order.id", orderId);
      Tracing.run("payment.charge", () -> {});
      return clock.millis();
    }
  }
}
