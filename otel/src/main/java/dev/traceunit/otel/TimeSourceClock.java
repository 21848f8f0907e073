package dev.traceunit.otel;

import dev.traceunit.core.TimeSource;
import io.opentelemetry.sdk.common.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * An OpenTelemetry {@link Clock} reading a traceunit {@link TimeSource}: under a test's mock clock,
 * every OpenTelemetry timestamp is deterministic.
 *
 * <pre>{@code
 * SdkTracerProvider.builder().setClock(TimeSourceClock.of(collector.timeSource()))
 * }</pre>
 */
public final class TimeSourceClock implements Clock {

  private final TimeSource timeSource;

  private TimeSourceClock(TimeSource timeSource) {
    this.timeSource = timeSource;
  }

  /**
   * {@return a clock whose wall time is {@link TimeSource#now()} and whose nano time is {@link TimeSource#nanoTime()}}
   *
   * @param timeSource the time source to read
   */
  public static TimeSourceClock of(TimeSource timeSource) {
    return new TimeSourceClock(Objects.requireNonNull(timeSource, "timeSource"));
  }

  /** The wall time in nanoseconds since the epoch. */
  @Override
  public long now() {
    return epochNanos(timeSource.now());
  }

  /** Monotonic time in nanoseconds, only meaningful as a difference. */
  @Override
  public long nanoTime() {
    return timeSource.nanoTime();
  }

  private static long epochNanos(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos);
  }

  @Override
  public String toString() {
    return "TimeSourceClock(" + timeSource + ")";
  }
}
