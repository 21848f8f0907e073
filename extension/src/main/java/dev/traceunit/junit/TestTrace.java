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
import org.junit.platform.engine.UniqueId;

/**
 * The state of one test, kept in its method-level store: its clock, its collector and the
 * activations to undo. Closing undoes them; closing again does nothing.
 */
final class TestTrace implements AutoCloseable {

  final TraceExtension owner;
  final TraceSettings settings;
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
  private boolean closed;

  private TestTrace(TraceExtension owner, TraceSettings settings, String testId, String testClass, boolean fallback) {
    this.owner = owner;
    this.settings = settings;
    this.testId = testId;
    this.testThread = Thread.currentThread().getName();
    this.testClass = testClass;
    this.clock = MockClock.at(settings.clockStart);
    this.collector = new SpanCollector(traceId(testId), TimeSource.of(clock::nanoTime, clock::instant), settings.limits,
        settings.redaction);
    this.onThisThread = collector.activate();
    this.asFallback = fallback ? collector.activateAsFallback() : Scope.NOOP;
    this.output = settings.captureOutput ? OutputCapture.start(collector) : null;
    this.snapshots = testClass == null ? null : SnapshotContext.enter(settings.snapshotsDir, testClass,
        snapshotName(testId), testThread, settings.snapshotsUpdate, settings.snapshotsMissingPass,
        settings.redaction::apply);
  }

  /** The snapshot files the test compared with or wrote. */
  Set<Path> snapshotFiles() {
    return snapshots == null ? Set.of() : snapshots.usedFiles();
  }

  Path snapshotsDir() {
    return snapshots == null ? null : snapshots.classDir();
  }

  /**
   * The test's name in snapshot file names: below its class, the method name, plus {@code #n} for
   * each invocation or dynamic test, e.g. {@code pays}, {@code pays#2}, {@code checks#1#3}.
   */
  static String snapshotName(String testId) {
    StringBuilder name = new StringBuilder();
    try {
      for (UniqueId.Segment segment : UniqueId.parse(testId).getSegments()) {
        String value = segment.getValue();
        switch (segment.getType()) {
          case "engine":
          case "class":
          case "nested-class":
            break;
          default:
            int paren = value.indexOf('(');
            String part = paren < 0 ? value : value.substring(0, paren);
            name.append(part.startsWith("#") || name.length() == 0 ? "" : ".").append(part);
        }
      }
    } catch (RuntimeException notAUniqueId) {
      return testId.replaceAll("[^A-Za-z0-9#._-]", "_");
    }
    return name.length() == 0 ? "test" : name.toString();
  }

  /** Stops recording printed lines, recording unfinished ones; before the trace is finished. */
  void endOutputCapture() {
    if (output != null) {
      output.end();
    }
  }

  /**
   * A fresh clock and collector for the test {@code testId} of {@code testClass} (null if none),
   * activated on the calling thread and, if {@code fallback}, for threads that have no collector of
   * their own.
   */
  static TestTrace start(TraceExtension owner, TraceSettings settings, String testId, String testClass,
      boolean fallback) {
    return new TestTrace(owner, settings, testId, testClass, fallback);
  }

  /** The finished trace as every dump shows it: masked, and the same on every run ({@link StableTrace}). */
  Trace finishForDumps() {
    Trace masked = settings.redaction.apply(collector.finish());
    try {
      return StableTrace.of(masked, testThread, testClass);
    } catch (OutOfMemoryError e) {
      // The stable copy of a huge trace does not fit beside it in this JVM: dump the trace as recorded
      // rather than fail the run (its ids and thread names are then the recorded ones).
      return masked;
    }
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
}
