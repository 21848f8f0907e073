package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemsTest {

  private final FakeTime time = new FakeTime();

  private Trace record(Limits limits, Runnable work) {
    SpanCollector collector = new SpanCollector("t-0001", time, limits);
    try (Scope scope = collector.activate()) {
      work.run();
    }
    return collector.snapshot();
  }

  private static List<ProblemCode> codes(Trace trace) {
    List<ProblemCode> codes = new ArrayList<>();
    trace.problems().forEach(p -> codes.add(p.code()));
    return codes;
  }

  @Test
  void endingASpanTwiceIsAProblem() {
    Trace trace = record(Limits.defaults(), () -> {
      SpanHandle span = Tracing.startAsync("twice");
      span.end();
      span.end();
    });
    assertThat(trace.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo(ProblemCode.SPAN_ENDED_TWICE);
      assertThat(p.spanId()).isEqualTo(1);
      assertThat(p.message()).isEqualTo("span 1 twice was ended twice");
    });
  }

  @Test
  void closeAfterEndIsNotAProblem() {
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("ended.early")) {
        span.end();
      }
    });
    assertThat(trace.problems()).isEmpty();
  }

  @Test
  void closingScopesOutOfOrderIsAProblemAndTheLaterScopeStaysCurrent() {
    SpanCollector collector = new SpanCollector("t-0001", time, Limits.defaults());
    try (Scope scope = collector.activate()) {
      SpanHandle outer = Tracing.start("outer");
      SpanHandle inner = Tracing.start("inner");
      outer.close();
      assertThat(Tracing.current().spanId()).isEqualTo(inner.spanId());
      inner.close();
      assertThat(Tracing.current().isRecording()).isFalse();
    }
    assertThat(collector.snapshot().problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo(ProblemCode.SCOPE_CLOSED_OUT_OF_ORDER);
      assertThat(p.message()).isEqualTo("span 1 outer was closed while a span or scope opened inside it was still open");
    });
  }

  @Test
  void closingActivatedScopesOutOfOrderIsAProblem() {
    Trace trace = record(Limits.defaults(), () -> {
      SpanHandle a = Tracing.startAsync("a");
      SpanHandle b = Tracing.startAsync("b");
      Scope first = a.activate();
      Scope second = b.activate();
      first.close();
      second.close();
      a.end();
      b.end();
    });
    assertThat(codes(trace)).containsExactly(ProblemCode.SCOPE_CLOSED_OUT_OF_ORDER);
    assertThat(trace.problems().get(0).message())
        .isEqualTo("the scope of span 1 a was closed while a span or scope opened inside it was still open");
  }

  @Test
  void blankNamesBecomeUnnamedWithAProblem() {
    Trace trace = record(Limits.defaults(), () -> {
      Tracing.run(" ", () -> Tracing.current().event(null).rename(""));
    });
    assertThat(trace.spans()).extracting(RecordedSpan::name).containsExactly("<unnamed>");
    assertThat(trace.spans().get(0).events()).extracting(SpanEvent::name).containsExactly("<unnamed>");
    assertThat(codes(trace)).containsExactly(ProblemCode.INVALID_NAME, ProblemCode.INVALID_NAME, ProblemCode.INVALID_NAME);
    assertThat(trace.problems().get(0).message()).isEqualTo("span name ' ' of span 1 was replaced by <unnamed>");
  }

  @Test
  void theAttributeLimitCountsDroppedKeysAndReportsOnce() {
    Trace trace = record(Limits.defaults().withMaxAttributes(2), () -> {
      try (SpanHandle span = Tracing.start("busy")) {
        span.attribute("a", 1).attribute("b", 2).attribute("c", 3).attribute("d", 4).attribute("a", 10);
      }
    });
    RecordedSpan span = trace.spans().get(0);
    assertThat(span.attributes()).containsExactly(Map.entry("a", 10L), Map.entry("b", 2L));
    assertThat(span.droppedAttributes()).isEqualTo(2);
    assertThat(trace.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo(ProblemCode.ATTRIBUTE_LIMIT);
      assertThat(p.message())
          .isEqualTo("span 1 busy reached the limit of 2 attributes; 'c' and later new keys were dropped and counted");
      assertThat(p.context()).containsEntry("key", "c").containsEntry("limit", 2L);
    });
  }

  @Test
  void longKeysAreCutWithAProblem() {
    Trace trace = record(Limits.defaults().withMaxKeyLength(5), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("abcdefgh", "v");
      }
    });
    assertThat(trace.spans().get(0).attributes()).containsOnlyKeys("abcde");
    assertThat(codes(trace)).containsExactly(ProblemCode.KEY_TOO_LONG);
    assertThat(trace.problems().get(0).context()).containsEntry("length", 8L).containsEntry("limit", 5L);
  }

  @Test
  void longValuesAreTruncatedWithAMarkerAndAProblem() {
    Trace trace = record(Limits.defaults().withMaxValueLength(4), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("text", "abcdefghij").attribute("nested", Map.of("deep", List.of("0123456789")));
      }
    });
    Map<String, Object> attributes = trace.spans().get(0).attributes();
    assertThat(attributes).containsEntry("text", "abcd…[truncated 6 chars]")
        .containsEntry("nested", Map.of("deep", List.of("0123…[truncated 6 chars]")));
    assertThat(codes(trace)).containsExactly(ProblemCode.VALUE_TRUNCATED, ProblemCode.VALUE_TRUNCATED);
    assertThat(trace.problems().get(0).message())
        .isEqualTo("value of 'text' has 10 chars, over the limit of 4; truncated");
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    Trace trace = record(Limits.defaults().withMaxValueLength(2), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("emoji", "a😀b");
      }
    });
    assertThat((String) trace.spans().get(0).attributes().get("emoji")).startsWith("a…");
  }

  @Test
  void unsupportedTypesAreStoredAsTextWithAProblem() {
    Object odd = new Object() {
      @Override
      public String toString() {
        return "odd";
      }
    };
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("odd", odd).attribute("none", (Object) null);
      }
    });
    assertThat(trace.spans().get(0).attributes()).containsExactly(Map.entry("odd", "odd"));
    assertThat(codes(trace)).containsExactly(ProblemCode.UNSUPPORTED_VALUE, ProblemCode.UNSUPPORTED_VALUE);
    assertThat(trace.problems().get(1).message()).isEqualTo("null value for attribute 'none' on span 1 s was ignored");
  }

  @Test
  void cyclicMapsAreCutWithAProblemInsteadOfOverflowing() {
    Map<String, Object> cyclic = new HashMap<>();
    cyclic.put("self", cyclic);
    Trace trace = record(Limits.defaults(), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.attribute("cyclic", cyclic);
      }
    });
    assertThat(codes(trace)).containsExactly(ProblemCode.UNSUPPORTED_VALUE);
    assertThat(trace.problems().get(0).message()).isEqualTo("value of 'cyclic' refers to itself; the rest was cut");
    assertThat(trace.spans().get(0).attributes().get("cyclic")).isEqualTo(Map.of("self", "<cycle: refers to itself>"));
  }

  @Test
  void theEventLimitCountsDroppedEvents() {
    Trace trace = record(Limits.defaults().withMaxEvents(1), () -> {
      try (SpanHandle span = Tracing.start("s")) {
        span.event("one").event("two").event("three");
      }
    });
    assertThat(trace.spans().get(0).events()).extracting(SpanEvent::name).containsExactly("one");
    assertThat(trace.spans().get(0).droppedEvents()).isEqualTo(2);
    assertThat(codes(trace)).containsExactly(ProblemCode.EVENT_LIMIT);
  }

  @Test
  void theLinkLimitCountsDroppedLinks() {
    Trace trace = record(Limits.defaults().withMaxLinks(1), () -> {
      Tracing.span("s").link(SpanLink.to("t-9", 1)).link(SpanLink.to("t-9", 2)).start().close();
    });
    assertThat(trace.spans().get(0).links()).containsExactly(SpanLink.to("t-9", 1));
    assertThat(trace.spans().get(0).droppedLinks()).isEqualTo(1);
    assertThat(codes(trace)).containsExactly(ProblemCode.LINK_LIMIT);
  }

  @Test
  void theSpanLimitDropsAndCountsFurtherSpans() {
    Trace trace = record(Limits.defaults().withMaxSpans(2), () -> {
      for (int i = 0; i < 5; i++) {
        Tracing.run("span-" + i, () -> {});
      }
    });
    assertThat(trace.spans()).extracting(RecordedSpan::name).containsExactly("span-0", "span-1");
    assertThat(trace.droppedSpans()).isEqualTo(3);
    assertThat(trace.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo(ProblemCode.SPAN_LIMIT);
      assertThat(p.message()).isEqualTo("the trace reached the limit of 2 spans; 'span-2' and later spans were dropped and counted");
    });
  }

  @Test
  void aThrowingListenerBecomesAProblemAndNeverReachesTheCaller() {
    SpanCollector collector = new SpanCollector("t-0001", time, Limits.defaults());
    List<String> seen = new ArrayList<>();
    collector.addListener(new SpanListener() {
      @Override
      public void onStart(RecordedSpan span) {
        throw new IllegalStateException("listener broke");
      }

      @Override
      public void onProblem(Problem problem) {
        throw new IllegalStateException("and again");
      }
    });
    collector.addListener(new SpanListener() {
      @Override
      public void onEnd(RecordedSpan span) {
        seen.add(span.name() + " ended after " + span.duration().toMillis() + "ms");
      }
    });
    try (Scope scope = collector.activate()) {
      assertThatCode(() -> Tracing.run("work", () -> time.advanceMillis(3))).doesNotThrowAnyException();
    }
    assertThat(seen).containsExactly("work ended after 3ms");
    List<Problem> problems = collector.snapshot().problems();
    assertThat(problems).extracting(Problem::code)
        .containsExactly(ProblemCode.LISTENER_FAILED, ProblemCode.LISTENER_FAILED);
    assertThat(problems.get(0).message()).endsWith(".onStart threw java.lang.IllegalStateException: listener broke");
    assertThat(problems.get(1).message()).endsWith(".onProblem threw java.lang.IllegalStateException: and again");
  }

  @Test
  void limitsRejectBadValuesNamingThem() {
    assertThatThrownBy(() -> Limits.defaults().withMaxSpans(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxSpans must be at least 0 but was -1");
    assertThatThrownBy(() -> Limits.defaults().withMaxValueLength(0))
        .hasMessage("maxValueLength must be from 1 to 10000000 but was 0");
    assertThatThrownBy(() -> Limits.defaults().withMaxValueLength(Limits.MAX_VALUE_LENGTH + 1))
        .hasMessage("maxValueLength must be from 1 to 10000000 but was 10000001");
    assertThat(Limits.defaults()).isEqualTo(new Limits(128, 256, 131_072, 1024, 128, 1_000_000));
  }
}
