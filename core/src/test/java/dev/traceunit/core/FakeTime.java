package dev.traceunit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A time source the test moves by hand: wall time follows monotonic time from 2000-01-01. */
final class FakeTime implements TimeSource {
  static final Instant START = Instant.parse("2000-01-01T00:00:00Z");
  private final AtomicLong nanos = new AtomicLong();

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return START.plusNanos(nanos.get());
  }

  static SpanCollector collector(FakeTime time) {
    return new SpanCollector("t-0001", time, Limits.defaults());
  }
}
