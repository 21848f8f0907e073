package dev.traceunit.core;

import java.time.Instant;
import java.util.Map;

/**
 * A started span, to enrich and end. Handles are thread-safe; when nothing is recording they are a
 * shared no-op whose methods do nothing. Close it with try-with-resources:
 *
 * <pre>{@code
 * try (SpanHandle call = Tracing.start(SpanKind.CLIENT, "payment.call")) {
 *   call.attribute("attempt", attempt);
 *   gateway.charge(order);
 * }
 * }</pre>
 *
 * <p>Misuse never throws: it is recorded as a {@link Problem} on the collector.
 */
public interface SpanHandle extends AutoCloseable {

  /** {@return the span's id, 1, 2, 3… per collector; 0 when not recording} */
  long spanId();

  /** {@return the id of the trace the span belongs to; empty when not recording} */
  String traceId();

  /** {@return whether this handle records anything} */
  boolean isRecording();

  /**
   * Sets a string attribute, replacing an earlier value of the same key.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this handle
   */
  SpanHandle attribute(String key, String value);

  /**
   * Sets a long attribute, replacing an earlier value of the same key.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this handle
   */
  SpanHandle attribute(String key, long value);

  /**
   * Sets a double attribute, replacing an earlier value of the same key.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this handle
   */
  SpanHandle attribute(String key, double value);

  /**
   * Sets a boolean attribute, replacing an earlier value of the same key.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this handle
   */
  SpanHandle attribute(String key, boolean value);

  /**
   * Sets an attribute of any supported type: String, Long, Double, Boolean, a list or a
   * {@code Map<String, ?>} of these. Integers widen to Long, floats to Double; other types are
   * stored as their string form and reported as {@link ProblemCode#UNSUPPORTED_VALUE}.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this handle
   */
  SpanHandle attribute(String key, Object value);

  /**
   * Sets every entry of the map as an attribute.
   *
   * @param attributes keys and values
   * @return this handle
   */
  SpanHandle attributes(Map<String, ?> attributes);

  /**
   * Sets an attribute only if the key has no value yet. Works after the span has ended, for late
   * data such as time to first token.
   *
   * @param key the attribute's key
   * @param value its value, if it has none
   * @return this handle
   */
  SpanHandle attributeIfAbsent(String key, Object value);

  /**
   * Records an event now.
   *
   * @param name the event's name
   * @return this handle
   */
  SpanHandle event(String name);

  /**
   * Records an event with attributes now.
   *
   * @param name the event's name
   * @param attributes its attributes
   * @return this handle
   */
  SpanHandle event(String name, Map<String, ?> attributes);

  /**
   * Records an event that happened at the given wall-clock time (or now, if null), e.g. one a
   * bridged tracer timestamped itself. Its offset is measured from the span's wall-clock start. A
   * time the collector's clock could not have produced (before the trace began, or later than the
   * clock's current time) is replaced by the clock's current time and noted in the event's
   * attribute {@code traceunit.clock}.
   *
   * <pre>{@code
   * span.event("message.received", Map.of("queue", "orders"), message.receivedAt());
   * }</pre>
   *
   * @param name the event's name
   * @param attributes its attributes
   * @param time when it happened, or null for now
   * @return this handle
   */
  SpanHandle event(String name, Map<String, ?> attributes, Instant time);

  /**
   * Renames the span; the latest name wins (enrichment by a callee that knows better).
   *
   * @param name the new name
   * @return this handle
   */
  SpanHandle rename(String name);

  /**
   * Records an exception: status {@link SpanStatus#ERROR}, the {@link ErrorInfo}, and an
   * {@code exception} event with {@code exception.type}, {@code exception.message} and
   * {@code exception.stacktrace}.
   *
   * @param error the exception
   * @return this handle
   */
  SpanHandle error(Throwable error);

  /**
   * Like {@link #error(Throwable)}, with the {@code exception} event at the given time (or now, if
   * null), which is kept on the collector's clock as for {@link #event(String, Map, Instant)}.
   *
   * <pre>{@code
   * span.error(failure.cause(), failure.failedAt());
   * }</pre>
   *
   * @param error the exception
   * @param time when it happened, or null for now
   * @return this handle
   */
  SpanHandle error(Throwable error, Instant time);

  /**
   * Sets the status explicitly, e.g. {@link SpanStatus#OK}.
   *
   * @param status the status
   * @return this handle
   */
  SpanHandle status(SpanStatus status);

  /** {@return a link pointing at this span, to pass to {@link SpanBuilder#link(SpanLink)}} */
  SpanLink link();

  /**
   * Makes this span current on the calling thread until the scope closes, e.g. to continue an
   * async span on a worker thread.
   *
   * @return the scope to close on the same thread
   */
  Scope activate();

  /**
   * Ends the span now; ending it twice is recorded as {@link ProblemCode#SPAN_ENDED_TWICE}. Ended on
   * the thread {@link Tracing#start} made it current on, it stops being current there, as with
   * {@link #close()}; ended on another thread, it stays current on its own thread until closed
   * (what is current never depends on when another thread ends a span).
   */
  void end();

  /**
   * Ends the span at the given wall-clock time (or now, if null), e.g. an end time a bridged tracer
   * recorded: its duration is the time since its wall-clock start, never negative. A time the
   * collector's clock could not have produced (before the trace began, or later than the clock's
   * current time) is replaced by the clock's current time and noted in the attribute
   * {@code traceunit.clock.end}. Otherwise like {@link #end()}.
   *
   * <pre>{@code
   * SpanHandle job = Tracing.span("job").startTime(run.startedAt()).startAsync();
   * job.end(run.finishedAt());
   * }</pre>
   *
   * @param time the wall-clock end, or null for now
   */
  void end(Instant time);

  /**
   * Ends the span unless it has ended already, and if {@link Tracing#start} made it current,
   * restores the span that was current before.
   */
  @Override
  void close();
}
