package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Checks the trace id; the attributes are copied, frozen and brought to the types a recorded value
   * has (an {@code Integer} becomes a {@code Long}, an unsupported object its string form).
   *
   * @param traceId the trace of the span pointed at
   * @param spanId the span pointed at
   * @param attributes details of the link
   */
  public SpanLink {
    Objects.requireNonNull(traceId, "traceId");
    attributes = Values.freeze(attributes == null ? Map.of() : attributes);
  }

  /**
   * A link to a span, without attributes.
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
    // A shallow copy: the values are walked once, within the limits, when the link is added.
    List<String> keys = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    try {
      for (Map.Entry<String, ?> entry : attributes.entrySet()) {
        if (keys.size() >= MAX_COPIED) {
          break;
        }
        keys.add(entry.getKey());
        values.add(entry.getValue());
      }
    } catch (Throwable t) {
      keys.add(RecordingSpan.UNNAMED);
      values.add("<attributes of " + attributes.getClass().getName() + " could not be read: " + t.getClass().getName()
          + ">");
    }
    return new SpanLink(traceId, spanId,
        Values.frozenMapOf(keys.toArray(new String[0]), values.toArray(), keys.size()));
  }

  /** More attributes than a span may hold are never needed: the limit cuts at most this many. */
  private static final int MAX_COPIED = 10_000;
}
