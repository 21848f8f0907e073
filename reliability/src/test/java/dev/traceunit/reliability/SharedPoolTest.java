package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.UnrecordedSpans;
import dev.traceunit.junit.TraceExtension;
import dev.traceunit.junit.TraceProblemsError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Two tests running at the same time share an application's single-thread pool whose thread the
 * first one started: neither test ever sees the other's span. Unwrapped, the tasks are recorded in
 * no test, and the test that started the thread fails (strict mode) with a problem that names the
 * thread and says to use {@link Tracing#wrap}; wrapped, each task lands in its own test.
 */
@Isolated // reads the JVM-wide count of unrecorded spans
class SharedPoolTest {

  @TempDir
  Path reports;

  static ExecutorService pool;
  static boolean wrap;
  static CountDownLatch firstStartedThePool;
  static CountDownLatch secondDone;
  static final Map<String, SpanCollector> collectors = new ConcurrentHashMap<>();

  private static void submit(String name) throws Exception {
    Runnable task = () -> Tracing.run(name, () -> {});
    pool.submit(wrap ? Tracing.wrap(task) : task).get(10, TimeUnit.SECONDS);
  }

  @ExtendWith(TraceExtension.class)
  @Execution(ExecutionMode.CONCURRENT)
  static class TwoTestsSample {
    @Test
    void first(SpanCollector collector) throws Exception {
      collectors.put("first", collector);
      Tracing.run("first.own", () -> {});
      submit("first.work"); // starts the pool's thread, which inherits this test's context
      firstStartedThePool.countDown();
      assertThat(secondDone.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void second(SpanCollector collector) throws Exception {
      collectors.put("second", collector);
      assertThat(firstStartedThePool.await(10, TimeUnit.SECONDS)).isTrue();
      Tracing.run("second.own", () -> {});
      submit("second.work"); // runs on the thread the first test started, while that test still runs
      secondDone.countDown();
    }
  }

  private EngineExecutionResults runBoth(boolean wrapped) throws InterruptedException {
    pool = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "app-pool"));
    wrap = wrapped;
    firstStartedThePool = new CountDownLatch(1);
    secondDone = new CountDownLatch(1);
    collectors.clear();
    try {
      return Runs.run(Runs.into(reports), Runs.config(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"), TwoTestsSample.class);
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static List<String> seen(String test) {
    return collectors.get(test).snapshot().spans().stream().map(RecordedSpan::name).toList();
  }

  @Test
  void unwrappedTasksAreInNeitherTestAndTheTestThatStartedThePoolThreadIsTold() throws Exception {
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();
    EngineExecutionResults results = runBoth(false);

    assertThat(seen("first")).containsExactly("first.own");
    assertThat(seen("second")).containsExactly("second.own");
    assertThat(Runs.result(results, "second").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    TestExecutionResult first = Runs.result(results, "first");
    assertThat(first.getThrowable()).get().isInstanceOfSatisfying(TraceProblemsError.class, error -> {
      assertThat(error.problems()).singleElement().satisfies(problem -> {
        assertThat(problem.code()).isEqualTo(ProblemCode.UNATTRIBUTED_SPAN);
        assertThat(problem.message()).contains("'first.work'", "pool thread 'app-pool'", "Tracing.wrap");
      });
    });
    assertThat(UnrecordedSpans.entries(before)).singleElement().satisfies(entry -> {
      assertThat(entry.threadName()).isEqualTo("app-pool");
      assertThat(entry.firstSpan()).isEqualTo("first.work");
      assertThat(entry.spans()).isEqualTo(2);
      assertThat(entry.startedBy()).isEqualTo(collectors.get("first").traceId());
    });
    assertThat(UnrecordedSpans.summaryLine(before)).get().asString()
        .startsWith("traceunit: 2 spans were recorded in no test, from 1 thread (first: thread 'app-pool', span 'first.work'");
  }

  @Test
  void wrappedTasksLandEachInTheTestThatSubmittedThem() throws Exception {
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();
    EngineExecutionResults results = runBoth(true);

    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(seen("first")).containsExactly("first.own", "first.work");
    assertThat(seen("second")).containsExactly("second.own", "second.work");
    assertThat(UnrecordedSpans.entries(before)).isEmpty();
  }
}
