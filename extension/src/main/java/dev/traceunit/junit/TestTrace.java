package dev.traceunit.junit;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import java.util.ArrayList;
import java.util.List;
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
  final MockClock clock;
  final SpanCollector collector;
  private final Scope onThisThread;
  private final Scope asFallback;
  private final OutputCapture.Session output;
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
    this.clock = MockClock.at(settings.clockStart);
    this.collector = new SpanCollector(traceId(testId), TimeSource.of(clock::nanoTime, clock::instant), settings.limits,
        settings.redaction);
    this.onThisThread = collector.activate();
    this.asFallback = fallback ? collector.activateAsFallback() : Scope.NOOP;
    this.output = settings.captureOutput ? OutputCapture.start(collector) : null;
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
   * A short trace id that is the same on every run: the test's unique id without the engine, class
   * names without packages, methods without parameters, e.g. {@code CheckoutTest/Retries/pays/#2}
   * (a template invocation or a dynamic test) or {@code CheckoutTest} (a class).
   */
  static String traceId(String testId) {
    List<String> parts = new ArrayList<>();
    try {
      for (UniqueId.Segment segment : UniqueId.parse(testId).getSegments()) {
        String value = segment.getValue();
        switch (segment.getType()) {
          case "engine":
            break;
          case "class":
          case "nested-class":
            parts.add(value.substring(Math.max(value.lastIndexOf('.'), value.lastIndexOf('$')) + 1));
            break;
          default:
            int paren = value.indexOf('(');
            parts.add(paren < 0 ? value : value.substring(0, paren));
        }
      }
    } catch (RuntimeException notAUniqueId) {
      return testId;
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
    } finally {
      try {
        asFallback.close();
      } finally {
        onThisThread.close();
      }
    }
  }

  /**
   * The finished trace as every dump shows it; finishes it on the first call. The one place a
   * test's trace becomes what dumps show: formats that write values themselves get the masked
   * trace; every text rendered from a trace masks by its collector's redaction anyway.
   */
  Trace finishedTrace() {
    if (finished == null) {
      finished = collector.redaction().apply(collector.finish());
    }
    return finished;
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
