package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans, events and errors recorded at explicit wall-clock times, as a bridged tracer reports them. */
class ExplicitTimeTest {

  private final FakeTime time = new FakeTime();
  private final SpanCollector collector = FakeTime.collector(time);
  private Scope scope;

  @BeforeEach
  void activate() {
    time.advanceMillis(1_000);
    scope = collector.activate();
  }

  @AfterEach
  void deactivate() {
    scope.close();
  }

  private RecordedSpan only(String name) {
    List<RecordedSpan> spans = collector.snapshot().named(name);
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  @Test
  void aSpanStartedAtAnEarlierWallTimeIsPlacedThatMuchEarlierInTheTrace() {
    Instant started = time.now().minusMillis(300);
    SpanHandle span = Tracing.span("request").startTime(started).startAsync();
    time.advanceMillis(200);
    span.end();

    RecordedSpan recorded = only("request");
    assertThat(recorded.startTime()).isEqualTo(started);
    assertThat(recorded.startOffset()).isEqualTo(Duration.ofMillis(700));
    assertThat(recorded.duration()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void endAtAWallTimeSetsTheDurationFromTheWallStart() {
    Instant started = time.now();
    SpanHandle span = Tracing.startAsync("batch");
    time.advanceMillis(5_000);
    span.end(started.plusSeconds(3));

    RecordedSpan recorded = only("batch");
    assertThat(recorded.ended()).isTrue();
    assertThat(recorded.duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(recorded.endOffset()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void anEndTimeBeforeTheStartGivesAZeroDurationNotANegativeOne() {
    SpanHandle span = Tracing.startAsync("odd");
    span.end(time.now().minusSeconds(5));

    assertThat(only("odd").duration()).isZero();
  }

  @Test
  void endingAtAnExplicitTimeTwiceIsAProblemAndKeepsTheFirstEnd() {
    Instant started = time.now();
    SpanHandle span = Tracing.startAsync("twice");
    time.advanceMillis(30);
    span.end(started.plusMillis(10));
    span.end(started.plusMillis(20));

    assertThat(only("twice").duration()).isEqualTo(Duration.ofMillis(10));
    assertThat(collector.snapshot().problems()).extracting(Problem::code).containsExactly(ProblemCode.SPAN_ENDED_TWICE);
  }

  @Test
  void anEventAtAnExplicitTimeKeepsThatTimeAndItsOffsetFromTheSpanStart() {
    Instant started = time.now();
    try (SpanHandle span = Tracing.start("download")) {
      time.advanceMillis(500);
      span.event("first.byte", Map.of("bytes", 1), started.plusMillis(120));
      span.event("now", null, null);
    }

    RecordedSpan recorded = only("download");
    assertThat(recorded.events()).extracting(SpanEvent::name).containsExactly("first.byte", "now");
    SpanEvent first = recorded.events().get(0);
    assertThat(first.time()).isEqualTo(started.plusMillis(120));
    assertThat(first.offset()).isEqualTo(Duration.ofMillis(120));
    assertThat(first.attributes()).containsEntry("bytes", 1L);
    assertThat(recorded.events().get(1).offset()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void anErrorAtAnExplicitTimeRecordsTheExceptionEventAtThatTime() {
    Instant started = time.now();
    try (SpanHandle span = Tracing.start("call")) {
      time.advanceMillis(50);
      span.error(new IOException("reset"), started.plusMillis(30));
    }

    RecordedSpan recorded = only("call");
    assertThat(recorded.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(recorded.error().type()).isEqualTo("java.io.IOException");
    SpanEvent exception = recorded.events().get(0);
    assertThat(exception.name()).isEqualTo("exception");
    assertThat(exception.offset()).isEqualTo(Duration.ofMillis(30));
    assertThat(exception.attributes()).containsEntry("exception.message", "reset");
  }

  @Test
  void explicitTimesOnTheSystemClockWithinItsRangeAreKept() {
    SpanCollector system = new SpanCollector();
    Instant started;
    try (Scope ignored = system.activate()) {
      started = Instant.now();
      SpanHandle span = Tracing.span("now").startTime(started).startAsync();
      span.event("tick", Map.of(), started);
      span.end(started);
    }
    RecordedSpan recorded = system.snapshot().named("now").get(0);
    assertThat(recorded.startTime()).isEqualTo(started);
    assertThat(recorded.duration()).isZero();
    assertThat(recorded.events().get(0).offset()).isZero();
    assertThat(recorded.attributes()).isEmpty();
  }

  @Test
  void aStartTimeLaterThanTheClockIsReplacedByTheClocksTimeAndNoted() {
    Instant future = time.now().plus(Duration.ofDays(365 * 27));
    SpanHandle span = Tracing.span("connect").startTime(future).startAsync();
    time.advanceMillis(20);
    span.end();

    RecordedSpan recorded = only("connect");
    assertThat(recorded.startTime()).isEqualTo(FakeTime.START.plusSeconds(1));
    assertThat(recorded.startOffset()).isEqualTo(Duration.ofSeconds(1));
    assertThat(recorded.duration()).isEqualTo(Duration.ofMillis(20));
    assertThat(recorded.attributes()).containsExactly(Map.entry("traceunit.clock.start",
        "given " + future + ", used 2000-01-01T00:00:01Z (the clock's time then)"));
    assertThat(collector.snapshot().problems()).isEmpty();
  }

  @Test
  void aStartTimeBeforeTheTracesEpochIsReplacedByTheClocksTime() {
    Instant before = FakeTime.START.minusMillis(1);
    SpanHandle span = Tracing.span("early").startTime(before).startAsync();
    span.end();

    RecordedSpan recorded = only("early");
    assertThat(recorded.startOffset()).isEqualTo(Duration.ofSeconds(1));
    assertThat(recorded.attributes()).containsEntry("traceunit.clock.start",
        "given 1999-12-31T23:59:59.999Z, used 2000-01-01T00:00:01Z (the clock's time then)");
  }

  @Test
  void anEventOrEndLaterThanTheClockUsesTheClocksTimeAndNotesWhatWasGiven() {
    Instant wall = Instant.parse("2027-11-21T10:00:00Z");
    try (SpanHandle span = Tracing.start("call")) {
      time.advanceMillis(40);
      span.event("connection.failed", Map.of("host", "127.0.0.1"), wall);
      span.error(new IOException("refused"), wall);
      time.advanceMillis(10);
      span.end(wall);
    }

    RecordedSpan recorded = only("call");
    String note = "given 2027-11-21T10:00:00Z, used 2000-01-01T00:00:01.040Z (the clock's time then)";
    assertThat(recorded.events()).extracting(SpanEvent::offset).containsOnly(Duration.ofMillis(40));
    assertThat(recorded.events().get(0).attributes())
        .containsExactly(Map.entry("host", "127.0.0.1"), Map.entry("traceunit.clock", note));
    assertThat(recorded.events().get(1).attributes()).containsEntry("traceunit.clock", note);
    assertThat(recorded.duration()).isEqualTo(Duration.ofMillis(50));
    assertThat(recorded.attributes()).containsExactly(Map.entry("traceunit.clock.end",
        "given 2027-11-21T10:00:00Z, used 2000-01-01T00:00:01.050Z (the clock's time then)"));
    assertThat(collector.snapshot().render()).contains("traceunit.clock.end=");
  }

  @Test
  void wallTimesCenturiesAwayAreReplacedByTheClocksTime() {
    SpanHandle span = Tracing.span("far").startTime(Instant.MIN).startAsync();
    time.advanceMillis(7);
    span.end(Instant.MAX);

    RecordedSpan recorded = only("far");
    assertThat(recorded.ended()).isTrue();
    assertThat(recorded.startOffset()).isEqualTo(Duration.ofSeconds(1));
    assertThat(recorded.duration()).isEqualTo(Duration.ofMillis(7));
    assertThat(recorded.attributes()).containsOnlyKeys("traceunit.clock.start", "traceunit.clock.end");
  }

  @Test
  void theNoOpHandleAcceptsExplicitTimesAndRecordsNothing() {
    scope.close();
    SpanHandle span = Tracing.span("ignored").startTime(Instant.EPOCH).startAsync();
    span.event("e", Map.of(), Instant.EPOCH).error(new IOException("x"), Instant.EPOCH);
    span.end(Instant.EPOCH);
    scope = collector.activate();

    assertThat(span.isRecording()).isFalse();
    assertThat(collector.size()).isZero();
  }
}
