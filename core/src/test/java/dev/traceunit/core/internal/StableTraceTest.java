package dev.traceunit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Limits;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StableTraceTest {

  private final AtomicLong nanos = new AtomicLong();
  private final SpanCollector collector =
      new SpanCollector("t", TimeSource.of(nanos::get, () -> Instant.EPOCH), Limits.defaults());

  @Test
  void spansStartedAtOneInstantOnTwoThreadsGetTheSameIdsWhicheverThreadStartedFirst() throws Exception {
    Trace inventoryFirst = fanOut(List.of("inventory.reserve", "shipping.quote"), List.of("pool-3-thread-1", "pool-3-thread-2"));
    Trace shippingFirst = fanOut(List.of("shipping.quote", "inventory.reserve"), List.of("pool-8-thread-2", "pool-8-thread-1"));

    assertThat(names(inventoryFirst)).containsExactly("prepare", "inventory.reserve", "shipping.quote");
    assertThat(names(shippingFirst)).containsExactly("prepare", "shipping.quote", "inventory.reserve");

    Trace one = StableTrace.of(inventoryFirst, "main", null);
    Trace other = StableTrace.of(shippingFirst, "main", null);
    assertThat(other).isEqualTo(one);
    assertThat(one.spans()).extracting(RecordedSpan::spanId, RecordedSpan::parentId, RecordedSpan::name,
        RecordedSpan::threadName).containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 0L, "prepare", "test"),
            org.assertj.core.groups.Tuple.tuple(2L, 1L, "inventory.reserve", "pool-thread-1"),
            org.assertj.core.groups.Tuple.tuple(3L, 1L, "shipping.quote", "pool-thread-2"));
  }

  @Test
  void aParentComesBeforeItsChildrenAtOneInstantWhateverItsThreadIsCalled() throws Exception {
    Trace trace = fanOut(List.of("a.task"), List.of("AAA-first-by-name"));
    Trace stable = StableTrace.of(trace, "main", null);
    assertThat(names(stable)).containsExactly("prepare", "a.task");
    assertThat(stable.spans().get(1).parentId()).isEqualTo(1);
  }

  @Test
  void spansOfOneThreadKeepTheirStartOrderAndRealIds() {
    try (Scope active = collector.activate()) {
      try (SpanHandle root = Tracing.start("zeta")) {
        Tracing.run(SpanKind.INTERNAL, "b", () -> { });
        Tracing.run(SpanKind.INTERNAL, "a", () -> { });
      }
      Tracing.span("drain").noParent().start().close();
    }
    Trace trace = collector.snapshot();
    Trace stable = StableTrace.of(trace, Thread.currentThread().getName(), null);
    assertThat(stable.spans()).extracting(RecordedSpan::spanId).containsExactly(1L, 2L, 3L, 4L);
    assertThat(names(stable)).isEqualTo(names(trace)).containsExactly("zeta", "b", "a", "drain");
    assertThat(stable.render()).isEqualTo(trace.render());
  }

  @Test
  void problemsFollowTheNewIdsAndAreListedBySpan() throws Exception {
    Trace trace = fanOut(List.of("shipping.quote", "inventory.reserve"), List.of("pool-1-thread-2", "pool-1-thread-1"),
        true, null);
    Trace stable = StableTrace.of(trace, "main", null);
    assertThat(trace.problems()).extracting(p -> p.spanId() + " " + p.message()).containsExactly(
        "2 span 2 shipping.quote was still open when the test ended",
        "3 span 3 inventory.reserve was still open when the test ended");
    assertThat(stable.problems()).extracting(p -> p.spanId() + " " + p.message()).containsExactly(
        "2 span 2 inventory.reserve was still open when the test ended",
        "3 span 3 shipping.quote was still open when the test ended");
  }

  @Test
  void threadNamesLoseTheNumbersTheJvmCountsAcrossTests() {
    assertThat(StableTrace.threadName("main", "main")).isEqualTo("test");
    assertThat(StableTrace.threadName("ForkJoinPool-1-worker-3", "ForkJoinPool-1-worker-3")).isEqualTo("test");
    assertThat(StableTrace.threadName("pool-12-thread-3", "main")).isEqualTo("pool-thread-3");
    assertThat(StableTrace.threadName("ForkJoinPool-2-worker-7", "main")).isEqualTo("ForkJoinPool-worker");
    assertThat(StableTrace.threadName("ForkJoinPool.commonPool-worker-5", "main"))
        .isEqualTo("ForkJoinPool.commonPool-worker");
    assertThat(StableTrace.threadName("Thread-41", "main")).isEqualTo("Thread");
    assertThat(StableTrace.threadName("checkout-worker-1", "main")).isEqualTo("checkout-worker-1");
  }

  @Test
  void aStackTraceLosesTheFramesBelowTheTestAndThoseOfTheJdkAndKeepsItsCauses() throws Exception {
    Method fail = StableTraceTest.class.getDeclaredMethod("failThroughALambda");
    String printed;
    try {
      fail.invoke(null);
      throw new AssertionError("did not throw");
    } catch (InvocationTargetException e) {
      printed = dev.traceunit.core.ErrorInfo.of(e.getCause()).stackTrace();
    }
    assertThat(printed).contains("\tat java.base/", "\tat org.junit.", "... ", "lambda$failThroughALambda$");

    String pruned = StableTrace.pruneStackTrace(printed, StableTraceTest.class.getName());

    assertThat(pruned).isEqualTo("java.lang.IllegalStateException: checkout failed\n"
        + "\tat dev.traceunit.core.internal.StableTraceTest.lambda$failThroughALambda(StableTraceTest.java:"
        + line("throw new IllegalStateException") + ")\n"
        + "\tat dev.traceunit.core.internal.StableTraceTest.failThroughALambda(StableTraceTest.java:"
        + line("return checkout.get()") + ")\n"
        + "\tat dev.traceunit.core.internal.StableTraceTest.aStackTraceLosesTheFramesBelowTheTestAndThoseOfTheJdkAndKeeps"
        + "ItsCauses(StableTraceTest.java:" + line("fail.invoke(null)") + ")\n"
        // The cause shares all its frames with the failure: "... 40 more" (a count that depends on the JDK) goes.
        + "Caused by: java.io.IOException: connection reset\n");
  }

  @Test
  void withoutTheTestsClassOnlyForeignFramesAreDropped() {
    String printed = "java.io.IOException: reset\n"
        + "\tat com.acme.Client.call(Client.java:10)\n"
        + "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)\n"
        + "\tat java.base/java.lang.Thread.run(Thread.java:840)\n";
    assertThat(StableTrace.pruneStackTrace(printed, null))
        .isEqualTo("java.io.IOException: reset\n\tat com.acme.Client.call(Client.java:10)\n");
  }

  @Test
  void attributesOfMapsWithoutADefinedOrderAreRecordedInKeyOrderAndOrderedMapsKeepTheirs() {
    Map<String, Object> linked = new LinkedHashMap<>();
    linked.put("zeta", 1);
    linked.put("alpha", 2);
    try (Scope active = collector.activate()) {
      Tracing.marker("unordered", Map.of("model", "m", "reason", "r", "budget", 3, "attempt", 1,
          "nested", Map.of("y", 1, "x", 2), "tags", Set.of("b", "c", "a")));
      Tracing.marker("linked", linked);
      Tracing.marker("sorted", new TreeMap<>(Map.of("b", 1, "a", 2)));
    }
    Trace trace = collector.snapshot();
    assertThat(trace.named("unordered").get(0).attributes().keySet())
        .containsExactly("attempt", "budget", "model", "nested", "reason", "tags");
    assertThat(List.copyOf(((Map<?, ?>) trace.named("unordered").get(0).attributes().get("nested")).keySet()))
        .isEqualTo(List.of("x", "y"));
    assertThat(trace.named("unordered").get(0).attributes().get("tags")).isEqualTo(List.of("a", "b", "c"));
    assertThat(trace.named("linked").get(0).attributes().keySet()).containsExactly("zeta", "alpha");
    assertThat(trace.named("sorted").get(0).attributes().keySet()).containsExactly("a", "b");
  }

  @SuppressWarnings("unused") // called by reflection, so the stack trace has reflection frames
  private static Object failThroughALambda() {
    Supplier<Object> checkout = () -> {
      throw new IllegalStateException("checkout failed", new java.io.IOException("connection reset"));
    };
    return checkout.get();
  }

  /** The line of this file that holds {@code text}, so the test survives edits above it. */
  private static int line(String text) throws Exception {
    List<String> lines = java.nio.file.Files.readAllLines(
        java.nio.file.Path.of("src/test/java/dev/traceunit/core/internal/StableTraceTest.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text) && !lines.get(i).contains("line(")) {
        return i + 1;
      }
    }
    throw new AssertionError("no line holds " + text);
  }

  @Test
  void aStackTraceThatPointsAtAnotherSpansFollowsThatSpansNewId() throws Exception {
    Trace inventoryFirst = fanOut(List.of("inventory.reserve", "shipping.quote"), List.of("pool-1", "pool-2"), false, OUT_OF_STOCK);
    Trace shippingFirst = fanOut(List.of("shipping.quote", "inventory.reserve"), List.of("pool-2", "pool-1"), false, OUT_OF_STOCK);
    assertThat(inventoryFirst.spans().get(0).error().stackTrace())
        .startsWith(StableTrace.SAME_EXCEPTION_AS_ON_SPAN + "2 inventory.reserve,");
    assertThat(shippingFirst.spans().get(0).error().stackTrace())
        .startsWith(StableTrace.SAME_EXCEPTION_AS_ON_SPAN + "3 inventory.reserve,");

    Trace one = StableTrace.of(inventoryFirst, "main", null);
    Trace other = StableTrace.of(shippingFirst, "main", null);
    assertThat(other).isEqualTo(one);
    RecordedSpan prepare = one.spans().get(0);
    long reserve = one.spans().stream().filter(span -> span.name().equals("inventory.reserve")).findFirst()
        .orElseThrow().spanId();
    assertThat(prepare.error().stackTrace())
        .startsWith(StableTrace.SAME_EXCEPTION_AS_ON_SPAN + reserve + " inventory.reserve,");
    assertThat(prepare.events().get(0).attributes().get("exception.stacktrace").toString())
        .startsWith(StableTrace.SAME_EXCEPTION_AS_ON_SPAN + reserve + " inventory.reserve,");
  }

  private Trace fanOut(List<String> calls, List<String> threads) throws Exception {
    return fanOut(calls, threads, false, null);
  }

  private static final IllegalStateException OUT_OF_STOCK = new IllegalStateException("out of stock");

  /**
   * A parent on this thread and one child per call, each started at the same instant on its own
   * named thread, in order; with a {@code failure}, inventory.reserve and then the parent fail with it.
   */
  private Trace fanOut(List<String> calls, List<String> threads, boolean leaveOpen, Throwable failure)
      throws Exception {
    SpanCollector fresh = new SpanCollector("t", TimeSource.of(() -> 0L, () -> Instant.EPOCH), Limits.defaults());
    try (Scope active = fresh.activate(); SpanHandle prepare = Tracing.start("prepare")) {
      for (int i = 0; i < calls.size(); i++) {
        String call = calls.get(i);
        Thread thread = new Thread(() -> {
          try (Scope inThread = fresh.activate()) {
            SpanHandle span = Tracing.span(call).kind(SpanKind.CLIENT).parent(prepare).startAsync();
            if (failure != null && call.equals("inventory.reserve")) {
              span.error(failure);
            }
            if (!leaveOpen) {
              span.end();
            }
          }
        }, threads.get(i));
        thread.start();
        thread.join();
      }
      if (failure != null) {
        prepare.error(failure);
      }
    }
    Trace trace = fresh.finish();
    return Trace.of(trace.traceId(), trace.spans().stream().map(this::onMain).toList(), trace.problems(),
        trace.droppedSpans());
  }

  /** The parent span as if the test had run on "main", whatever this thread is called. */
  private RecordedSpan onMain(RecordedSpan span) {
    if (!span.name().equals("prepare")) {
      return span;
    }
    return new RecordedSpan(span.traceId(), span.spanId(), span.parentId(), span.kind(), span.name(),
        span.startOffset(), span.startTime(), span.duration(), span.ended(), span.marker(), span.attributes(),
        span.events(), span.links(), span.status(), span.error(), "main", span.droppedAttributes(),
        span.droppedEvents(), span.droppedLinks());
  }

  private static List<String> names(Trace trace) {
    return trace.spans().stream().map(RecordedSpan::name).toList();
  }
}
