package dev.traceunit.junit;

import dev.traceunit.core.Trace;

/**
 * The trace of a failed test, attached by {@link TraceExtension} as a suppressed exception to the
 * test's own exception, so the tree appears under the failure wherever it is shown: IDE, console,
 * Surefire's XML report. It has no stack trace; its message is the text tree, or for a tree of more
 * than {@value TraceExtension#MESSAGE_TREE_LINES} lines that many around the first span with an error
 * or a problem (the published {@code trace.txt} and {@code trace.json}, for the formats that
 * {@code traceunit.dump.formats} names, keep the whole tree).
 *
 * <pre>{@code
 * org.opentest4j.AssertionFailedError: expected: <2> but was: <1>
 *     at ...
 *     Suppressed: dev.traceunit.junit.TraceDump: trace CheckoutTest/pays · 2 spans
 * └─ server checkout        +0ms  250ms
 *    └─ client payment.call +10ms 120ms  ERROR IOException: reset
 * }</pre>
 *
 * <p>It is never thrown; find it with {@code Arrays.stream(failure.getSuppressed())}.
 */
public final class TraceDump extends Throwable {

  private static final long serialVersionUID = 1L;

  /** Not serialized: a dump that crossed a process boundary keeps only its message. */
  private final transient Trace trace;

  TraceDump(Trace trace, String tree) {
    super(tree, null, false, false);
    this.trace = trace;
  }

  /** {@return the trace shown, or null if this dump was deserialized} */
  public Trace trace() {
    return trace;
  }
}
