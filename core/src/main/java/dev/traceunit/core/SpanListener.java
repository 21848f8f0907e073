package dev.traceunit.core;

/**
 * Told about spans and problems as a collector records them. Called on the recording thread; a
 * listener that throws is isolated: its exception becomes a {@link ProblemCode#LISTENER_FAILED}
 * problem and never reaches the code under test.
 *
 * <pre>{@code
 * collector.addListener(new SpanListener() {
 *   public void onEnd(RecordedSpan span) { System.out.println("ended " + span.name()); }
 * });
 * }</pre>
 */
public interface SpanListener {

  /**
   * A span started; it carries the attributes and links it was started with.
   *
   * @param span the span as it started
   */
  default void onStart(RecordedSpan span) {}

  /**
   * A span ended.
   *
   * @param span the span as it ended
   */
  default void onEnd(RecordedSpan span) {}

  /**
   * A problem was recorded.
   *
   * @param problem the problem
   */
  default void onProblem(Problem problem) {}
}
