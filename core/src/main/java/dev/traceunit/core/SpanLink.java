package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.util.Map;

/**
 * A reference from one span to another that is not its parent, e.g. a drain phase that points at
 * the job it drains. Get one with {@link SpanHandle#link()} or {@link Tracing#currentLink()}.
 *
 * <p>Never throws, whatever the ids: a null trace id is kept as empty. A link with an empty or blank
 * trace id, or span id 0 (what a missing message header gives), points at no span; the span it is
 * added to drops it with an {@link ProblemCode#UNSUPPORTED_VALUE} problem naming its ids, so no
 * recorded trace holds one (a span built by hand may, and is still written as JSON and OTLP).
 *
 * <pre>{@code
 * String header = message.header("trace-id"); // null when the sender sent none
 * Tracing.span("consume").link(SpanLink.to(header, spanId)).start();
 * }</pre>
 *
 * @param traceId the trace of the span pointed at
 * @param spanId the span pointed at
 * @param attributes details of the link
 */
public record SpanLink(String traceId, long spanId, Map<String, Object> attributes) {

  /**
   * A null trace id becomes empty (a link to no span, see above); the attributes are copied, frozen
   * and brought to the types a recorded value has (an {@code Integer} becomes a {@code Long}, an
   * unsupported object its string form).
   *
   * @param traceId the trace of the span pointed at
   * @param spanId the span pointed at
   * @param attributes details of the link
   */
  public SpanLink {
    traceId = traceId == null ? "" : traceId;
    attributes = Values.freeze(attributes == null ? Map.of() : attributes);
  }

  /**
   * A link to a span, without attributes; a null or blank trace id, or span id 0, gives a link to no
   * span, which a span drops with a problem.
   *
   * @param traceId the trace of the span
   * @param spanId the span's id
   * @return the link
   */
  public static SpanLink to(String traceId, long spanId) {
    return new SpanLink(traceId, spanId, Map.of());
  }

  /**
   * {@return this link with attributes} They are normalised like span attributes, within the limits, when
   * the link is added to a span; a map that cannot be read gives a link whose one attribute says so
   * (never an exception).
   *
   * @param attributes the link's attributes
   */
  public SpanLink withAttributes(Map<String, ?> attributes) {
    if (attributes == null) {
      return new SpanLink(traceId, spanId, Map.of());
    }
    // Every entry, in the order the constructor reads them; the values are walked once, within
    // the limits (which count every entry cut), when the link is added.
    Map<String, Object> entries;
    try {
      entries = Values.freezeEntries(attributes);
    } catch (Throwable t) {
      entries = Map.of(RecordingSpan.UNNAMED, "<attributes of " + attributes.getClass().getName()
          + " could not be read: " + t.getClass().getName() + ">");
    }
    return new SpanLink(traceId, spanId, entries);
  }
}
