package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One span as recorded: an immutable value read from a {@link Trace}.
 *
 * @param traceId the trace it belongs to
 * @param spanId its id, 1, 2, 3… in start order per collector
 * @param parentId its parent's id, or 0 for a root
 * @param kind its kind
 * @param name its name (the latest one if it was renamed)
 * @param startOffset when it started, since the collector's epoch (monotonic)
 * @param startTime when it started, on the wall clock
 * @param duration how long it took; for an open span, up to the moment of the snapshot
 * @param ended whether it has ended
 * @param marker whether it is a marker: a zero-duration point in the tree
 * @param attributes its attributes, insertion-ordered
 * @param events its events, in the order recorded
 * @param links its links to other spans
 * @param status its outcome
 * @param error the exception recorded on it, or null
 * @param threadName the thread that started it
 * @param droppedAttributes attributes cut by the attribute limit
 * @param droppedEvents events cut by the event limit
 * @param droppedLinks links cut by the link limit
 */
public record RecordedSpan(
    String traceId,
    long spanId,
    long parentId,
    SpanKind kind,
    String name,
    Duration startOffset,
    Instant startTime,
    Duration duration,
    boolean ended,
    boolean marker,
    Map<String, Object> attributes,
    List<SpanEvent> events,
    List<SpanLink> links,
    SpanStatus status,
    ErrorInfo error,
    String threadName,
    int droppedAttributes,
    int droppedEvents,
    int droppedLinks) {

  /**
   * Checks the required components; attributes, events and links are copied and frozen, attribute
   * values brought to the types a recorded value has (an {@code Integer} becomes a {@code Long}).
   *
   * @param traceId the trace it belongs to
   * @param spanId its id, 1, 2, 3… in start order per collector
   * @param parentId its parent's id, or 0 for a root
   * @param kind its kind
   * @param name its name (the latest one if it was renamed)
   * @param startOffset when it started, since the collector's epoch (monotonic)
   * @param startTime when it started, on the wall clock
   * @param duration how long it took; for an open span, up to the moment of the snapshot
   * @param ended whether it has ended
   * @param marker whether it is a marker: a zero-duration point in the tree
   * @param attributes its attributes, insertion-ordered
   * @param events its events, in the order recorded
   * @param links its links to other spans
   * @param status its outcome
   * @param error the exception recorded on it, or null
   * @param threadName the thread that started it
   * @param droppedAttributes attributes cut by the attribute limit
   * @param droppedEvents events cut by the event limit
   * @param droppedLinks links cut by the link limit
   */
  public RecordedSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(startOffset, "startOffset");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(threadName, "threadName");
    attributes = Values.freeze(attributes == null ? Map.of() : attributes);
    events = events == null ? List.of() : List.copyOf(events);
    links = links == null ? List.of() : List.copyOf(links);
  }

  /**
   * {@return this span with another id (e.g. renumbered for a stable dump), everything else the same}
   *
   * @param spanId the new value
   */
  public RecordedSpan withSpanId(long spanId) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /**
   * {@return this span with another parent id (0 makes it a root), everything else the same}
   *
   * @param parentId the new value
   */
  public RecordedSpan withParentId(long parentId) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /**
   * {@return this span with other attributes (e.g. masked), everything else the same}
   *
   * @param attributes the new value
   */
  public RecordedSpan withAttributes(Map<String, Object> attributes) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /**
   * {@return this span with other events, everything else the same}
   *
   * @param events the new value
   */
  public RecordedSpan withEvents(List<SpanEvent> events) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /**
   * {@return this span with other links, everything else the same}
   *
   * @param links the new value
   */
  public RecordedSpan withLinks(List<SpanLink> links) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /**
   * {@return this span with another recorded exception (or none, if null), everything else the same}
   *
   * @param error the new value
   */
  public RecordedSpan withError(ErrorInfo error) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /**
   * {@return this span with another thread name, everything else the same}
   *
   * @param threadName the new value
   */
  public RecordedSpan withThreadName(String threadName) {
    return new RecordedSpan(traceId, spanId, parentId, kind, name, startOffset, startTime, duration, ended, marker, attributes, events, links, status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
  }

  /** {@return whether it has no parent} */
  public boolean isRoot() {
    return parentId == 0;
  }

  /** {@return when it ended (or the snapshot was taken, if open), since the collector's epoch} */
  public Duration endOffset() {
    return startOffset.plus(duration);
  }

  /**
   * Its line of the text tree, after its id, e.g. {@code span 2 client payment.call  +10ms  120ms
   * attempt=1}: so a span prints readably in any message, with no representation to register.
   */
  @Override
  public String toString() {
    RecordedSpan alone = withParentId(0).withEvents(List.of()).withLinks(List.of());
    String line = Trace.of(traceId, List.of(alone), List.of(), 0).render().split("\n")[1];
    return "span " + spanId + " " + line.substring(line.indexOf("─ ") + 2).strip();
  }

  /** {@return a link pointing at this span} */
  public SpanLink link() {
    return SpanLink.to(traceId, spanId);
  }
}
