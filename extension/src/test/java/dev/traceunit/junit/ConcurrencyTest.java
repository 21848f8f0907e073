package dev.traceunit.junit;

import static dev.traceunit.junit.TraceExtensionTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.UnrecordedSpans;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

class ConcurrencyTest {

  private static final int TESTS = 240;
  private static final int THREADS = 4;

  @TempDir
  Path reports;

  /**
   * A pool whose threads exist before any test runs, so they carry no test's context: only tasks
   * wrapped with {@link Tracing#wrap} record, into the trace of the test that submitted them.
   */
  static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    executor.prestartAllCoreThreads();
    pool = executor;
  }

  @AfterAll
  static void stopPool() throws InterruptedException {
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @ExtendWith(TraceExtension.class)
  @Execution(ExecutionMode.CONCURRENT)
  static class ManySample {
    static final Map<String, SpanCollector> collectors = new ConcurrentHashMap<>();
    static final Map<String, Integer> expectedSpans = new ConcurrentHashMap<>();
    /** The first tests wait here for each other: proof that tests really overlap. */
    static CyclicBarrier overlap;

    @RepeatedTest(TESTS)
    void recordsSpansNamedAfterItself(RepetitionInfo repetition, SpanCollector collector) throws Exception {
      String me = "test-" + repetition.getCurrentRepetition();
      collectors.put(me, collector);
      int spans = 0;
      try (SpanHandle root = Tracing.start(me)) {
        spans++;
        if (repetition.getCurrentRepetition() <= THREADS) {
          overlap.await(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 3; i++) {
          Tracing.run(me + "/child", () -> {});
          spans++;
        }
        if (repetition.getCurrentRepetition() % 3 == 0) {
          Tracing.wrap(pool).submit(() -> Tracing.run(me + "/task", () -> {})).get(30, TimeUnit.SECONDS);
          spans++;
        }
        if (repetition.getCurrentRepetition() % 5 == 0) {
          Thread thread = new Thread(() -> Tracing.run(me + "/thread", () -> {}));
          thread.start();
          thread.join(30_000);
          spans++;
        }
        if (repetition.getCurrentRepetition() % 7 == 0) {
          // Not wrapped, and tests run in parallel, so no fallback: recorded nowhere.
          pool.submit(() -> Tracing.run(me + "/unwrapped", () -> {})).get(30, TimeUnit.SECONDS);
        }
      }
      expectedSpans.put(me, spans);
    }
  }

  @Test
  void inParallelNoSpanEverLandsInAnotherTestsTrace() {
    ManySample.collectors.clear();
    ManySample.expectedSpans.clear();
    ManySample.overlap = new CyclicBarrier(THREADS);
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();

    Kit.Run run = Kit.run(reports, config(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(THREADS)),
        ManySample.class);

    run.tests().assertStatistics(stats -> stats.started(TESTS).succeeded(TESTS));
    assertThat(ManySample.collectors).hasSize(TESTS);
    ManySample.collectors.forEach((me, collector) -> {
      List<RecordedSpan> spans = collector.snapshot().spans();
      List<String> strangers = spans.stream().map(RecordedSpan::name)
          .filter(name -> !name.equals(me) && !name.startsWith(me + "/")).collect(Collectors.toList());
      assertThat(strangers).as("spans of other tests in the trace of %s", me).isEmpty();
      assertThat(spans).as("spans of %s", me).hasSize(ManySample.expectedSpans.get(me));
      assertThat(spans).filteredOn(s -> s.name().endsWith("/unwrapped")).isEmpty();
      assertThat(collector.snapshot().problems()).isEmpty();
      RecordedSpan root = collector.snapshot().named(me).get(0);
      assertThat(collector.snapshot().children(root)).hasSize(spans.size() - 1);
    });
    // The unwrapped tasks are recorded nowhere, but never uncounted: one span of every seventh test.
    List<UnrecordedSpans.Entry> unrecorded = UnrecordedSpans.entries(before);
    assertThat(unrecorded).isNotEmpty().allSatisfy(entry -> {
      assertThat(entry.firstSpan()).endsWith("/unwrapped");
      assertThat(entry.reason()).isEqualTo(UnrecordedSpans.Reason.NO_CONTEXT);
    });
    assertThat(unrecorded.stream().mapToLong(UnrecordedSpans.Entry::spans).sum()).isEqualTo(TESTS / 7);
  }

  @ExtendWith(TraceExtension.class)
  static class FallbackSample {
    static final Map<String, SpanCollector> collectors = new ConcurrentHashMap<>();

    @Test
    void recordsFromAThreadWithoutContext(SpanCollector collector) throws Exception {
      collectors.put("test", collector);
      pool.submit(() -> Tracing.run("from.pool", () -> {})).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void whenTestsRunOneAtATimeTheCollectorIsTheFallbackForThreadsWithoutContext() {
    FallbackSample.collectors.clear();
    Kit.run(reports, FallbackSample.class);

    assertThat(FallbackSample.collectors.get("test").snapshot().named("from.pool")).hasSize(1);
    Tracing.run("after.the.test", () -> {});
    assertThat(FallbackSample.collectors.get("test").orphanedSpans()).isZero();
  }

  @Test
  void whenTestsRunInParallelThereIsNoFallback() {
    FallbackSample.collectors.clear();
    Kit.run(reports, config("junit.jupiter.execution.parallel.enabled", "true"), FallbackSample.class);

    assertThat(FallbackSample.collectors.get("test").snapshot().named("from.pool")).isEmpty();
  }
}
