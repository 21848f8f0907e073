package dev.traceunit.core;

import java.time.Instant;

/** The system clocks; the collector derives wall time from the monotonic clock for speed. */
final class SystemTimeSource implements TimeSource {
  static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private SystemTimeSource() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }
}
