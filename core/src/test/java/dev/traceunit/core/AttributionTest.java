package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.internal.UnrecordedSpans;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Which test a span lands in when it starts on another thread: real pools whose threads start inside
 * a "test" (a collector), threads that outlive it, the fallback, and wrapped tasks. Isolated because
 * it reads the JVM-wide count of unrecorded spans.
 */
@Isolated
class AttributionTest {

  private final FakeTime time = new FakeTime();
  private final SpanCollector first = new SpanCollector("t-first", time, Limits.defaults());
  private final SpanCollector second = new SpanCollector("t-second", time, Limits.defaults());
  private ExecutorService pool;

  @BeforeEach
  void forgetCounts() {
    UnrecordedSpans.clear();
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    UnrecordedSpans.clear();
  }

  private static void await(java.util.concurrent.Future<?> future) throws Exception {
    future.get(10, TimeUnit.SECONDS);
  }

  private static List<String> names(SpanCollector collector) {
    return collector.snapshot().spans().stream().map(RecordedSpan::name).toList();
  }

  @Test
  void aPoolThreadStartedInsideATestDoesNotCarryThatTestIntoLaterTasks() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    try (Scope a = first.activate(); SpanHandle work = Tracing.start("first.work")) {
      await(pool.submit(() -> {})); // the worker thread starts now, inheriting first's context
    }
    try (Scope b = second.activate(); SpanHandle work = Tracing.start("second.work")) {
      await(pool.submit(() -> Tracing.run("unwrapped", () -> {})));
    }

    assertThat(names(first)).containsExactly("first.work");
    assertThat(names(second)).containsExactly("second.work");
    assertThat(first.snapshot().problems()).singleElement().satisfies(problem -> {
      assertThat(problem.code()).isEqualTo(ProblemCode.UNATTRIBUTED_SPAN);
      assertThat(problem.message()).startsWith("span 'unwrapped' was started on pool thread 'pool-")
          .contains("which this test started").contains("Tracing.wrap(executor) or Tracing.wrap(task)")
          .endsWith("(Reactor: Schedulers.onScheduleHook(\"traceunit\", Tracing::wrap))");
      assertThat(problem.context()).containsEntry("span", "unwrapped").containsKey("thread");
    });
    assertThat(UnrecordedSpans.total()).isEqualTo(1);
    assertThat(UnrecordedSpans.entries()).singleElement().satisfies(entry -> {
      assertThat(entry.firstSpan()).isEqualTo("unwrapped");
      assertThat(entry.startedBy()).isEqualTo("t-first");
      assertThat(entry.reason()).isEqualTo(UnrecordedSpans.Reason.POOL_THREAD);
      assertThat(entry.threadName()).startsWith("pool-");
    });
  }

  @Test
  void twoConcurrentTestsSharingAPoolNeverSeeEachOthersSpans() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread firstTest = new Thread(() -> {
      try (Scope a = first.activate()) {
        pool.submit(() -> Tracing.run("first.work", () -> {})).get(10, TimeUnit.SECONDS);
        firstStarted.countDown();
        assertThat(secondDone.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "first-test");
    firstTest.start();
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    try (Scope b = second.activate()) {
      await(pool.submit(() -> Tracing.run("second.work", () -> {})));
    }
    secondDone.countDown();
    firstTest.join(10_000);

    assertThat(failure.get()).isNull();
    assertThat(names(first)).doesNotContain("second.work");
    assertThat(names(second)).doesNotContain("first.work");
    assertThat(first.snapshot().problems()).extracting(Problem::code).containsExactly(ProblemCode.UNATTRIBUTED_SPAN);
    assertThat(UnrecordedSpans.total()).isEqualTo(2);
  }

  @Test
  void withAFallbackATaskOnAPoolThreadGoesToTheFallbackAsARoot() throws Exception {
    pool = Executors.newFixedThreadPool(2);
    try (Scope fallback = first.activateAsFallback(); Scope a = first.activate();
        SpanHandle work = Tracing.start("first.work")) {
      await(pool.submit(() -> Tracing.run("unwrapped", () -> Tracing.run("inner", () -> {}))));
    }

    Trace trace = first.snapshot();
    RecordedSpan unwrapped = trace.named("unwrapped").get(0);
    assertThat(unwrapped.isRoot()).isTrue();
    assertThat(trace.parent(trace.named("inner").get(0))).contains(unwrapped);
    assertThat(trace.problems()).isEmpty();
    assertThat(UnrecordedSpans.total()).isZero();
  }

  @Test
  void aScheduledPoolAndTheCommonForkJoinPoolAreRecognisedAsPools() throws Exception {
    ScheduledExecutorService scheduled = Executors.newSingleThreadScheduledExecutor();
    pool = scheduled;
    try (Scope a = first.activate(); SpanHandle work = Tracing.start("first.work")) {
      scheduled.schedule(() -> Tracing.run("scheduled", () -> {}), 1, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
      // Not CompletableFuture.runAsync: with a parallelism below 2 it starts a thread per task.
      ForkJoinPool.commonPool().submit(() -> Tracing.run("forked", () -> {})).get(10, TimeUnit.SECONDS);
    }

    assertThat(names(first)).containsExactly("first.work");
    assertThat(UnrecordedSpans.entries()).extracting(UnrecordedSpans.Entry::firstSpan)
        .containsExactlyInAnyOrder("scheduled", "forked");
  }

  @Test
  void aThreadStartedForOneTaskInheritsItsTestWhileTheTestRuns() throws Exception {
    try (Scope a = first.activate(); SpanHandle work = Tracing.start("first.work")) {
      Thread worker = new Thread(() -> Tracing.run("own.thread", () -> {}), "own-thread");
      worker.start();
      worker.join(10_000);
    }

    Trace trace = first.snapshot();
    assertThat(trace.parent(trace.named("own.thread").get(0))).map(RecordedSpan::name).contains("first.work");
    assertThat(trace.named("own.thread").get(0).threadName()).isEqualTo("own-thread");
  }

  @Test
  void aThreadThatOutlivesItsTestRecordsIntoNoTestAndIsCountedAsThatTestsOrphan() throws Exception {
    CountDownLatch firstEnded = new CountDownLatch(1);
    CountDownLatch secondRunning = new CountDownLatch(1);
    CountDownLatch recorded = new CountDownLatch(1);
    Thread leftover;
    try (Scope a = first.activate()) {
      leftover = new Thread(() -> {
        try {
          firstEnded.await(10, TimeUnit.SECONDS);
          secondRunning.await(10, TimeUnit.SECONDS);
          Tracing.run("late", () -> {});
          recorded.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "leftover");
      leftover.start();
    }
    first.finish();
    firstEnded.countDown();
    try (Scope b = second.activate()) {
      secondRunning.countDown();
      assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();
    }
    leftover.join(10_000);

    assertThat(names(first)).isEmpty();
    assertThat(names(second)).isEmpty();
    assertThat(first.orphanedSpans()).isEqualTo(1);
    assertThat(UnrecordedSpans.entries()).singleElement().satisfies(entry -> {
      assertThat(entry.threadName()).isEqualTo("leftover");
      assertThat(entry.firstSpan()).isEqualTo("late");
      assertThat(entry.startedBy()).isEqualTo("t-first");
      assertThat(entry.reason()).isEqualTo(UnrecordedSpans.Reason.TEST_ENDED);
    });
    assertThat(UnrecordedSpans.describe(UnrecordedSpans.entries().get(0)))
        .isEqualTo("its context belongs to t-first, which had ended");
  }

  @Test
  void aLeftoverThreadsSpanNeverGoesToTheNextTestEvenWhenThatOneIsTheFallback() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Thread leftover;
    try (Scope a = first.activate()) {
      leftover = new Thread(() -> {
        try {
          go.await(10, TimeUnit.SECONDS);
          Tracing.run("late", () -> {});
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "leftover");
      leftover.start();
    }
    first.finish();
    try (Scope fallback = second.activateAsFallback(); Scope b = second.activate()) {
      go.countDown();
      leftover.join(10_000);
    }

    assertThat(names(second)).isEmpty();
    assertThat(first.orphanedSpans()).isEqualTo(1);
    assertThat(UnrecordedSpans.total()).isEqualTo(1);
  }

  @Test
  void aPoolThreadWhoseStartingTestEndedGivesItsTasksToTheFallback() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    try (Scope a = first.activate()) {
      await(pool.submit(() -> {}));
    }
    first.finish();
    try (Scope fallback = second.activateAsFallback(); Scope b = second.activate()) {
      await(pool.submit(() -> Tracing.run("next.test.task", () -> {})));
    }

    assertThat(names(second)).containsExactly("next.test.task");
    assertThat(first.orphanedSpans()).isZero();
    assertThat(UnrecordedSpans.total()).isZero();
  }

  @Test
  void aWrappedTaskHangsUnderTheCapturedSpanEvenIfThatSpanEndedBeforeTheTaskRan() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    CountDownLatch release = new CountDownLatch(1);
    pool.submit(() -> release.await(10, TimeUnit.SECONDS)); // keeps the task below waiting
    java.util.concurrent.Future<?> task;
    try (Scope a = first.activate(); SpanHandle outer = Tracing.start("outer")) {
      try (SpanHandle attempt = Tracing.start("attempt")) {
        task = pool.submit(Tracing.wrap(() -> Tracing.run("retry", () -> {})));
      }
      release.countDown();
      await(task);
    }

    Trace trace = first.snapshot();
    assertThat(trace.parent(trace.named("retry").get(0))).map(RecordedSpan::name).contains("attempt");
  }

  @Test
  void aThreadStartedByAPoolTaskInheritsTheTasksCapturedContext() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    await(pool.submit(() -> {})); // a worker started before the test, with no context
    try (Scope a = first.activate(); SpanHandle outer = Tracing.start("outer")) {
      await(pool.submit(Tracing.wrap(() -> {
        Thread child = new Thread(() -> Tracing.run("child.thread", () -> {}), "child");
        child.start();
        try {
          child.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      })));
    }

    Trace trace = first.snapshot();
    assertThat(trace.parent(trace.named("child.thread").get(0))).map(RecordedSpan::name).contains("outer");
  }

  @Test
  void wrapOnAPoolThreadWithAStaleInheritedContextCapturesNothing() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    try (Scope a = first.activate()) {
      await(pool.submit(() -> {}));
    }
    AtomicReference<Runnable> captured = new AtomicReference<>();
    await(pool.submit(() -> captured.set(Tracing.wrap(() -> Tracing.run("captured.on.pool", () -> {})))));
    assertThat(Tracing.current().isRecording()).isFalse();
    try (Scope fallback = second.activateAsFallback()) {
      captured.get().run();
    }

    assertThat(names(first)).isEmpty();
    assertThat(names(second)).containsExactly("captured.on.pool");
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualThreadsPerTaskInheritTheTestThatSubmittedTheirTask() throws Exception {
    // Through reflection: the bytecode is Java 17's.
    pool = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try (Scope a = first.activate(); SpanHandle work = Tracing.start("first.work")) {
      await(pool.submit(() -> Tracing.run("virtual", () -> {})));
    }
    try (Scope b = second.activate()) {
      await(pool.submit(() -> Tracing.run("virtual.second", () -> {})));
    }

    assertThat(first.snapshot().parent(first.snapshot().named("virtual").get(0))).map(RecordedSpan::name)
        .contains("first.work");
    assertThat(names(second)).containsExactly("virtual.second");
    assertThat(UnrecordedSpans.total()).isZero();
  }

  @Test
  void junitsPreemptiveTimeoutThreadRunsOneTaskAndKeepsItsTest() {
    try (Scope a = first.activate(); SpanHandle work = Tracing.start("first.work")) {
      // JUnit runs the body on a fresh single-thread executor's worker, as @Timeout(threadMode = SEPARATE_THREAD) does.
      Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Tracing.run("in.timeout", () -> {}));
    }

    Trace trace = first.snapshot();
    assertThat(trace.parent(trace.named("in.timeout").get(0))).map(RecordedSpan::name).contains("first.work");
    assertThat(UnrecordedSpans.total()).isZero();
  }
}
