package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.traceunit.core.Tracing;
import dev.traceunit.junit.Traced;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What the extension and its report keep of every finished test until the run ends: the heap in
 * use (after collections) when the last of {@value #TESTS} tests has finished, with the extension
 * and the report on, minus the same for the same tests without the extension. JUnit's own share
 * (descriptors, the test plan) is in both.
 */
class ReportMemoryTest {

  static final int TESTS = 10_000;
  /** The bound docs/guarantees.md states, per finished test, passing or failing. */
  static final long BYTES_PER_TEST = 300;

  @TempDir
  Path dir;

  @Traced(strict = "false")
  public static class TracedFailing {
    @RepeatedTest(TESTS)
    void fails() {
      Tracing.run("step", () -> {});
      throw new AssertionError("fails on purpose");
    }
  }

  public static class PlainFailing {
    @RepeatedTest(TESTS)
    void fails() {
      Tracing.run("step", () -> {});
      throw new AssertionError("fails on purpose");
    }
  }

  @Traced
  public static class TracedPassing {
    @RepeatedTest(TESTS)
    void passes() {
      Tracing.run("step", () -> {});
    }
  }

  public static class PlainPassing {
    @RepeatedTest(TESTS)
    void passes() {
      Tracing.run("step", () -> {});
    }
  }

  @Test
  void theExtensionKeepsAtMostAFewHundredBytesOfEachFinishedTest() {
    long failing = heapAtTheLastTest(TracedFailing.class, "failing") - heapAtTheLastTest(PlainFailing.class, "plain-failing");
    long passing = heapAtTheLastTest(TracedPassing.class, "passing") - heapAtTheLastTest(PlainPassing.class, "plain-passing");

    Runs.figures(String.format("report memory: %,d tests, kept per finished test beyond JUnit's own: failing %d B,"
        + " passing %d B (bound %d B)", TESTS, failing / TESTS, passing / TESTS, BYTES_PER_TEST));
    assertThat(failing / TESTS).as("bytes kept per failing test").isLessThanOrEqualTo(BYTES_PER_TEST);
    assertThat(passing / TESTS).as("bytes kept per passing test").isLessThanOrEqualTo(BYTES_PER_TEST);
  }

  /** The heap in use after collections when the sample class (so each of its tests) has finished. */
  private long heapAtTheLastTest(Class<?> sample, String name) {
    HeapWhenClassFinished heap = new HeapWhenClassFinished();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .enableImplicitConfigurationParameters(false)
        .configurationParameters(Map.of("traceunit.report.dir", dir.resolve(name).toString(),
            "junit.platform.reporting.output.dir", dir.resolve(name + "-files").toString(),
            "traceunit.dump.formats", "text"))
        .selectors(selectClass(sample))
        .build(), heap);
    assertThat(heap.used).as("measured").isPositive();
    return heap.used;
  }

  private static final class HeapWhenClassFinished implements TestExecutionListener {
    long used;

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
        used = usedAfterCollection();
      }
    }
  }

  /** The least of a few readings, each after a full collection: what is really kept. */
  static long usedAfterCollection() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
