package dev.traceunit.core;

/**
 * Stable names for the ways instrumentation can go wrong. Production code never gets an exception
 * from traceunit; each misuse or cut becomes a {@link Problem} with one of these codes.
 */
public enum ProblemCode {
  /** {@code end()} was called on a span that had already ended. */
  SPAN_ENDED_TWICE,
  /** A span was still open when recording finished (the end of the test). */
  SPAN_NOT_ENDED,
  /** A scope was closed while another scope opened after it was still open. */
  SCOPE_CLOSED_OUT_OF_ORDER,
  /** A span reached the attribute limit; further new keys were dropped and counted. */
  ATTRIBUTE_LIMIT,
  /** An attribute key was longer than the key length limit and was cut. */
  KEY_TOO_LONG,
  /** A string value was longer than the value length limit and was truncated with a marker. */
  VALUE_TRUNCATED,
  /**
   * A value of an unsupported type (or null) was stored as its string form, or skipped; or a link
   * that points at no span (blank trace id or span id 0) was dropped.
   */
  UNSUPPORTED_VALUE,
  /** A span reached the event limit; further events were dropped and counted. */
  EVENT_LIMIT,
  /** A span was given more links than the link limit; the rest were dropped unread, counted in the problem and on the span. */
  LINK_LIMIT,
  /** The collector reached its span limit; further spans were dropped and counted. */
  SPAN_LIMIT,
  /**
   * A span, event or kind name was null or blank and was replaced by {@code <unnamed>} (a kind by
   * {@code internal}), or was longer than {@link Limits#maxNameLength()} and was cut.
   */
  INVALID_NAME,
  /** A {@link SpanListener} threw; the exception was caught and never reached the caller. */
  LISTENER_FAILED,
  /** A span was started after its collector finished recording; it was dropped and counted. */
  ORPHAN_SPAN,
  /**
   * A pool thread that this test started ran a task that carried no context (it was not handed
   * over through {@link Tracing#wrap(Runnable)}), and no fallback collector was active (parallel
   * execution): the task's spans were recorded in no test, only counted in the run summary.
   */
  UNATTRIBUTED_SPAN,
  /** The collector reached its problem limit; later problems were counted in one last problem of this code. */
  PROBLEM_LIMIT
}
