package dev.traceunit.junit;

import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Quantities;
import dev.traceunit.core.internal.UnrecordedSpans;
import dev.traceunit.junit.internal.ReportListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the HTML report of every test {@link TraceExtension} traced: {@code
 * target/traceunit-report/index.html}, tests grouped by class with each class's own trace, each
 * trace as a waterfall timeline with its text tree, failure and downloads one click away. The page
 * has no external assets and works offline, opened from the file or served by a CI server.
 *
 * <p>One page per report folder holds every run of a build: each JVM (each Surefire fork, each
 * module's test run) writes its own data files there when its run ends, atomically, and rewrites
 * the page to list all runs in the folder. A run of another build replaces them. A JVM forked by
 * Surefire, Failsafe or Gradle to run tests belongs to the build of the process that started it;
 * any other JVM (tests run in the build tool's own JVM, an IDE run) is a build of its own; {@code
 * traceunit.report.build} names the build explicitly.
 *
 * <p>JUnit finds this listener through {@code META-INF/services} (as {@link ReportListener}); nothing
 * needs registering. It
 * reads the configuration parameters {@link ConfigKeys#REPORT_KEYS}. The extension hands each test's trace (masked like every dump) to the
 * listeners of the same JVM, so the report works under parallel execution.
 *
 * <p>The page's address ({@code traceunit report: file:…}) is printed once per build, by the first
 * run with a failed traced test, and never for a run started inside another one of the same JVM (a
 * test that runs tests): a green build and the runs inside traceunit's own tests stay quiet. At the
 * end of the outermost run it also prints one line if any span was recorded in no test (see {@link
 * UnrecordedSpans#summaryLine()}), report or not: a green build with lost spans does not stay
 * silent; the page lists those threads above its tests.
 */
final class TraceReportListener implements TestExecutionListener {

  static {
    ReportListener.reportWith(TraceReportListener::new); // the public class JUnit finds as a service
  }

  private static final String JUNIT_OUTPUT_DIR_KEY = "junit.platform.reporting.output.dir";
  /** Listeners of the runs going on in this JVM: a run inside a test has its own. */
  static final Set<TraceReportListener> ACTIVE = ConcurrentHashMap.newKeySet();

  /** The position in the test plan of every test and container not finished yet. */
  private final Map<String, Integer> order = new ConcurrentHashMap<>();
  private final Map<String, Trace> handedOver = new ConcurrentHashMap<>();
  private final AtomicInteger untraced = new AtomicInteger();
  /** When each running test started, for the run's OTLP file; empty unless it is asked for. */
  private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
  private volatile boolean runOtlp;
  private volatile TestPlan plan;
  private volatile Path dir;
  private volatile String build;
  private volatile Instant started;
  private volatile TraceReportRun run;
  private volatile boolean failedOnce;
  /** Whether the run started while another was writing its report: then it prints nothing. */
  private volatile boolean nested;
  private volatile boolean tracedTestFailed;
  /** The unrecorded-span counts when the run started: the summary tells only this run's. */
  private volatile UnrecordedSpans.Mark unrecordedBefore = UnrecordedSpans.Mark.zero();

  /** For {@link ReportListener}, which JUnit finds as a service and which hands every event on. */
  TraceReportListener() {}

  /**
   * Hands the finished trace of the test or class {@code uniqueId} to the report of the run it
   * belongs to, if one is being written.
   */
  static void offer(String uniqueId, Trace trace) {
    for (TraceReportListener listener : ACTIVE) {
      if (listener.order.containsKey(uniqueId)) {
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
    dir = null;
    boolean enabled;
    Optional<Path> configuredDir;
    Optional<String> configuredBuild;
    try {
      enabled = ConfigKeys.REPORT.read(configuration::get);
      configuredDir = ConfigKeys.REPORT_DIR.read(configuration::get);
      configuredBuild = ConfigKeys.REPORT_BUILD.read(configuration::get);
      runOtlp = ConfigKeys.REPORT_OTLP.read(configuration::get);
    } catch (ExtensionConfigurationException badValue) {
      // Every traced test fails with the same message; a run of untraced tests still hears of it.
      warn(badValue.getMessage() + "; no report is written");
      enabled = false;
      configuredDir = Optional.empty();
      configuredBuild = Optional.empty();
      runOtlp = false;
    }
    if (!enabled) {
      ACTIVE.add(this); // a run without a report still counts as one for runs started inside it
      return;
    }
    dir = configuredDir.orElseGet(() -> configuration.get(JUNIT_OUTPUT_DIR_KEY)
        .map(d -> Path.of(d.trim(), "traceunit-report")).orElse(Path.of("target", "traceunit-report")));
    build = configuredBuild.map(b -> "named " + b).orElseGet(TraceReportListener::buildOfThisJvm);
    plan = testPlan;
    started = Instant.now();
    tracedTestFailed = false;
    failedOnce = false;
    untraced.set(0);
    Deque<TestIdentifier> todo = new ArrayDeque<>(testPlan.getRoots());
    while (!todo.isEmpty()) {
      TestIdentifier id = todo.removeFirst();
      order.put(id.getUniqueId(), order.size());
      List<TestIdentifier> children = new ArrayList<>(testPlan.getChildren(id));
      for (int i = children.size() - 1; i >= 0; i--) {
        todo.addFirst(children.get(i)); // depth first, in the plan's order
      }
    }
    ACTIVE.add(this);
  }

  @Override
  public void dynamicTestRegistered(TestIdentifier testIdentifier) {
    if (dir != null) {
      order.put(testIdentifier.getUniqueId(), testIdentifier.getParentId().map(order::get).orElse(0));
    }
  }

  @Override
  public void executionStarted(TestIdentifier test) {
    if (runOtlp) {
      startedAt.put(test.getUniqueId(), Instant.now());
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    Instant end = Instant.now();
    Integer position = order.remove(test.getUniqueId());
    Instant start = runOtlp ? startedAt.remove(test.getUniqueId()) : null;
    Trace trace = handedOver.remove(test.getUniqueId());
    if (dir == null || failedOnce) {
      return;
    }
    if (trace == null) {
      if (test.isTest()) {
        untraced.incrementAndGet();
      }
      return;
    }
    // A class's own trace (constructor, @BeforeAll, @AfterAll) is handed over only when it has something.
    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
      tracedTestFailed = true;
    }
    try {
      TraceReportRun into = run();
      into.add(entry(test, position == null ? 0 : position, result, start == null ? end : start, end), trace);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      abandon(e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // Out of memory in traceunit's own reporting stops the report, never the run: the launcher
      // goes on with the next test.
      abandon(new IllegalStateException("the trace of " + test.getDisplayName() + " has " + trace.size()
          + " spans and did not fit in memory; the report is left out", e));
    }
  }

  private synchronized TraceReportRun run() throws IOException {
    if (run == null) {
      run = new TraceReportRun(dir, build, started, runOtlp);
    }
    return run;
  }

  private synchronized void abandon(Exception e) {
    if (failedOnce) {
      return;
    }
    failedOnce = true;
    warn("could not write the report into " + dir + ": " + e);
    if (run != null) {
      run.close();
      try {
        TraceReportPage.deleteTree(run.dir());
      } catch (IOException ignored) {
        // said so already
      }
      run = null;
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    if (!nested) {
      UnrecordedSpans.summaryLine(unrecordedBefore).ifPresent(System.out::println);
    }
    ACTIVE.remove(this);
    handedOver.clear();
    order.clear();
    startedAt.clear();
    TraceReportRun written;
    synchronized (this) {
      written = failedOnce ? null : run;
      run = null;
    }
    if (written == null) {
      return;
    }
    try {
      String name = written.finish(build, untraced.get(), Instant.now(), runSummary());
      TraceReportPage.Published published =
          TraceReportPage.publish(dir, build, written.dir(), name, tracedTestFailed && !nested);
      if (published.firstToPrint()) {
        System.out.println("traceunit report: " + published.page().toUri());
      }
    } catch (IOException | RuntimeException e) {
      abandon(e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      abandon(new IllegalStateException("the run's report did not fit in memory", e));
    }
  }

  /**
   * What the page shows of the run as a whole, one line each, above the tests: the spans recorded
   * in no test during this run, by thread, as {@link UnrecordedSpans} counted them.
   */
  private List<String> runSummary() {
    List<String> lines = new ArrayList<>();
    for (UnrecordedSpans.Entry entry : UnrecordedSpans.entries(unrecordedBefore)) {
      lines.add(Quantities.count(entry.spans(), "span") + " recorded in no test on thread '"
          + entry.threadName() + "' (first span '" + entry.firstSpan() + "', " + UnrecordedSpans.describe(entry) + ")");
    }
    return lines;
  }

  /** Where the test or class stands: its class, its name below the class, its outcome. */
  private TraceReportRun.Entry entry(TestIdentifier test, int position, TestExecutionResult result, Instant start,
      Instant end) {
    TestPlan in = plan;
    TestIdentifier classContainer = null;
    Deque<String> below = new ArrayDeque<>();
    Deque<String> classPath = new ArrayDeque<>();
    for (Optional<TestIdentifier> at = Optional.of(test); at.isPresent(); at = in.getParent(at.get())) {
      TestIdentifier node = at.get();
      boolean isClass = node.getSource().filter(ClassSource.class::isInstance).isPresent();
      if (in.getParent(node).isEmpty()) {
        break; // the engine
      }
      if (isClass) {
        if (classContainer == null) {
          classContainer = node;
        }
        classPath.push(node.getDisplayName());
      } else if (classContainer == null) {
        below.push(node.getDisplayName());
      }
    }
    boolean classLevel = classContainer == test;
    String className = classContainer == null ? null
        : ((ClassSource) classContainer.getSource().orElseThrow()).getClassName();
    if (className == null) {
      className = test.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getClassName())
          .orElse(null);
    }
    String shownClass = classPath.isEmpty() ? "" : String.join(" \u203a ", classPath);
    String name = classLevel ? "(class)" : below.isEmpty() ? test.getDisplayName() : String.join(" \u203a ", below);
    return new TraceReportRun.Entry(test.getUniqueId(), classLevel, className == null ? "" : className, shownClass,
        classContainer == null ? "" : classContainer.getUniqueId(), name, position, result.getStatus().name(),
        result.getThrowable().orElse(null), start, end);
  }

  /**
   * The build this JVM belongs to: the process that forked it, when a build tool forked it to run
   * tests (Surefire, Failsafe, Gradle), else this JVM. A shell between them (Surefire starts forks
   * through {@code /bin/sh} on Unix) is skipped.
   */
  static String buildOfThisJvm() {
    ProcessHandle self = ProcessHandle.current();
    ProcessHandle build = self;
    if (forkedForTests()) {
      Optional<ProcessHandle> parent = self.parent();
      while (parent.isPresent() && isShell(parent.get())) {
        parent = parent.get().parent();
      }
      if (parent.isPresent()) {
        build = parent.get();
      }
    }
    return "process " + build.pid() + " started " + build.info().startInstant().map(Instant::toString).orElse("?");
  }

  private static boolean forkedForTests() {
    return System.getProperty("surefire.test.class.path") != null || System.getProperty("surefire.real.class.path") != null
        || System.getProperty("java.class.path", "").contains("surefirebooter")
        || System.getProperty("org.gradle.test.worker") != null;
  }

  private static boolean isShell(ProcessHandle process) {
    String command = process.info().command().orElse("");
    String name = command.substring(command.lastIndexOf('/') + 1);
    return name.equals("sh") || name.equals("bash") || name.equals("dash") || name.equals("zsh");
  }

  private static void warn(String message) {
    System.err.println("traceunit: " + message);
  }
}
