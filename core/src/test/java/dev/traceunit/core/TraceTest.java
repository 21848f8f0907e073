package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceTest {

  private static RecordedSpan span(long id, long parent, String name, long startMillis) {
    return new RecordedSpan("t-1", id, parent, SpanKind.INTERNAL, name, Duration.ofMillis(startMillis),
        Instant.EPOCH.plusMillis(startMillis), Duration.ZERO, true, false, Map.of(), List.of(), List.of(),
        SpanStatus.UNSET, null, "main", 0, 0, 0);
  }

  @Test
  void childrenAreOrderedByStartThenIdAndPathsIndexSameNamedSiblings() {
    Trace trace = Trace.of("t-1", List.of(span(3, 1, "call", 5), span(1, 0, "root", 0), span(2, 1, "call", 5),
        span(4, 1, "other", 1)), List.of(), 0);
    RecordedSpan root = trace.byId(1).orElseThrow();
    assertThat(trace.children(root)).extracting(RecordedSpan::spanId).containsExactly(4L, 2L, 3L);
    assertThat(trace.path(trace.byId(3).orElseThrow())).isEqualTo("root > call[1]");
    assertThat(trace.path(trace.byId(4).orElseThrow())).isEqualTo("root > other");
  }

  @Test
  void aSpanWhoseParentIsMissingIsShownAsARoot() {
    Trace trace = Trace.of("t-1", List.of(span(5, 99, "orphan", 0)), List.of(), 0);
    assertThat(trace.roots()).extracting(RecordedSpan::name).containsExactly("orphan");
    assertThat(trace.parent(trace.byId(5).orElseThrow())).isEmpty();
  }

  @Test
  void duplicateIdsAreRejectedNamingBothSpans() {
    assertThatThrownBy(() -> Trace.of("t-1", List.of(span(1, 0, "a", 0), span(1, 0, "b", 1)), List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("span id 1 appears twice in trace t-1: 'a' and 'b'");
  }

  @Test
  void aSpanFromAnotherTraceIsRejected() {
    Trace trace = Trace.of("t-1", List.of(span(1, 0, "a", 0)), List.of(), 0);
    assertThatThrownBy(() -> trace.children(span(1, 0, "not.a", 0)))
        .hasMessage("span 1 'not.a' is not part of trace t-1");
  }

  @Test
  void tracesWithTheSameContentAreEqual() {
    Trace one = Trace.of("t-1", List.of(span(1, 0, "a", 0)), List.of(new Problem(ProblemCode.SPAN_NOT_ENDED, "x", 1, null)), 2);
    Trace two = Trace.of("t-1", List.of(span(1, 0, "a", 0)), List.of(new Problem(ProblemCode.SPAN_NOT_ENDED, "x", 1, null)), 2);
    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isNotEqualTo(Trace.of("t-1", List.of(span(1, 0, "a", 0)), List.of(), 2));
    assertThat(one.toString()).isEqualTo(one.render());
  }

  @Test
  void recordedValuesAreImmutable() {
    RecordedSpan recorded = span(1, 0, "a", 0);
    assertThatThrownBy(() -> recorded.attributes().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> recorded.events().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void childAndNameListsAreReadOnlyAndInStartOrder() {
    Trace trace = Trace.of("t-1", List.of(span(1, 0, "root", 0), span(3, 1, "call", 2), span(2, 1, "call", 1)),
        List.of(), 0);
    List<RecordedSpan> children = trace.children(trace.byId(1).orElseThrow());
    assertThat(children).extracting(RecordedSpan::spanId).containsExactly(2L, 3L);
    assertThat(trace.named("call")).isEqualTo(children);
    assertThat(trace.children(trace.byId(2).orElseThrow())).isEmpty();
    assertThatThrownBy(() -> children.add(children.get(0))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> trace.named("call").clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> children.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void sparseIdsAreIndexedLikeDenseOnes() {
    Trace trace = Trace.of("t-1", List.of(span(1_000_000_000L, 0, "root", 0), span(7, 1_000_000_000L, "child", 1),
        span(-3, 0, "negative", 2)), List.of(), 0);
    assertThat(trace.parent(trace.byId(7).orElseThrow())).map(RecordedSpan::name).hasValue("root");
    assertThat(trace.roots()).extracting(RecordedSpan::name).containsExactly("root", "negative");
    assertThat(trace.byId(8)).isEmpty();
    assertThatThrownBy(() -> Trace.of("t-1", List.of(span(-3, 0, "a", 0), span(-3, 0, "b", 1)), List.of(), 0))
        .hasMessage("span id -3 appears twice in trace t-1: 'a' and 'b'");
  }

  @Test
  void idsAboveTheSpanCountAreIndexedWhetherTheArrayGrowsOrAMapTakesOver() {
    Trace grown = Trace.of("t-1", List.of(span(1, 0, "root", 0), span(1000, 1, "far", 1)), List.of(), 0);
    assertThat(grown.parent(grown.byId(1000).orElseThrow())).map(RecordedSpan::name).hasValue("root");
    assertThat(grown.byId(999)).isEmpty();
    assertThat(grown.byId(1001)).isEmpty();
    Trace switched = Trace.of("t-1", List.of(span(1000, 0, "root", 0), span(1, 1000, "near", 1),
        span(5000, 1, "farther", 2)), List.of(), 0);
    assertThat(switched.parent(switched.byId(5000).orElseThrow())).map(RecordedSpan::name).hasValue("near");
    assertThat(switched.children(switched.byId(1000).orElseThrow())).extracting(RecordedSpan::name)
        .containsExactly("near");
  }

  @Test
  void duplicateIdsInSpansGivenOutOfOrderAreNamedInStartOrder() {
    assertThatThrownBy(() -> Trace.of("t-1", List.of(span(2, 0, "c", 3), span(1, 0, "b", 2), span(1, 0, "a", 1)),
        List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("span id 1 appears twice in trace t-1: 'a' and 'b'");
  }
}
