package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Load: 1,000 tests in JUnit's parallel mode on 4 threads, each recording 1,000 spans from 3
 * threads (the test's own, one it starts, and a pool thread through {@link Tracing#wrap}). Every
 * finished trace must hold exactly its own 1,000 spans.
 */
class LoadTest {

  static final int TESTS = 1_000;
  static final int SPANS_PER_TEST = 1_000;

  @TempDir
  Path reports;

  /** Checks each finished trace once the extension is done with it: registered first, it runs last. */
  static final class Verifier implements AfterEachCallback {
    record Recorded(int n, SpanCollector collector) {}

    /** By display name, unique per repetition. */
    static final Map<String, Recorded> tests = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    static final AtomicLong spans = new AtomicLong();
    static final AtomicLong traces = new AtomicLong();

    @Override
    public void afterEach(ExtensionContext context) {
      Recorded test = tests.remove(context.getDisplayName());
      Trace trace = test.collector().snapshot();
      String error = check(test.n(), test.collector(), trace);
      if (error != null) {
        wrong.add("test " + test.n() + ": " + error);
      }
      spans.addAndGet(trace.size());
      traces.incrementAndGet();
    }

    static String check(int n, SpanCollector collector, Trace trace) {
      if (!collector.isFinished()) {
        return "collector not finished";
      }
      if (trace.size() != SPANS_PER_TEST || trace.droppedSpans() != 0 || !trace.problems().isEmpty()) {
        return trace.size() + " spans, " + trace.droppedSpans() + " dropped, problems " + trace.problems();
      }
      if (trace.roots().size() != 1 || !trace.roots().get(0).name().equals("test-" + n)) {
        return "roots " + trace.roots().stream().map(RecordedSpan::name).toList();
      }
      long root = trace.roots().get(0).spanId();
      for (RecordedSpan span : trace.spans()) {
        if (!Long.valueOf(n).equals(span.attributes().get("test")) || !span.ended()
            || !span.traceId().equals(trace.traceId()) || (span.spanId() != root && span.parentId() != root)) {
          return "foreign or broken span " + span;
        }
      }
      return collector.orphanedSpans() == 0 ? null : collector.orphanedSpans() + " orphaned spans";
    }
  }

  static ExecutorService pool;

  @ExtendWith(Verifier.class)
  @ExtendWith(TraceExtension.class)
  @Execution(ExecutionMode.CONCURRENT)
  static class LoadSample {
    @RepeatedTest(TESTS)
    void recordsAThousandSpansFromThreeThreads(RepetitionInfo repetition, TestInfo info, SpanCollector collector)
        throws Exception {
      int n = repetition.getCurrentRepetition();
      Verifier.tests.put(info.getDisplayName(), new Verifier.Recorded(n, collector));
      try (SpanHandle root = Tracing.start("test-" + n)) {
        root.attribute("test", n);
        Runnable children = () -> record(n, (SPANS_PER_TEST - 1) / 3);
        Thread started = new Thread(children, "load-" + n);
        started.start();
        Future<?> pooled = pool.submit(Tracing.wrap(children));
        record(n, SPANS_PER_TEST - 1 - 2 * ((SPANS_PER_TEST - 1) / 3));
        started.join();
        pooled.get();
      }
    }

    private static void record(int n, int count) {
      for (int i = 0; i < count; i++) {
        try (SpanHandle span = Tracing.start("work")) {
          span.attribute("test", n);
          span.attribute("i", i);
        }
      }
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aThousandParallelTestsEachGetExactlyTheirOwnThousandSpans() throws InterruptedException {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    executor.prestartAllCoreThreads(); // threads with no test's context: only wrapped tasks record
    pool = executor;
    long start = System.nanoTime();
    EngineExecutionResults results;
    try {
      results = Runs.run(Runs.into(reports), Runs.config(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"), LoadSample.class);
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results.testEvents().failed().list()).isEmpty();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(TESTS);
    assertThat(List.copyOf(Verifier.wrong)).isEmpty();
    assertThat(Verifier.traces.get()).isEqualTo(TESTS);
    assertThat(Verifier.spans.get()).isEqualTo((long) TESTS * SPANS_PER_TEST);
    Runs.figures("load: " + Verifier.traces.get() + " tests on 4 threads, " + Verifier.spans.get()
        + " spans recorded from 3 threads per test, 0 lost, 0 in a wrong trace, " + took.toMillis() + " ms");
  }
}
