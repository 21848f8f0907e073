package dev.traceunit.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.traceunit.junit.TraceExtension;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A JUnit Platform launcher run of {@value BudgetRun#EXTENSION_TESTS} trivial tests, without and with
 * {@link TraceExtension}: the difference divided by the number of tests is what the extension adds to
 * each test (a fresh clock and collector, activation, the end-of-test checks, and with the defaults
 * the test's entry in the run's HTML report). One operation is one whole run, timed once
 * ({@code SingleShotTime}): a run takes seconds, and the report of each run is written when it ends.
 * Each variant runs in forks of its own, so that neither the JIT's choices nor the heap of one
 * variant lands in another's figures. Beside JMH's wall time, each measured run's thread CPU time
 * (the launcher runs the tests on the benchmark's thread) is appended to {@code
 * benchmarks/<build folder>/extension-cpu-<variant>.txt}, one run a line: on a machine shared with
 * other work it spreads far less than the wall time, which waits for a core.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ExtensionBenchmark {

  /** Trivial tests with no extension. */
  public static class PlainTests {
    @RepeatedTest(BudgetRun.EXTENSION_TESTS)
    void trivial() {}
  }

  /** The same tests, each with its own collector and mock clock. */
  @ExtendWith(TraceExtension.class)
  public static class TracedTests {
    @RepeatedTest(BudgetRun.EXTENSION_TESTS)
    void trivial() {}
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Launcher launcher;
  private boolean measuring;
  private String variant;
  private final List<Long> cpuNanos = new ArrayList<>();
  private Path reportDir;
  private LauncherDiscoveryRequest plain;
  private LauncherDiscoveryRequest traced;
  private LauncherDiscoveryRequest tracedWithoutReport;

  @Setup(Level.Trial)
  public void createLauncher() throws IOException {
    launcher = LauncherFactory.create();
    // The extension's HTML report is on by default: keep it, but out of the working directory.
    reportDir = Files.createTempDirectory("traceunit-benchmark-report");
    plain = request(PlainTests.class).build();
    traced = request(TracedTests.class).build();
    tracedWithoutReport = request(TracedTests.class).configurationParameter("traceunit.report", "false").build();
  }

  private LauncherDiscoveryRequestBuilder request(Class<?> tests) {
    return LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests))
        .configurationParameter("traceunit.report.dir", reportDir.toString());
  }

  /**
   * Each measured run starts with an empty report folder, as the first run of a build does: runs of
   * one build accumulate in its folder, and the page of the tenth lists ten.
   */
  @Setup(Level.Iteration)
  public void emptyReport(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
    delete(false);
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    variant = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
  }

  @TearDown(Level.Trial)
  public void deleteReport() throws IOException {
    delete(true);
    Path cpu = cpuFile(variant);
    Files.createDirectories(cpu.getParent());
    StringBuilder lines = new StringBuilder();
    cpuNanos.forEach(nanos -> lines.append(nanos).append('\n'));
    Files.writeString(cpu, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Where the thread CPU times of a variant's measured runs go: one file per variant, appended by each fork. */
  static Path cpuFile(String variant) {
    return Path.of("benchmarks", System.getProperty("build.folder", "target"), "extension-cpu-" + variant + ".txt");
  }

  private void delete(boolean folderToo) throws IOException {
    try (Stream<Path> files = Files.walk(reportDir)) {
      files.sorted(Comparator.reverseOrder()).filter(path -> folderToo || !path.equals(reportDir))
          .forEach(path -> path.toFile().delete());
    }
  }

  @Benchmark
  public long withoutExtension() {
    return run(plain);
  }

  /** The extension with its defaults, which include the HTML report of the run. */
  @Benchmark
  public long withExtension() {
    return run(traced);
  }

  /** The extension with the HTML report turned off ({@code traceunit.report=false}). */
  @Benchmark
  public long withExtensionNoReport() {
    return run(tracedWithoutReport);
  }

  private long run(LauncherDiscoveryRequest request) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    long cpu = THREADS.getCurrentThreadCpuTime();
    launcher.execute(request, listener);
    if (measuring) {
      cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu);
    }
    TestExecutionSummary summary = listener.getSummary();
    if (summary.getTestsSucceededCount() != BudgetRun.EXTENSION_TESTS) {
      throw new IllegalStateException("expected " + BudgetRun.EXTENSION_TESTS + " passing tests but "
          + summary.getTestsSucceededCount() + " passed and " + summary.getTestsFailedCount() + " failed: "
          + summary.getFailures());
    }
    return summary.getTestsSucceededCount();
  }
}
