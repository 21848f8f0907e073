package dev.traceunit.assertions;

import dev.traceunit.core.Limits;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Deterministic traces for the tests: a real collector on a fake clock that only moves when told. */
final class Checkout {

  final AtomicLong nanos = new AtomicLong();
  final SpanCollector collector = new SpanCollector("t-test",
      TimeSource.of(nanos::get, () -> Instant.parse("2000-01-01T00:00:00Z").plusNanos(nanos.get())),
      Limits.defaults());

  void advance(long millis) {
    nanos.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  /** Runs the work with this collector active on the calling thread. */
  Checkout record(Runnable work) {
    try (Scope scope = collector.activate()) {
      work.run();
    }
    return this;
  }

  /**
   * <pre>
   * server checkout        +0ms     2120ms  order=42
   * ├─ client payment.call +10ms    120ms   attempt=1  ERROR IOException: reset
   * │  ├─ event retry.scheduled +120ms delay=2s
   * │  └─ event exception ...
   * ├─ client payment.call +2010ms  100ms   attempt=2  amount=19.99
   * ├─ internal model.switch +2110ms marker model=small
   * └─ internal receipt    +2110ms  5ms
   * </pre>
   */
  static Checkout recorded() {
    Checkout checkout = new Checkout();
    return checkout.record(checkout::run);
  }

  private void run() {
    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      checkout.attribute("order", 42);
      advance(10);
      try (SpanHandle call = Tracing.start(SpanKind.CLIENT, "payment.call")) {
        call.attribute("attempt", 1);
        advance(120);
        call.event("retry.scheduled", Map.of("delay", "2s"));
        call.error(new IOException("reset"));
      }
      advance(1880);
      try (SpanHandle call = Tracing.start(SpanKind.CLIENT, "payment.call")) {
        call.attribute("attempt", 2);
        call.attribute("amount", 19.99);
        advance(100);
      }
      Tracing.marker("model.switch", Map.of("model", "small"));
      Tracing.run("receipt", () -> advance(5));
    }
  }
}
