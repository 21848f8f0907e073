package dev.traceunit.junit;

import dev.traceunit.core.Problem;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Quantities;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Fails a test that passed but whose trace has problems (a span never ended, a value was cut, a
 * listener threw), in strict mode, which is on by default. Its message lists the problem codes
 * and the text tree, with the problems under it; like {@link TraceDump}'s, the tree is cut to
 * {@value TraceExtension#MESSAGE_TREE_LINES} lines around the first span with an error or a problem.
 *
 * <pre>{@code
 * dev.traceunit.junit.TraceProblemsError: the test passed, but its trace has 1 problem: SPAN_NOT_ENDED
 * trace CheckoutTest/pays · 1 span · 1 problem
 * └─ server checkout  +0ms  OPEN
 * problems:
 *   SPAN_NOT_ENDED  span 1 checkout was still open when the test ended
 * Fix the instrumentation, or report problems without failing: traceunit.strict=false
 * }</pre>
 */
public final class TraceProblemsError extends AssertionError {

  private static final long serialVersionUID = 1L;

  /** Not serialized: an error that crossed a process boundary keeps only its message. */
  private final transient Trace trace;

  TraceProblemsError(Trace trace, String tree) {
    super(message(trace, tree));
    this.trace = trace;
    // Thrown from the extension after the test: a stack trace would show only JUnit's internals.
    setStackTrace(new StackTraceElement[0]);
  }

  private static String message(Trace trace, String tree) {
    List<Problem> problems = trace.problems();
    String codes = problems.stream().map(p -> p.code().name()).distinct().collect(Collectors.joining(", "));
    return "the test passed, but its trace has " + Quantities.count(problems.size(), "problem") + ": " + codes + "\n" + tree + (tree.endsWith("\n") ? "" : "\n")
        + "Fix the instrumentation, or report problems without failing: traceunit.strict=false";
  }

  /** {@return the problems that failed the test, in the order they were recorded} */
  public List<Problem> problems() {
    return trace == null ? List.of() : trace.problems();
  }

  /** {@return the trace with the problems, or null if this error was deserialized} */
  public Trace trace() {
    return trace;
  }
}
