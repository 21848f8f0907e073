package dev.traceunit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where a collector reads time: a monotonic nanosecond counter for durations and a wall clock for
 * timestamps. Production code that measures or waits through {@link Tracing#time()} is
 * deterministic under a test's mock clock.
 *
 * <pre>{@code
 * MockClock clock = MockClock.create();
 * SpanCollector collector =
 *     new SpanCollector(TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
 * }</pre>
 */
public interface TimeSource {

  /** {@return monotonic time in nanoseconds; only differences are meaningful} */
  long nanoTime();

  /** {@return the current wall-clock instant} */
  Instant now();

  /**
   * The system's clocks: {@link System#nanoTime()} and {@link Instant#now()}.
   *
   * @return the system's time source
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }

  /**
   * A time source reading the two given suppliers.
   *
   * @param nanoTime monotonic nanoseconds
   * @param now the wall-clock instant
   * @return the time source
   */
  static TimeSource of(LongSupplier nanoTime, Supplier<Instant> now) {
    Objects.requireNonNull(nanoTime, "nanoTime");
    Objects.requireNonNull(now, "now");
    return new TimeSource() {
      @Override
      public long nanoTime() {
        return nanoTime.getAsLong();
      }

      @Override
      public Instant now() {
        return now.get();
      }
    };
  }
}
