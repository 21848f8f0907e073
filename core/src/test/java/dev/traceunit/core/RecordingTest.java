package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordingTest {

  private final FakeTime time = new FakeTime();
  private final SpanCollector collector = FakeTime.collector(time);
  private Scope scope;

  @BeforeEach
  void activate() {
    scope = collector.activate();
  }

  @AfterEach
  void deactivate() {
    scope.close();
  }

  private RecordedSpan only(String name) {
    List<RecordedSpan> spans = collector.snapshot().named(name);
    assertThat(spans).as("spans named %s", name).hasSize(1);
    return spans.get(0);
  }

  @Test
  void aSpanStartedInsideAnotherIsItsChildAndCloseRestoresTheParent() {
    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      try (SpanHandle payment = Tracing.start(SpanKind.CLIENT, "payment")) {
        assertThat(Tracing.current().spanId()).isEqualTo(payment.spanId());
      }
      assertThat(Tracing.current().spanId()).isEqualTo(checkout.spanId());
      Tracing.run("audit", () -> {});
    }
    assertThat(Tracing.current().isRecording()).isFalse();

    Trace trace = collector.snapshot();
    RecordedSpan checkout = only("checkout");
    assertThat(checkout.isRoot()).isTrue();
    assertThat(checkout.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(trace.children(checkout)).extracting(RecordedSpan::name).containsExactly("payment", "audit");
    assertThat(trace.parent(only("payment"))).contains(checkout);
  }

  @Test
  void spanIdsAreOneTwoThreeInStartOrderPerCollector() {
    Tracing.run("a", () -> Tracing.run("b", () -> {}));
    Tracing.run("c", () -> {});
    assertThat(collector.snapshot().spans()).extracting(RecordedSpan::spanId).containsExactly(1L, 2L, 3L);
    assertThat(collector.snapshot().spans()).extracting(RecordedSpan::traceId).containsOnly("t-0001");
  }

  @Test
  void anEndedSpanIsNeverChosenAsParent() {
    SpanHandle outer = Tracing.start("outer");
    SpanHandle inner = Tracing.start("inner");
    inner.end(); // ended but its scope is still open
    Tracing.run("next", () -> {});
    outer.end();
    Tracing.run("after", () -> {});
    inner.close();
    outer.close();

    assertThat(collector.snapshot().parent(only("next"))).map(RecordedSpan::name).contains("outer");
    assertThat(only("after").isRoot()).isTrue();
    assertThat(collector.snapshot().problems()).isEmpty();
  }

  @Test
  void startAsyncDoesNotBecomeCurrentAndCanBeActivatedOnAnotherThread() throws Exception {
    SpanHandle request;
    try (SpanHandle parent = Tracing.start("parent")) {
      request = Tracing.startAsync(SpanKind.CLIENT, "request");
      assertThat(Tracing.current().spanId()).isEqualTo(parent.spanId());
    }
    Thread worker = new Thread(() -> {
      try (Scope s = request.activate()) {
        Tracing.run("on.worker", () -> {});
      }
      request.end();
    }, "worker-1");
    worker.start();
    worker.join(10_000);

    Trace trace = collector.snapshot();
    assertThat(trace.parent(only("request"))).map(RecordedSpan::name).contains("parent");
    assertThat(trace.parent(only("on.worker"))).map(RecordedSpan::name).contains("request");
    assertThat(only("on.worker").threadName()).isEqualTo("worker-1");
    assertThat(only("request").ended()).isTrue();
  }

  @Test
  void runRecordsTheExceptionAndRethrowsTheSameObject() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> Tracing.run(SpanKind.CLIENT, "fails", () -> {
      throw boom;
    })).isSameAs(boom);

    RecordedSpan span = only("fails");
    assertThat(span.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(span.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(span.error().message()).isEqualTo("boom");
    assertThat(span.error().stackTrace()).contains("IllegalStateException: boom").contains("at ");
    assertThat(span.ended()).isTrue();
    SpanEvent event = span.events().get(0);
    assertThat(event.name()).isEqualTo("exception");
    assertThat(event.attributes()).containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "boom").containsKey("exception.stacktrace");
  }

  @Test
  void supplyReturnsTheValueAndRecordsErrors() {
    assertThat(Tracing.supply("ok", () -> 42)).isEqualTo(42);
    assertThat(only("ok").status()).isEqualTo(SpanStatus.UNSET);
    Error error = new AssertionError("bad");
    assertThatThrownBy(() -> Tracing.supply("bad", () -> {
      throw error;
    })).isSameAs(error);
    assertThat(only("bad").error().type()).isEqualTo("java.lang.AssertionError");
  }

  @Test
  void callRethrowsTheSameCheckedException() {
    IOException reset = new IOException("reset");
    assertThatThrownBy(() -> Tracing.call(SpanKind.CLIENT, "payment.call", () -> {
      throw reset;
    })).isSameAs(reset);
    assertThat(only("payment.call").error().simpleType()).isEqualTo("IOException");
  }

  @Test
  void attributesAreUpsertedInInsertionOrderAndWidened() {
    try (SpanHandle span = Tracing.start("s")) {
      span.attribute("b", "first").attribute("a", 1).attribute("b", "second").attribute("f", 1.5f)
          .attribute("flag", true).attribute("short", (short) 3).attribute("list", List.of(1, "x"))
          .attribute("nested", Map.of("k", 2)).attribute("array", new int[] {1, 2});
    }
    Map<String, Object> attributes = only("s").attributes();
    assertThat(attributes.keySet()).containsExactly("b", "a", "f", "flag", "short", "list", "nested", "array");
    assertThat(attributes).containsEntry("b", "second").containsEntry("a", 1L).containsEntry("f", 1.5d)
        .containsEntry("flag", true).containsEntry("short", 3L).containsEntry("list", List.of(1L, "x"))
        .containsEntry("nested", Map.of("k", 2L)).containsEntry("array", List.of(1L, 2L));
    assertThat(collector.snapshot().problems()).isEmpty();
  }

  @Test
  void attributeIfAbsentWorksAfterTheSpanEndedAndKeepsAnExistingValue() {
    SpanHandle call = Tracing.startAsync(SpanKind.of("llm_call"), "chat");
    call.attribute("model", "small");
    call.end();
    call.attributeIfAbsent("first_token_ms", 120);
    call.attributeIfAbsent("model", "large");
    RecordedSpan span = only("chat");
    assertThat(span.attributes()).containsEntry("first_token_ms", 120L).containsEntry("model", "small");
    assertThat(span.kind().name()).isEqualTo("llm_call");
  }

  @Test
  void theLatestNameWins() {
    try (SpanHandle span = Tracing.start("handler")) {
      span.rename("GET /orders/{id}");
    }
    assertThat(collector.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("GET /orders/{id}");
  }

  @Test
  void aMarkerIsAZeroDurationChildOfTheCurrentSpan() {
    try (SpanHandle agent = Tracing.start("agent")) {
      time.advanceMillis(5);
      Tracing.marker(SpanKind.INTERNAL, "model.switch", Map.of("to", "large"));
      time.advanceMillis(5);
    }
    RecordedSpan marker = only("model.switch");
    assertThat(marker.marker()).isTrue();
    assertThat(marker.ended()).isTrue();
    assertThat(marker.duration()).isZero();
    assertThat(marker.startOffset()).isEqualTo(Duration.ofMillis(5));
    assertThat(marker.attributes()).containsEntry("to", "large");
    assertThat(collector.snapshot().parent(marker)).map(RecordedSpan::name).contains("agent");
    assertThat(only("agent").marker()).isFalse();
  }

  @Test
  void aDetachedRootIsLinkedToItsOrigin() {
    SpanLink jobLink;
    try (SpanHandle job = Tracing.start("job")) {
      jobLink = Tracing.currentLink().orElseThrow();
      try (SpanHandle drain = Tracing.span("drain").noParent().link(jobLink).attribute("batch", 7).start()) {
        Tracing.run("flush", () -> {});
      }
    }
    RecordedSpan drain = only("drain");
    assertThat(drain.isRoot()).isTrue();
    assertThat(drain.links()).containsExactly(SpanLink.to("t-0001", only("job").spanId()));
    assertThat(drain.attributes()).containsEntry("batch", 7L);
    assertThat(collector.snapshot().roots()).extracting(RecordedSpan::name).containsExactly("job", "drain");
    assertThat(collector.snapshot().parent(only("flush"))).map(RecordedSpan::name).contains("drain");
  }

  @Test
  void anExplicitParentDecidesTheCollectorOnAThreadWithoutContext() throws Exception {
    SpanHandle parent = Tracing.startAsync("parent");
    Thread bare = new Thread(() -> Tracing.span("child").parent(parent).startAsync().end());
    scope.close(); // threads started from here on inherit nothing
    bare.start();
    bare.join(10_000);
    scope = collector.activate();
    parent.end();
    assertThat(collector.snapshot().parent(only("child"))).map(RecordedSpan::name).contains("parent");
  }

  @Test
  void durationsAndOffsetsComeFromTheTimeSource() {
    time.advanceMillis(10);
    try (SpanHandle span = Tracing.start("timed")) {
      time.advanceMillis(120);
      span.event("halfway");
      time.advanceMillis(5);
    }
    RecordedSpan span = only("timed");
    assertThat(span.startOffset()).isEqualTo(Duration.ofMillis(10));
    assertThat(span.duration()).isEqualTo(Duration.ofMillis(125));
    assertThat(span.startTime()).isEqualTo(Instant.parse("2000-01-01T00:00:00.010Z"));
    assertThat(span.events().get(0).offset()).isEqualTo(Duration.ofMillis(120));
    assertThat(span.events().get(0).time()).isEqualTo(Instant.parse("2000-01-01T00:00:00.130Z"));
    assertThat(Tracing.time()).isSameAs(time);
  }

  @Test
  void anOpenSpanLastsUntilTheSnapshot() {
    SpanHandle open = Tracing.startAsync("open");
    time.advanceMillis(7);
    RecordedSpan span = only("open");
    assertThat(span.ended()).isFalse();
    assertThat(span.duration()).isEqualTo(Duration.ofMillis(7));
    assertThat(collector.snapshot().openSpans()).containsExactly(span);
    open.end();
  }

  @Test
  void finishTurnsOpenSpansIntoProblemsAndLateSpansIntoOrphans() {
    SpanHandle open = Tracing.startAsync("left.open");
    Trace trace = collector.finish();
    assertThat(trace.problems()).extracting(Problem::code).containsExactly(ProblemCode.SPAN_NOT_ENDED);
    assertThat(trace.problems().get(0).message()).isEqualTo("span 1 left.open was still open when the test ended");
    assertThat(trace.problems().get(0).spanId()).isEqualTo(1);

    List<Problem> heard = new java.util.ArrayList<>();
    collector.addListener(new SpanListener() {
      @Override
      public void onProblem(Problem problem) {
        heard.add(problem);
      }
    });
    Tracing.run("late", () -> {});
    Tracing.run("later", () -> {});
    open.end();
    assertThat(heard).extracting(Problem::code).containsExactly(ProblemCode.ORPHAN_SPAN);
    assertThat(heard.get(0).message())
        .isEqualTo("span 'late' was started after the test ended; it and later spans of this trace are not recorded, only counted");
    assertThat(collector.isFinished()).isTrue();
    assertThat(collector.orphanedSpans()).isEqualTo(2);
    assertThat(collector.snapshot()).isSameAs(trace);
    assertThat(collector.finish()).isSameAs(trace);
  }

  @Test
  void spansViewShortcutsReadTheCurrentState() {
    Spans spans = collector;
    Tracing.run("a", () -> Tracing.run("b", () -> {}));
    assertThat(spans.size()).isEqualTo(2);
    assertThat(spans.all()).extracting(RecordedSpan::name).containsExactly("a", "b");
    assertThat(spans.roots()).extracting(RecordedSpan::name).containsExactly("a");
    assertThat(spans.named("b")).hasSize(1);
    assertThat(spans.render()).contains("a").contains("b");
  }

  @Test
  void statusCanBeSetExplicitly() {
    try (SpanHandle span = Tracing.start("ok")) {
      span.status(SpanStatus.OK);
    }
    assertThat(only("ok").status()).isEqualTo(SpanStatus.OK);
  }

  @Test
  void handlesDescribeThemselves() {
    try (SpanHandle span = Tracing.start("named")) {
      assertThat(span).hasToString("SpanHandle(span 1 named)");
      assertThat(span.traceId()).isEqualTo("t-0001");
      assertThat(span.isRecording()).isTrue();
    }
    assertThat(collector).hasToString("SpanCollector(t-0001, 1 spans)");
  }

  @Test
  void aBlankTraceIdIsRejectedWithTheValue() {
    assertThatThrownBy(() -> new SpanCollector(" ", time, Limits.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("traceId must be a non-blank string but was ' '");
  }

  @Test
  void spanKindsMapTheStandardNamesToConstants() {
    assertThat(SpanKind.of("CLIENT")).isSameAs(SpanKind.CLIENT);
    assertThat(SpanKind.of("llm_call")).isEqualTo(SpanKind.of("llm_call")).isNotEqualTo(SpanKind.INTERNAL);
    assertThat(SpanKind.of("llm_call").isStandard()).isFalse();
    assertThat(collector.snapshot().spans().stream().map(RecordedSpan::name).collect(Collectors.toList())).isEmpty();
  }

  @Test
  void aSpanEndedByAnotherThreadStaysTheParentOnItsOwnThreadUntilClosed() throws Exception {
    try (SpanHandle request = Tracing.start("request")) {
      Thread ender = new Thread(request::end, "ender");
      ender.start();
      ender.join(10_000);
      Tracing.run("after.end", () -> {});
    }
    Tracing.run("after.close", () -> {});

    assertThat(collector.snapshot().parent(only("after.end"))).map(RecordedSpan::name).contains("request");
    assertThat(only("after.close").isRoot()).isTrue();
  }

  @Test
  void endingAnOuterSpanWhileAnInnerOneIsOpenSkipsItWhenTheInnerCloses() {
    SpanHandle outer = Tracing.start("outer");
    try (SpanHandle inner = Tracing.start("inner")) {
      outer.end();
      Tracing.run("inside.inner", () -> {});
    }
    Tracing.run("after.inner", () -> {});
    outer.close();

    assertThat(collector.snapshot().parent(only("inside.inner"))).map(RecordedSpan::name).contains("inner");
    assertThat(only("after.inner").isRoot()).isTrue();
    assertThat(collector.snapshot().problems()).isEmpty();
  }
}
