package dev.traceunit.core;

import dev.traceunit.core.internal.Quantities;
import dev.traceunit.core.internal.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened at a point in time during a span.
 *
 * @param name the event's name
 * @param offset when it happened, since the start of its span (monotonic)
 * @param time when it happened, on the wall clock
 * @param attributes details, insertion-ordered
 */
public record SpanEvent(String name, Duration offset, Instant time, Map<String, Object> attributes) {

  /**
   * Checks the required components; the attributes are copied, frozen and brought to the types a
   * recorded value has (an {@code Integer} becomes a {@code Long}, an unsupported object its string form).
   *
   * @param name the event's name
   * @param offset when it happened, since the start of its span (monotonic)
   * @param time when it happened, on the wall clock
   * @param attributes details, insertion-ordered
   */
  public SpanEvent {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(time, "time");
    attributes = Values.freeze(attributes == null ? Map.of() : attributes);
  }

  /** As the text tree shows it, e.g. {@code event retry.scheduled +120ms {delay=2s}}. */
  @Override
  public String toString() {
    return "event " + name + " +" + Quantities.millis(offset) + (attributes.isEmpty() ? "" : " " + Redaction.defaults().mask(attributes));
  }
}
