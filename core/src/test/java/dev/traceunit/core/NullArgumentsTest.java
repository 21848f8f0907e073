package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every public entry of {@link Tracing}, {@link SpanHandle} and {@link SpanBuilder} given null:
 * production code never gets an exception from traceunit. A null is a recorded problem or a
 * documented no-op, both while a collector records and while none does.
 */
class NullArgumentsTest {

  private final FakeTime time = new FakeTime();

  /** Runs {@code code} with a fresh collector active and returns what it recorded. */
  private Trace recording(Runnable code) {
    SpanCollector collector = FakeTime.collector(time);
    try (Scope scope = collector.activate()) {
      assertThatCode(code::run).doesNotThrowAnyException();
    }
    return collector.finish();
  }

  /** Runs {@code code} with no collector anywhere: nothing to record, nothing thrown either. */
  private static void notRecording(Runnable code) {
    assertThatCode(code::run).doesNotThrowAnyException();
  }

  private static List<ProblemCode> codes(Trace trace) {
    return trace.problems().stream().map(Problem::code).toList();
  }

  /** Starts a span, hands it to {@code use}, ends it: what the span recorded. */
  private Trace onASpan(Consumer<SpanHandle> use) {
    return recording(() -> {
      try (SpanHandle span = Tracing.start("work")) {
        use.accept(span);
      }
    });
  }

  // ---- Tracing

  @Test
  void startWithANullNameRecordsAnUnnamedSpanAndAProblem() {
    Trace trace = recording(() -> {
      Tracing.start(null).close();
      Tracing.start(null, null).close();
      Tracing.startAsync(null).end();
      Tracing.startAsync(null, null).end();
    });
    assertThat(trace.spans()).extracting(RecordedSpan::name).containsOnly(RecordingSpan.UNNAMED).hasSize(4);
    assertThat(trace.spans()).extracting(RecordedSpan::kind).containsOnly(SpanKind.INTERNAL);
    assertThat(codes(trace)).containsOnly(ProblemCode.INVALID_NAME).hasSize(4);
    notRecording(() -> Tracing.start(null, null).close());
  }

  @Test
  void spanWithANullNameBuildsAnUnnamedSpan() {
    Trace trace = recording(() -> Tracing.span(null).start().close());
    assertThat(trace.spans()).extracting(RecordedSpan::name).containsExactly(RecordingSpan.UNNAMED);
    assertThat(codes(trace)).containsExactly(ProblemCode.INVALID_NAME);
  }

  @Test
  void runWithNoWorkRunsNothingAndRecordsAProblemOnItsSpan() {
    Trace trace = recording(() -> {
      Tracing.run("task", null);
      Tracing.run(null, "task", null);
    });
    assertThat(trace.spans()).extracting(RecordedSpan::name, RecordedSpan::ended)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("task", true), org.assertj.core.groups.Tuple.tuple("task", true));
    assertThat(trace.problems()).extracting(Problem::code).containsOnly(ProblemCode.UNSUPPORTED_VALUE);
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "Tracing.run got no work (null) for span 1 task; nothing ran",
        "Tracing.run got no work (null) for span 2 task; nothing ran");
    assertThat(trace.problems()).extracting(Problem::spanId).containsExactly(1L, 2L);
    notRecording(() -> Tracing.run("task", null));
  }

  @Test
  void supplyWithNoWorkReturnsNullAndRecordsAProblem() {
    Object[] results = {"unset", "unset"};
    Trace trace = recording(() -> {
      results[0] = Tracing.supply("value", null);
      results[1] = Tracing.<String>supply(SpanKind.CLIENT, "value", null);
    });
    assertThat(results).containsOnlyNulls();
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "Tracing.supply got no work (null) for span 1 value; nothing ran, null was returned",
        "Tracing.supply got no work (null) for span 2 value; nothing ran, null was returned");
    assertThat(Tracing.<String>supply("value", (Supplier<String>) null)).isNull();
  }

  @Test
  void callWithNoWorkReturnsNullAndRecordsAProblem() throws Exception {
    Object[] results = {"unset", "unset"};
    Trace trace = recording(() -> {
      results[0] = Tracing.<String, RuntimeException>call("value", null);
      results[1] = Tracing.<String, RuntimeException>call(SpanKind.CLIENT, "value", null);
    });
    assertThat(results).containsOnlyNulls();
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "Tracing.call got no work (null) for span 1 value; nothing ran, null was returned",
        "Tracing.call got no work (null) for span 2 value; nothing ran, null was returned");
    assertThat(Tracing.<String, Exception>call("value", null)).isNull();
  }

  @Test
  void markerWithNullsRecordsAnUnnamedInternalMarker() {
    Trace trace = recording(() -> {
      Tracing.marker(null, null);
      Tracing.marker(null, null, null);
    });
    assertThat(trace.spans()).extracting(RecordedSpan::name).containsOnly(RecordingSpan.UNNAMED).hasSize(2);
    assertThat(trace.spans()).allSatisfy(span -> {
      assertThat(span.marker()).isTrue();
      assertThat(span.kind()).isEqualTo(SpanKind.INTERNAL);
      assertThat(span.attributes()).isEmpty();
    });
    assertThat(codes(trace)).containsOnly(ProblemCode.INVALID_NAME).hasSize(2);
    notRecording(() -> Tracing.marker(null, null, null));
  }

  @Test
  void wrappingNullGivesNullSoTheCodeGoesOnAsWithoutTraceunit() {
    Trace trace = recording(() -> {
      assertThat(Tracing.wrap((Runnable) null)).isNull();
      assertThat(Tracing.wrap((Callable<?>) null)).isNull();
      assertThat(Tracing.wrap((Executor) null)).isNull();
      assertThat(Tracing.wrap((ExecutorService) null)).isNull();
      assertThat(Tracing.wrap((ScheduledExecutorService) null)).isNull();
    });
    assertThat(trace.problems()).isEmpty();
  }

  @Test
  void aWrappedExecutorAnswersNullTasksAsTheExecutorItselfDoes() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      ExecutorService wrapped = Tracing.wrap(pool);
      // The JDK's own answer to a null task, from the JDK's executor, not from traceunit.
      assertThatThrownBy(() -> wrapped.submit((Runnable) null)).isInstanceOf(NullPointerException.class)
          .satisfies(e -> assertThat(e.getStackTrace()[0].getClassName()).startsWith("java."));
      assertThatThrownBy(() -> wrapped.invokeAll(null)).isInstanceOf(NullPointerException.class)
          .satisfies(e -> assertThat(e.getStackTrace()[0].getClassName()).startsWith("java."));
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- SpanHandle

  @Test
  void attributeWithANullKeyIsKeptUnderUnnamedWithAProblem() {
    Trace trace = onASpan(span -> span.attribute(null, "v").attribute(null, 1L).attribute(null, 1.5)
        .attribute(null, true));
    assertThat(trace.spans().get(0).attributes()).containsOnlyKeys(RecordingSpan.UNNAMED);
    assertThat(codes(trace)).containsOnly(ProblemCode.INVALID_NAME).hasSize(4);
  }

  @Test
  void attributeWithANullValueIsIgnoredWithAProblem() {
    Trace trace = onASpan(span -> span.attribute("s", (String) null).attribute("o", (Object) null));
    assertThat(trace.spans().get(0).attributes()).isEmpty();
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "null value for attribute 's' on span 1 work was ignored",
        "null value for attribute 'o' on span 1 work was ignored");
  }

  @Test
  void attributesOfNullIsIgnoredWithAProblem() {
    Trace trace = onASpan(span -> span.attributes(null));
    assertThat(trace.problems()).extracting(Problem::message)
        .containsExactly("attributes(null) on span 1 work was ignored");
  }

  @Test
  void attributeIfAbsentWithNullsIsIgnoredWithProblems() {
    Trace trace = onASpan(span -> span.attributeIfAbsent(null, null));
    assertThat(trace.spans().get(0).attributes()).isEmpty();
    assertThat(codes(trace)).containsExactly(ProblemCode.INVALID_NAME, ProblemCode.UNSUPPORTED_VALUE);
  }

  @Test
  void eventWithNullsIsAnUnnamedEventNowWithAProblem() {
    Trace trace = onASpan(span -> span.event(null).event(null, null).event(null, null, null));
    assertThat(trace.spans().get(0).events()).extracting(SpanEvent::name).containsOnly(RecordingSpan.UNNAMED).hasSize(3);
    assertThat(trace.spans().get(0).events()).allSatisfy(event -> assertThat(event.attributes()).isEmpty());
    assertThat(codes(trace)).containsOnly(ProblemCode.INVALID_NAME).hasSize(3);
  }

  @Test
  void renameToNullIsIgnoredWithAProblem() {
    Trace trace = onASpan(span -> span.rename(null));
    assertThat(trace.spans().get(0).name()).isEqualTo("work");
    assertThat(trace.problems()).extracting(Problem::message).containsExactly("rename of span 1 work to null was ignored");
  }

  @Test
  void errorOfNullIsIgnoredWithAProblem() {
    Trace trace = onASpan(span -> span.error(null).error(null, null));
    assertThat(trace.spans().get(0).status()).isEqualTo(SpanStatus.UNSET);
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "error(null) on span 1 work was ignored", "error(null) on span 1 work was ignored");
  }

  @Test
  void statusOfNullIsIgnoredWithAProblem() {
    Trace trace = onASpan(span -> span.status(SpanStatus.OK).status(null));
    assertThat(trace.spans().get(0).status()).isEqualTo(SpanStatus.OK);
    assertThat(trace.problems()).extracting(Problem::message).containsExactly("status(null) on span 1 was ignored");
  }

  @Test
  void endAtNullEndsNow() {
    Trace trace = recording(() -> {
      SpanHandle span = Tracing.startAsync("work");
      time.advanceMillis(5);
      span.end(null);
    });
    assertThat(trace.spans().get(0).ended()).isTrue();
    assertThat(trace.spans().get(0).duration()).hasMillis(5);
    assertThat(trace.problems()).isEmpty();
  }

  @Test
  void theNoOpHandleTakesNullsToo() {
    notRecording(() -> {
      SpanHandle span = Tracing.start(null);
      span.attribute(null, (String) null).attribute(null, 1L).attribute(null, 1.0).attribute(null, false)
          .attribute(null, (Object) null).attributes(null).attributeIfAbsent(null, null).event(null)
          .event(null, null).event(null, null, null).rename(null).error(null).error(null, null).status(null);
      span.activate().close();
      span.end(null);
      span.close();
    });
  }

  // ---- SpanBuilder

  @Test
  void builderKindNullIsInternal() {
    Trace trace = recording(() -> Tracing.span("b").kind(null).start().close());
    assertThat(trace.spans().get(0).kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(trace.problems()).isEmpty();
  }

  @Test
  void builderAttributesWithNullsAreProblemsOnTheStartedSpan() {
    Trace trace = recording(() -> Tracing.span("b").attribute(null, "v").attribute("s", (String) null)
        .attribute("o", (Object) null).attribute("n", 1L).start().close());
    assertThat(trace.spans().get(0).attributes()).containsOnlyKeys(RecordingSpan.UNNAMED, "n");
    assertThat(codes(trace)).containsExactly(ProblemCode.INVALID_NAME, ProblemCode.UNSUPPORTED_VALUE,
        ProblemCode.UNSUPPORTED_VALUE);
  }

  @Test
  void builderPrimitiveAttributesWithANullKeyAreProblems() {
    Trace trace = recording(() -> Tracing.span("b").attribute(null, 1L).attribute(null, 1.0).attribute(null, true)
        .start().close());
    assertThat(trace.spans().get(0).attributes()).containsOnlyKeys(RecordingSpan.UNNAMED);
    assertThat(codes(trace)).containsOnly(ProblemCode.INVALID_NAME);
  }

  @Test
  void builderAttributesOfNullLinkOfNullAndStartTimeOfNullAreNoOps() {
    Trace trace = recording(() -> Tracing.span("b").attributes(null).link(null).startTime(null).start().close());
    RecordedSpan span = trace.spans().get(0);
    assertThat(span.attributes()).isEmpty();
    assertThat(span.links()).isEmpty();
    assertThat(span.startTime()).isEqualTo(FakeTime.START);
    assertThat(trace.problems()).isEmpty();
  }

  @Test
  void builderParentNullMeansTheCurrentSpan() {
    Trace trace = recording(() -> {
      try (SpanHandle outer = Tracing.start("outer")) {
        Tracing.span("inner").parent(null).startAsync().end();
      }
    });
    assertThat(trace.spans()).extracting(RecordedSpan::name, RecordedSpan::parentId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("outer", 0L), org.assertj.core.groups.Tuple.tuple("inner", 1L));
  }

  @Test
  void builderWithNullsStartsNothingWithoutACollector() {
    notRecording(() -> Tracing.span(null).kind(null).attribute(null, (Object) null).attributes(null).link(null)
        .parent(null).startTime(null).startAsync().end());
  }
}
