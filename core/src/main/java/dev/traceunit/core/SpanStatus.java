package dev.traceunit.core;

/** The outcome of a span, as in OpenTelemetry: unset unless code says otherwise. */
public enum SpanStatus {
  /** Nothing was said about the outcome; the usual status of a successful span. */
  UNSET,
  /** Code marked the span as explicitly successful. */
  OK,
  /** The span failed: an exception was recorded or code marked it as failed. */
  ERROR
}
