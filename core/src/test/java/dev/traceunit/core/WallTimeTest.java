package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Wall times under a time source other than the system clock (a test's mock clock): derived from
 * the trace's epoch while the source's wall time follows its monotonic time, and the source's own
 * wall time where it does not (stepped, or moving on each read).
 */
class WallTimeTest {

  /** Monotonic time moved by hand; wall time follows it, plus an offset a test can step. */
  private static class SteppableTime implements TimeSource {
    long nanos;
    Duration step = Duration.ZERO;

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public Instant now() {
      return FakeTime.START.plusNanos(nanos).plus(step);
    }
  }

  @Test
  void spansAndEventsFollowAWallTimeSteppedDuringTheTest() {
    SteppableTime time = new SteppableTime();
    SpanCollector collector = new SpanCollector("t-wall", time, Limits.defaults());
    try (Scope scope = collector.activate()) {
      time.nanos = 1_000_000;
      Tracing.start("before").event("early").close();
      time.step = Duration.ofHours(-1); // the test sets the clock's wall time back
      time.nanos = 2_000_000;
      try (SpanHandle after = Tracing.start("after")) {
        time.nanos = 3_000_000;
        after.event("late");
      }
    }
    Trace trace = collector.finish();
    RecordedSpan before = trace.spans().get(0);
    RecordedSpan after = trace.spans().get(1);
    assertThat(before.startTime()).isEqualTo(FakeTime.START.plusMillis(1));
    assertThat(before.events().get(0).time()).isEqualTo(FakeTime.START.plusMillis(1));
    assertThat(after.startTime()).isEqualTo(FakeTime.START.plusMillis(2).minus(Duration.ofHours(1)));
    assertThat(after.events().get(0).time()).isEqualTo(FakeTime.START.plusMillis(3).minus(Duration.ofHours(1)));
    assertThat(after.startOffset()).isEqualTo(Duration.ofMillis(2)); // offsets stay monotonic
  }

  @Test
  void aWallTimeThatMovesOnEachReadIsKeptAsRead() {
    SteppableTime time = new SteppableTime() {
      @Override
      public Instant now() {
        step = step.plusMillis(5); // like a clock that auto-advances on every read
        return super.now();
      }
    };
    SpanCollector collector = new SpanCollector("t-wall", time, Limits.defaults());
    try (Scope scope = collector.activate()) {
      Tracing.start("a").close();
      Tracing.start("b").close();
    }
    Trace trace = collector.finish();
    // The epoch read took the first 5 ms step; each span's own read took one more.
    assertThat(trace.spans()).extracting(RecordedSpan::startTime)
        .containsExactly(FakeTime.START.plusMillis(10), FakeTime.START.plusMillis(15));
  }

  @Test
  void theSystemClocksWallTimeIsNeverReadPerSpan() {
    SpanCollector collector = new SpanCollector();
    Instant before = Instant.now();
    try (Scope scope = collector.activate()) {
      Tracing.start("a").event("e").close();
    }
    RecordedSpan span = collector.finish().spans().get(0);
    assertThat(span.startTime()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(span.events().get(0).time()).isEqualTo(span.startTime().plus(span.events().get(0).offset()));
  }
}
