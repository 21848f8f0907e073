package dev.traceunit.junit;

import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.UnrecordedSpans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes one HTML page with the trace of every test {@link TraceExtension} traced in a run:
 * {@code target/traceunit-report/index.html}, failed tests first, each trace as a waterfall
 * timeline with its text tree one click away. The page has no external assets and works offline.
 *
 * <p>JUnit finds this listener through {@code META-INF/services}; nothing needs registering. It
 * reads two configuration parameters: {@value #ENABLED_KEY} ({@code true} by default, {@code
 * false} turns the report off) and {@value #DIR_KEY} (the folder; by default {@code
 * traceunit-report} in {@code junit.platform.reporting.output.dir} if that is set, else {@code
 * target/traceunit-report}). The extension hands each test's trace (masked like every dump) to the
 * listeners of the same JVM, so the report works under parallel execution. Each test JVM writes
 * its own report: with several Surefire forks, give each its own folder, e.g. {@code
 * traceunit.report.dir=target/traceunit-report-${surefire.forkNumber}}.
 *
 * <p>The page is written for every run with a traced test, but its address ({@code traceunit
 * report: file:…}) is printed only when a traced test failed, and never for a run started inside
 * another one of the same JVM (a test that runs tests): a green build and the runs inside
 * traceunit's own tests stay quiet. At the end of the outermost run it also prints one line if any
 * span was recorded in no test (see {@link UnrecordedSpans#summaryLine()}), report or not: a green
 * build with lost spans does not stay silent.
 */
public final class TraceReportListener implements TestExecutionListener {

  /** {@code false} turns the report off. */
  public static final String ENABLED_KEY = "traceunit.report";
  /** The folder the report is written to. */
  public static final String DIR_KEY = "traceunit.report.dir";

  private static final String JUNIT_OUTPUT_DIR_KEY = "junit.platform.reporting.output.dir";
  /** Listeners of the runs going on in this JVM: a run inside a test has its own. */
  static final Set<TraceReportListener> ACTIVE = ConcurrentHashMap.newKeySet();

  private final Set<String> testIds = ConcurrentHashMap.newKeySet();
  private final Map<String, Trace> handedOver = new ConcurrentHashMap<>();
  private volatile TestPlan plan;
  private volatile TraceReportPage page;
  /** Whether the run started while another was writing its report: then it prints nothing. */
  private volatile boolean nested;
  private volatile boolean tracedTestFailed;
  /** The unrecorded-span counts when the run started: the summary line tells only this run's. */
  private volatile UnrecordedSpans.Mark unrecordedBefore = UnrecordedSpans.Mark.zero();

  /** For {@link java.util.ServiceLoader}. */
  public TraceReportListener() {}

  /**
   * Hands the finished trace of the test {@code uniqueId} to the report of the run it belongs to,
   * if one is being written.
   */
  static void offer(String uniqueId, Trace trace) {
    for (TraceReportListener listener : ACTIVE) {
      if (listener.testIds.contains(uniqueId)) {
        listener.handedOver.put(uniqueId, trace);
      }
    }
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    ConfigurationParameters configuration = testPlan.getConfigurationParameters();
    nested = !ACTIVE.isEmpty();
    unrecordedBefore = UnrecordedSpans.mark();
    ConfigKeys.noteLauncherKeys(configuration.keySet()); // so that the extension can name a typo among them
    Optional<String> enabled = configuration.get(ENABLED_KEY).map(String::trim);
    if (enabled.isPresent() && !enabled.get().equals("true")) {
      if (!enabled.get().equals("false")) {
        warn(ENABLED_KEY + " is '" + enabled.get() + "' but must be true or false; no report is written");
      }
      ACTIVE.add(this); // a run without a report still counts as one for runs started inside it
      return;
    }
    Path dir = configuration.get(DIR_KEY).map(String::trim).filter(d -> !d.isEmpty()).map(Path::of)
        .orElseGet(() -> configuration.get(JUNIT_OUTPUT_DIR_KEY).map(d -> Path.of(d.trim(), "traceunit-report"))
            .orElse(Path.of("target", "traceunit-report")));
    plan = testPlan;
    page = new TraceReportPage(dir);
    tracedTestFailed = false;
    Deque<TestIdentifier> todo = new ArrayDeque<>(testPlan.getRoots());
    while (!todo.isEmpty()) {
      TestIdentifier id = todo.pop();
      testIds.add(id.getUniqueId());
      todo.addAll(testPlan.getChildren(id));
    }
    ACTIVE.add(this);
  }

  @Override
  public void dynamicTestRegistered(TestIdentifier testIdentifier) {
    if (page != null) {
      testIds.add(testIdentifier.getUniqueId());
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    TraceReportPage into = page;
    if (into == null || !test.isTest()) {
      return;
    }
    testIds.remove(test.getUniqueId());
    Trace trace = handedOver.remove(test.getUniqueId());
    if (trace == null) {
      into.countUntraced();
      return;
    }
    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
      tracedTestFailed = true;
    }
    try {
      into.add(name(test), test.getUniqueId(), result, trace);
    } catch (IOException | UncheckedIOException | IllegalArgumentException | OutOfMemoryError | StackOverflowError e) {
      // Out of memory in traceunit's own reporting stops the report, never the run: the launcher
      // goes on with the next test.
      page = null;
      ACTIVE.remove(this);
      into.abandon();
      warn("could not write the report into " + into.dir() + (e instanceof Error ? " (the trace of " + name(test)
          + " has " + trace.size() + " spans and did not fit in memory; the report is left out)" : "") + ": " + e);
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    if (!nested) {
      UnrecordedSpans.summaryLine(unrecordedBefore).ifPresent(System.out::println);
    }
    ACTIVE.remove(this);
    TraceReportPage written = page;
    page = null;
    handedOver.clear();
    testIds.clear();
    if (written == null) {
      return;
    }
    try {
      Optional<Path> file = written.finish();
      if (file.isPresent() && tracedTestFailed && !nested) {
        System.out.println("traceunit report: " + file.get().toUri());
      }
    } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      written.abandon();
      warn("could not write the report into " + written.dir() + ": " + e);
    }
  }

  /** {@code Class › Nested › test()}: display names from below the engine down to the test. */
  private String name(TestIdentifier test) {
    Deque<String> names = new ArrayDeque<>();
    TestPlan in = plan;
    for (Optional<TestIdentifier> at = Optional.of(test); at.isPresent(); at = in.getParent(at.get())) {
      if (in.getParent(at.get()).isPresent()) {
        names.push(at.get().getDisplayName());
      }
    }
    return String.join(" \u203a ", names);
  }

  private static void warn(String message) {
    System.err.println("traceunit: " + message);
  }
}
