package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Snapshots reuse the copy of an ended span, and any later change to the span shows in the next one. */
class RepeatedSnapshotTest {

  private final FakeTime time = new FakeTime();
  private SpanCollector collector = FakeTime.collector(time);

  private SpanHandle endedSpan() {
    try (Scope scope = collector.activate()) {
      SpanHandle span = Tracing.startAsync("chat");
      span.attribute("model", "small");
      span.end();
      return span;
    }
  }

  private RecordedSpan onlySpan() {
    return collector.snapshot().spans().get(0);
  }

  @Test
  void anEndedSpanThatDidNotChangeIsCopiedOnce() {
    endedSpan();
    assertThat(onlySpan()).isSameAs(onlySpan());
  }

  @Test
  void anOpenSpanIsCopiedAnewWithItsDurationSoFar() {
    try (Scope scope = collector.activate()) {
      Tracing.startAsync("open");
    }
    RecordedSpan first = onlySpan();
    time.advanceMillis(5);
    assertThat(onlySpan().duration()).isGreaterThan(first.duration());
  }

  @Test
  void aLateAttributeShowsInTheNextSnapshot() {
    assertChangeShows(span -> span.attributeIfAbsent("first_token_ms", 120),
        recorded -> assertThat(recorded.attributes()).containsEntry("first_token_ms", 120L));
  }

  @Test
  void anUpdatedAttributeShowsInTheNextSnapshot() {
    assertChangeShows(span -> span.attribute("model", "large"),
        recorded -> assertThat(recorded.attributes()).containsEntry("model", "large"));
  }

  @Test
  void aLateEventShowsInTheNextSnapshot() {
    assertChangeShows(span -> span.event("late"),
        recorded -> assertThat(recorded.events()).extracting(SpanEvent::name).containsExactly("late"));
  }

  @Test
  void aRenameShowsInTheNextSnapshot() {
    assertChangeShows(span -> span.rename("chat.completion"),
        recorded -> assertThat(recorded.name()).isEqualTo("chat.completion"));
  }

  @Test
  void aLateStatusOrErrorShowsInTheNextSnapshot() {
    assertChangeShows(span -> span.status(SpanStatus.OK),
        recorded -> assertThat(recorded.status()).isEqualTo(SpanStatus.OK));
    assertChangeShows(span -> span.error(new IOException("reset")),
        recorded -> assertThat(recorded.error().type()).isEqualTo(IOException.class.getName()));
  }

  @Test
  void anEarlierCopyKeepsItsAttributesWhileTheSpanChangesThemLater() {
    SpanHandle span = endedSpan();
    RecordedSpan first = onlySpan();
    span.attribute("tokens", 7);
    RecordedSpan second = onlySpan();
    span.attribute("model", "large");
    span.attribute("model", "huge");
    span.attributeIfAbsent("tokens", 8);
    span.attribute("retries", 1);
    assertThat(first.attributes()).containsExactly(entry("model", "small"));
    assertThat(second.attributes()).containsExactly(entry("model", "small"), entry("tokens", 7L));
    assertThat(onlySpan().attributes()).containsExactly(entry("model", "huge"), entry("tokens", 7L),
        entry("retries", 1L));
  }

  private void assertChangeShows(Consumer<SpanHandle> change, Consumer<RecordedSpan> expectation) {
    collector = FakeTime.collector(time);
    SpanHandle span = endedSpan();
    RecordedSpan before = onlySpan();
    change.accept(span);
    RecordedSpan after = onlySpan();
    assertThat(after).isNotSameAs(before);
    expectation.accept(after);
  }

  @Test
  void aFinishedCollectorNoLongerHoldsTheSpansItRecordedOnlyTheirCopies() {
    java.lang.ref.WeakReference<SpanHandle> recording = new java.lang.ref.WeakReference<>(endedSpan());
    Trace trace = collector.finish();
    // An explicit collection clears weak references to what it finds unreachable before it returns.
    for (int i = 0; i < 10 && recording.get() != null; i++) {
      System.gc();
    }
    assertThat(recording.get()).as("the span being recorded, after finish").isNull();
    assertThat(collector.snapshot()).isSameAs(trace);
    assertThat(trace.spans()).singleElement().satisfies(span -> assertThat(span.attributes()).containsEntry("model", "small"));
  }

  @Test
  void spansCopiedAtOneMomentOfTheClockShareTheirStartTimeAndOffset() {
    time.advanceMillis(7);
    try (Scope scope = collector.activate()) {
      Tracing.startAsync("first").end();
      Tracing.startAsync("second").end();
    }
    RecordedSpan first = collector.snapshot().spans().get(0);
    RecordedSpan second = collector.snapshot().spans().get(1);
    assertThat(second.startTime()).isEqualTo(first.startTime()).isSameAs(first.startTime());
    assertThat(second.startOffset()).isEqualTo(java.time.Duration.ofMillis(7)).isSameAs(first.startOffset());
  }

  @Test
  void aSnapshotOfATraceThatDidNotChangeIsTheSameTraceAndAnyChangeMakesANewOne() {
    SpanHandle span = endedSpan();
    Trace first = collector.snapshot();
    assertThat(collector.snapshot()).isSameAs(first);
    span.attribute("late", 1L);
    Trace second = collector.snapshot();
    assertThat(second).isNotSameAs(first);
    assertThat(second.spans().get(0).attributes()).containsEntry("late", 1L);
    assertThat(collector.snapshot()).isSameAs(second);
    span.end(); // ended twice: a problem, and no span changed
    Trace third = collector.snapshot();
    assertThat(third).isNotSameAs(second);
    assertThat(third.problems()).extracting(Problem::code).containsExactly(ProblemCode.SPAN_ENDED_TWICE);
    try (Scope scope = collector.activate()) {
      Tracing.startAsync("another").end();
    }
    assertThat(collector.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("chat", "another");
  }
}
