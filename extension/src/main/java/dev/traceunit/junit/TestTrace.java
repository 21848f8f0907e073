package dev.traceunit.junit;

import dev.traceunit.assertions.spi.SnapshotContext;
import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.StableTrace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.UniqueId;

/**
 * The state of one trace — a test's, a dynamic test's or a test class's — kept in the store of its
 * own {@link ExtensionContext}: its clock, its collector and the activations to undo.
 *
 * <p>It lives in two steps. {@link #stop()} (from the extension's {@code afterEach}, {@code afterAll}
 * or the end of a dynamic test) undoes the activations on the thread. {@link #close()}, called by
 * JUnit when it closes the context's store, dumps a failed trace: by then every extension's
 * after-callbacks have run, so {@link ExtensionContext#getExecutionException()} holds the outcome
 * JUnit is about to report, and a dump added to it reaches every report. Both steps do nothing the
 * second time.
 *
 * <p>It is both an {@link AutoCloseable} (what JUnit 5.13 and later close) and a {@code
 * CloseableResource} (what JUnit 5.10 to 5.12 close), so every supported JUnit closes it.
 */
@SuppressWarnings({"deprecation", "removal"}) // Store.CloseableResource: the only store resource JUnit 5.10-5.12 close
final class TestTrace implements AutoCloseable, ExtensionContext.Store.CloseableResource {

  /** Which context a trace belongs to; also its key in that context's store. */
  enum Level {
    /** A test class (or {@code @Nested} class): its constructor, {@code @BeforeAll} and {@code @AfterAll}. */
    CLASS,
    /** A test method, a test-template invocation or a dynamic test, with its {@code @BeforeEach}/{@code @AfterEach}. */
    TEST
  }

  final TraceExtension owner;
  final TraceSettings settings;
  final ExtensionContext context;
  final Level level;
  final String testId;
  /** Where dumps find the test's own thread and stack frames: see {@link StableTrace}. */
  final String testThread;
  final String testClass;
  final MockClock clock;
  final SpanCollector collector;
  private final Scope onThisThread;
  private final Scope asFallback;
  private final OutputCapture.Session output;
  private final SnapshotContext snapshots;
  /** Whether its dump's report entry and files are published (by settle, for a passing test). */
  boolean published;
  /** What settle threw for this trace (trace problems, a dump it could not publish): it needs no dump. */
  Throwable ownFailure;
  /** Whether {@link TraceExtension#finish} has run. */
  boolean dumped;
  private Trace finished;
  private boolean stopped;
  private boolean closed;

  private TestTrace(TraceExtension owner, TraceSettings settings, ExtensionContext context, Level level,
      boolean fallback) {
    this.owner = owner;
    this.settings = settings;
    this.context = context;
    this.level = level;
    this.testId = context.getUniqueId();
    this.testThread = Thread.currentThread().getName();
    this.testClass = context.getTestClass().map(Class::getName).orElse(null);
    this.clock = MockClock.at(settings.clockStart());
    // Parsed once: the trace id, the snapshot name and the obsolete-snapshot check all read it.
    List<UniqueId.Segment> segments = segments(testId);
    this.collector = new SpanCollector(traceId(testId, segments), TimeSource.of(clock::nanoTime, clock::instant), settings.limits(),
        settings.redaction());
    this.onThisThread = collector.activate();
    this.asFallback = fallback ? collector.activateAsFallback() : Scope.NOOP;
    this.output = settings.captureOutput() ? OutputCapture.start(collector) : null;
    // Only a test's own trace tells matchesSnapshot() which test runs; a class's methods have none.
    this.snapshots = testClass == null || level != Level.TEST ? null : SnapshotContext.enter(settings.snapshotsDir(), testClass,
        snapshotName(testId, segments), testThread, settings.snapshotsUpdate(), settings.snapshotsMissingPass(),
        settings.redaction()::apply);
  }

  /** The snapshot files the test compared with or wrote. */
  Set<Path> snapshotFiles() {
    return snapshots == null ? Set.of() : snapshots.usedFiles();
  }

  Path snapshotsDir() {
    return snapshots == null ? null : snapshots.classDir();
  }

  /**
   * The test's name in snapshot file names: below its class, the method name, then {@code #n} for
   * each invocation it runs in, outermost first: of its {@code @ParameterizedClass} (which comes
   * before the method in the unique id), then of the method or dynamic test, e.g. {@code pays},
   * {@code pays#2}, {@code checks#1#3}.
   */
  static String snapshotName(String testId) {
    return snapshotName(testId, segments(testId));
  }

  /** The test's name in snapshot file names, as its snapshot context has it. */
  String snapshotName() {
    return snapshots != null ? snapshots.testName() : snapshotName(testId, segments(testId));
  }

  /** The segments of the unique id {@code testId}, or null if it is not one. */
  private static List<UniqueId.Segment> segments(String testId) {
    try {
      return UniqueId.parse(testId).getSegments();
    } catch (RuntimeException notAUniqueId) {
      return null;
    }
  }

  /** {@link #snapshotName(String)} of {@code testId}, whose segments are given (null if it is not a unique id). */
  private static String snapshotName(String testId, List<UniqueId.Segment> segments) {
    if (segments == null) {
      return testId.replaceAll("[^A-Za-z0-9#._-]", "_");
    }
    StringBuilder classInvocations = new StringBuilder();
    StringBuilder name = new StringBuilder();
    for (UniqueId.Segment segment : segments) {
      String value = segment.getValue();
      switch (segment.getType()) {
        case "engine":
        case "class":
        case "nested-class":
        case "class-template":
        case "nested-class-template":
          break;
        case "class-template-invocation":
          (name.length() == 0 ? classInvocations : name).append(value);
          break;
        default:
          int paren = value.indexOf('(');
          String part = paren < 0 ? value : value.substring(0, paren);
          boolean first = name.length() == 0;
          name.append(part.startsWith("#") || first ? "" : ".").append(part);
          if (first) {
            name.append(classInvocations);
          }
      }
    }
    return name.length() == 0 ? "test" + classInvocations : name.toString();
  }

  /**
   * A fresh clock and collector for {@code context}, activated on the calling thread and, if
   * {@code fallback}, for threads that have no collector of their own.
   */
  static TestTrace start(TraceExtension owner, TraceSettings settings, ExtensionContext context, Level level,
      boolean fallback) {
    return new TestTrace(owner, settings, context, level, fallback);
  }

  /**
   * The finished trace as every dump shows it: masked, and the same on every run ({@link
   * StableTrace}); finishes it on the first call. The one place a trace becomes what dumps show.
   */
  Trace finishedTrace() {
    if (finished == null) {
      Trace masked = settings.redaction().apply(collector.finish());
      try {
        finished = StableTrace.of(masked, testThread, testClass);
      } catch (OutOfMemoryError e) {
        // The stable copy of a huge trace does not fit beside it in this JVM: dump the trace as recorded
        // rather than fail the run (its ids and thread names are then the recorded ones).
        finished = masked;
      }
    }
    return finished;
  }

  /**
   * A short trace id that is the same on every run: the test's unique id without the engine, class
   * names without packages, methods without parameters, e.g. {@code CheckoutTest/Retries/pays/#2}
   * (a template invocation or a dynamic test) or {@code CheckoutTest} (a class).
   */
  static String traceId(String testId) {
    return traceId(testId, segments(testId));
  }

  private static String traceId(String testId, List<UniqueId.Segment> segments) {
    if (segments == null) {
      return testId;
    }
    List<String> parts = new ArrayList<>();
    for (UniqueId.Segment segment : segments) {
      String value = segment.getValue();
      switch (segment.getType()) {
        case "engine":
          break;
        case "class":
        case "nested-class":
        case "class-template":
        case "nested-class-template":
          parts.add(value.substring(Math.max(value.lastIndexOf('.'), value.lastIndexOf('$')) + 1));
          break;
        default:
          int paren = value.indexOf('(');
          parts.add(paren < 0 ? value : value.substring(0, paren));
      }
    }
    String id = String.join("/", parts);
    return id.isBlank() ? testId : id;
  }

  /** Stops recording printed lines and undoes the activations; must run on the thread that started it. */
  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (output != null) {
        output.end();
      }
      if (snapshots != null) {
        snapshots.close();
      }
    } finally {
      try {
        asFallback.close();
      } finally {
        onThisThread.close();
      }
    }
  }

  /** Stops (if not yet stopped), finishes the trace and dumps it as its outcome asks; JUnit calls it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      TraceExtension.finish(this, context.getExecutionException());
    }
  }
}
