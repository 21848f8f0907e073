package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets up a span before it starts: kind, attributes, links and parent. Get one from
 * {@link Tracing#span(String)}.
 *
 * <pre>{@code
 * SpanHandle drain = Tracing.span("drain")
 *     .noParent()                   // a root of its own ...
 *     .link(job.link())             // ... that points at the job it drains
 *     .attribute("batch", 7)
 *     .startAsync();
 * }</pre>
 */
public final class SpanBuilder {

  // Read by SpanCollector.startSpan(SpanBuilder, ...): the builder is the start request.
  final String name;
  SpanKind kind = SpanKind.INTERNAL;
  Map<String, Object> attributes;
  private Throwable readFailure;
  List<SpanLink> links;
  private SpanHandle parent;
  private boolean noParent;
  Instant startTime;

  SpanBuilder(String name) {
    this.name = name;
  }

  /**
   * The span's kind; {@link SpanKind#INTERNAL} if not set or null.
   *
   * @param kind the kind
   * @return this builder
   */
  public SpanBuilder kind(SpanKind kind) {
    this.kind = kind == null ? SpanKind.INTERNAL : kind;
    return this;
  }

  /**
   * An attribute the span starts with.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this builder
   */
  public SpanBuilder attribute(String key, String value) {
    return put(key, value);
  }

  /**
   * An attribute the span starts with.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this builder
   */
  public SpanBuilder attribute(String key, long value) {
    return put(key, value);
  }

  /**
   * An attribute the span starts with.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this builder
   */
  public SpanBuilder attribute(String key, double value) {
    return put(key, value);
  }

  /**
   * An attribute the span starts with.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this builder
   */
  public SpanBuilder attribute(String key, boolean value) {
    return put(key, value);
  }

  /**
   * An attribute the span starts with, of any type {@link SpanHandle#attribute(String, Object)} takes.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this builder
   */
  public SpanBuilder attribute(String key, Object value) {
    return put(key, value);
  }

  /**
   * Attributes the span starts with; null adds none.
   *
   * @param attributes keys and values
   * @return this builder
   */
  public SpanBuilder attributes(Map<String, ?> attributes) {
    if (attributes != null) {
      try {
        Values.inDefinedOrder(attributes).forEach(entry -> put(entry.getKey(), entry.getValue()));
      } catch (Throwable t) {
        readFailure = t; // the map threw while it was read: a problem on the span, once it exists
      }
    }
    return this;
  }

  private SpanBuilder put(String key, Object value) {
    if (attributes == null) {
      attributes = new LinkedHashMap<>();
    }
    attributes.put(key, value);
    return this;
  }

  /**
   * A link to another span, e.g. the job a drain phase belongs to; null adds none.
   *
   * @param link where the link points
   * @return this builder
   */
  public SpanBuilder link(SpanLink link) {
    if (link != null) {
      if (links == null) {
        links = new ArrayList<>(2);
      }
      links.add(link);
    }
    return this;
  }

  /**
   * The parent, instead of the current span of the calling thread. The span is recorded by the
   * parent's collector, whichever thread starts it. Null (or a handle that records nothing) means
   * the current span again.
   *
   * @param parent the span to start under
   * @return this builder
   */
  public SpanBuilder parent(SpanHandle parent) {
    this.parent = parent;
    this.noParent = false;
    return this;
  }

  /**
   * Makes the span a root even if a span is current, e.g. a resumed phase linked to its origin.
   *
   * @return this builder
   */
  public SpanBuilder noParent() {
    this.noParent = true;
    this.parent = null;
    return this;
  }

  /**
   * The wall-clock time the span started, if not now: e.g. a start time a bridged tracer recorded.
   * Its offset in the trace is derived from the difference to the collector's wall clock now. A
   * time the collector's clock could not have produced (before the trace began, or later than the
   * clock's current time, such as a library's {@code Instant.now()} under a mock clock) is replaced
   * by the clock's current time and noted in the attribute {@code traceunit.clock.start} (what was
   * given, what was used): no trace holds a time outside its clock's range. A null start time
   * means now.
   *
   * <pre>{@code
   * SpanHandle replayed = Tracing.span("import.batch").startTime(batch.receivedAt()).startAsync();
   * }</pre>
   *
   * @param startTime the wall-clock start
   * @return this builder
   */
  public SpanBuilder startTime(Instant startTime) {
    this.startTime = startTime;
    return this;
  }

  /**
   * Starts the span and makes it current on this thread; close it to restore the previous one.
   *
   * @return the started span
   */
  public SpanHandle start() {
    return start(true);
  }

  /**
   * Starts the span without making it current; end it from any thread.
   *
   * @return the started span
   */
  public SpanHandle startAsync() {
    return start(false);
  }

  private SpanHandle start(boolean makeCurrent) {
    SpanHandle span = startSpan(makeCurrent);
    if (readFailure != null && span instanceof RecordingSpan) {
      ((RecordingSpan) span).userCodeFailed("SpanBuilder.attributes(map)", readFailure);
    }
    return span;
  }

  private SpanHandle startSpan(boolean makeCurrent) {
    if (parent instanceof RecordingSpan) {
      RecordingSpan explicit = (RecordingSpan) parent;
      return explicit.collector().startSpan(this, explicit, makeCurrent, null);
    }
    ThreadContext context = ThreadContext.CURRENT.get();
    if (context != null && context.usable()) {
      return context.collector.startSpan(this, noParent ? null : context.current, makeCurrent, context);
    }
    SpanCollector fallback = ThreadContext.fallbackFor(context, name);
    if (fallback == null) {
      return NoopSpan.INSTANCE;
    }
    return fallback.startSpan(this, null, makeCurrent, context);
  }
}
