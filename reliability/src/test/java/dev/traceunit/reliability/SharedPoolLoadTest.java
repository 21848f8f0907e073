package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.UnrecordedSpans;
import dev.traceunit.junit.TraceExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
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
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The case that used to lose spans silently: 300 tests × 200 spans, a third of the work on
 * unwrapped application pools held in static fields whose threads start lazily inside whichever test
 * submits first (a fixed pool, a scheduled pool and a cached one), a third through
 * {@link Tracing#wrap}, a third on the test's thread. Every span carries the number of the test whose
 * code started it. Run one test at a time (the fallback takes unwrapped tasks) and in JUnit's
 * parallel mode (no fallback: unwrapped tasks are recorded in no test, but counted). Either way
 * no span is in a wrong test and none is missing without a count the user sees.
 */
@Isolated // reads the JVM-wide count of unrecorded spans
class SharedPoolLoadTest {

  static final int TESTS = 300;
  static final int SPANS_PER_TEST = 200;
  static final int UNWRAPPED = SPANS_PER_TEST / 3;
  static final int WRAPPED = SPANS_PER_TEST / 3;
  static final int OWN = SPANS_PER_TEST - UNWRAPPED - WRAPPED;

  @TempDir
  Path reports;

  /** Reads each finished trace once the extension is done with it: registered first, it runs last. */
  static final class Tally implements AfterEachCallback {
    static final Map<String, SpanCollector> collectors = new ConcurrentHashMap<>();
    static final Map<String, Integer> numbers = new ConcurrentHashMap<>();
    static final AtomicLong own = new AtomicLong();
    static final AtomicLong foreign = new AtomicLong();
    static final AtomicLong unattributedProblems = new AtomicLong();
    static final List<String> wrongParents = new ArrayList<>();

    static void reset() {
      collectors.clear();
      numbers.clear();
      own.set(0);
      foreign.set(0);
      unattributedProblems.set(0);
      synchronized (wrongParents) {
        wrongParents.clear();
      }
    }

    @Override
    public void afterEach(ExtensionContext context) {
      String id = context.getDisplayName();
      int n = numbers.remove(id);
      Trace trace = collectors.remove(id).snapshot();
      for (RecordedSpan span : trace.spans()) {
        if (Long.valueOf(n).equals(span.attributes().get("test"))) {
          own.incrementAndGet();
        } else {
          foreign.incrementAndGet();
        }
        if (span.name().equals("wrapped") && trace.parent(span).map(p -> !p.name().equals("test-" + n)).orElse(true)) {
          synchronized (wrongParents) {
            wrongParents.add("test " + n + ": " + span);
          }
        }
      }
      unattributedProblems.addAndGet(trace.problems().stream()
          .filter(problem -> problem.code() == ProblemCode.UNATTRIBUTED_SPAN).count());
    }
  }

  /**
   * Application pools in static fields, their threads started by whichever test submits first;
   * created afresh for each run of the sample so that in both runs they start inside tests.
   */
  static final class Application {
    static ExecutorService workers;
    static ScheduledExecutorService timers;
    static ExecutorService cached;
    static ExecutorService traced;

    static void create() {
      workers = Executors.newFixedThreadPool(3);
      timers = Executors.newScheduledThreadPool(2);
      cached = Executors.newCachedThreadPool();
      traced = Tracing.wrap(Executors.newFixedThreadPool(2));
    }

    static void shutDown() throws InterruptedException {
      for (ExecutorService pool : List.of(workers, timers, cached, traced)) {
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }

    static void work(int n, String name, int count) {
      for (int i = 0; i < count; i++) {
        try (SpanHandle span = Tracing.start(name)) {
          span.attribute("test", n);
        }
      }
    }
  }

  @ExtendWith(Tally.class)
  @ExtendWith(TraceExtension.class)
  @Execution(ExecutionMode.CONCURRENT) // takes effect in the parallel run only
  static class SharedPoolSample {
    @RepeatedTest(TESTS)
    void doesAThirdOfItsWorkOnUnwrappedPools(RepetitionInfo repetition, TestInfo info, SpanCollector collector)
        throws Exception {
      int n = repetition.getCurrentRepetition();
      Tally.collectors.put(info.getDisplayName(), collector);
      Tally.numbers.put(info.getDisplayName(), n);
      try (SpanHandle root = Tracing.start("test-" + n)) {
        root.attribute("test", n);
        int third = UNWRAPPED / 3;
        List<Future<?>> pending = List.of(
            Application.workers.submit(() -> Application.work(n, "unwrapped.fixed", third)),
            Application.timers.schedule(() -> Application.work(n, "unwrapped.scheduled", third), 1, TimeUnit.MILLISECONDS),
            Application.cached.submit(() -> Application.work(n, "unwrapped.cached", UNWRAPPED - 2 * third)),
            Application.traced.submit(() -> Application.work(n, "wrapped", WRAPPED)));
        Application.work(n, "own", OWN - 1);
        for (Future<?> task : pending) {
          task.get(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private record Figures(long own, long foreign, long unrecorded, long unreported, long problems, long failed) {}

  private Figures run(Map<String, String> configuration) throws InterruptedException {
    Tally.reset();
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();
    Application.create();
    EngineExecutionResults results;
    try {
      results = Runs.run(Runs.into(reports), configuration, SharedPoolSample.class);
    } finally {
      Application.shutDown();
    }
    long unrecorded = UnrecordedSpans.total() - before.total();
    long expected = (long) TESTS * SPANS_PER_TEST;
    assertThat(results.testEvents().finished().count()).isEqualTo(TESTS);
    assertThat(Tally.collectors).isEmpty();
    synchronized (Tally.wrongParents) {
      assertThat(Tally.wrongParents).isEmpty();
    }
    return new Figures(Tally.own.get(), Tally.foreign.get(), unrecorded, expected - Tally.own.get() - unrecorded,
        Tally.unattributedProblems.get(), results.testEvents().failed().count());
  }

  private static String describe(String mode, Figures figures) {
    return "shared pools, " + mode + ": " + TESTS + " tests x " + SPANS_PER_TEST + " spans, a third on unwrapped"
        + " static pools started inside tests: " + figures.own() + " in their own test, " + figures.foreign()
        + " misattributed, " + figures.unrecorded() + " recorded in no test and counted ("
        + figures.problems() + " UNATTRIBUTED_SPAN problems), " + figures.unreported() + " unreported";
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void oneTestAtATimeTheFallbackTakesTheUnwrappedWorkOfTheRunningTest() throws InterruptedException {
    Figures figures = run(Runs.config());

    Runs.figures(describe("sequential", figures));
    assertThat(figures.foreign()).isZero();
    assertThat(figures.unreported()).isZero();
    assertThat(figures.own()).isEqualTo((long) TESTS * SPANS_PER_TEST);
    assertThat(figures.unrecorded()).isZero();
    assertThat(figures.failed()).isZero();
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void inParallelUnwrappedWorkIsRecordedInNoTestButEverySpanIsCounted() throws InterruptedException {
    Figures figures = run(Runs.config(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4",
        "traceunit.strict", "false"));

    Runs.figures(describe("parallel on 4 threads", figures));
    assertThat(figures.foreign()).isZero();
    assertThat(figures.unreported()).isZero();
    assertThat(figures.own()).isEqualTo((long) TESTS * (SPANS_PER_TEST - UNWRAPPED));
    assertThat(figures.unrecorded()).isEqualTo((long) TESTS * UNWRAPPED);
    assertThat(figures.problems()).isPositive();
    assertThat(figures.failed()).isZero();
  }
}
