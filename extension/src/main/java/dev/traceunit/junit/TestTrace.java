package dev.traceunit.junit;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.TimeSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.UniqueId;

/**
 * The state of one test, kept in its method-level store: its clock, its collector and the
 * activations to undo. Closing undoes them; closing again does nothing.
 */
final class TestTrace implements AutoCloseable {

  final TraceExtension owner;
  final TraceSettings settings;
  final String testId;
  final MockClock clock;
  final SpanCollector collector;
  private final Scope onThisThread;
  private final Scope asFallback;
  private final OutputCapture.Session output;
  private boolean closed;

  private TestTrace(TraceExtension owner, TraceSettings settings, String testId, boolean fallback) {
    this.owner = owner;
    this.settings = settings;
    this.testId = testId;
    this.clock = MockClock.at(settings.clockStart);
    this.collector = new SpanCollector(traceId(testId), TimeSource.of(clock::nanoTime, clock::instant), settings.limits,
        settings.redaction);
    this.onThisThread = collector.activate();
    this.asFallback = fallback ? collector.activateAsFallback() : Scope.NOOP;
    this.output = settings.captureOutput ? OutputCapture.start(collector) : null;
  }

  /** Stops recording printed lines, recording unfinished ones; before the trace is finished. */
  void endOutputCapture() {
    if (output != null) {
      output.end();
    }
  }

  /**
   * A fresh clock and collector for the test {@code testId}, activated on the calling thread and,
   * if {@code fallback}, for threads that have no collector of their own.
   */
  static TestTrace start(TraceExtension owner, TraceSettings settings, String testId, boolean fallback) {
    return new TestTrace(owner, settings, testId, fallback);
  }

  /**
   * A short trace id that is the same on every run: the test's unique id without the engine, class
   * names without packages, methods without parameters, e.g. {@code CheckoutTest/Retries/pays/#2}.
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

  /** Undoes the activations; must run on the test's thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      endOutputCapture();
    } finally {
      try {
        asFallback.close();
      } finally {
        onThisThread.close();
      }
    }
  }
}
