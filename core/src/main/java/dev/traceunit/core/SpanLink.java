package dev.traceunit.core;

import java.util.Map;
import java.util.Objects;

/**
 * A reference from one span to another that is not its parent, e.g. a drain phase that points at
 * the job it drains. Get one with {@link SpanHandle#link()} or {@link Tracing#currentLink()}.
 *
 * @param traceId the trace of the span pointed at
 * @param spanId the span pointed at
 * @param attributes details of the link
 */
public record SpanLink(String traceId, long spanId, Map<String, Object> attributes) {

  public SpanLink {
    Objects.requireNonNull(traceId, "traceId");
    attributes = Values.freeze(attributes == null ? Map.of() : attributes);
  }

  /** A link to a span, without attributes. */
  public static SpanLink to(String traceId, long spanId) {
    return new SpanLink(traceId, spanId, Map.of());
  }

  /** This link with attributes. */
  public SpanLink withAttributes(Map<String, ?> attributes) {
    return new SpanLink(traceId, spanId, Values.freeze(Values.copyOf(attributes)));
  }
}
