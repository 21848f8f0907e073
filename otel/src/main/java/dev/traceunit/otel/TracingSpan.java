package dev.traceunit.otel;

import static dev.traceunit.otel.TimeSourceClock.instant;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.internal.OtlpIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.concurrent.TimeUnit;

/**
 * A span recorded through {@link dev.traceunit.core.Tracing}, seen as an OpenTelemetry {@link Span}:
 * what {@code Span.current()} returns while it is current, so OpenTelemetry instrumentation starts
 * its spans as children of it and {@code Context.wrap} carries it. Its {@link SpanContext} has the
 * test's trace id and the span's id, as in the OTLP dump; what OpenTelemetry code sets on it goes to
 * the traceunit span.
 */
final class TracingSpan implements Span {

  final SpanHandle handle;
  private final SpanContext context;

  /** The last trace id converted and its OpenTelemetry form: Context.current() asks often, the hash costs. */
  private static volatile String[] lastTraceId = {"", OtlpIds.traceId("")};

  private TracingSpan(SpanHandle handle) {
    this.handle = handle;
    this.context = SpanContext.create(otlpTraceId(handle.traceId()), OtlpIds.spanId(handle.spanId()),
        TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static String otlpTraceId(String traceId) {
    String[] last = lastTraceId;
    if (last[0].equals(traceId)) {
      return last[1];
    }
    String converted = OtlpIds.traceId(traceId);
    lastTraceId = new String[] {traceId, converted};
    return converted;
  }

  static TracingSpan of(SpanHandle handle) {
    return new TracingSpan(handle);
  }

  /** The traceunit span behind {@code span}, if it is one of these, else null. */
  static SpanHandle handleOf(Span span) {
    return span instanceof TracingSpan ? ((TracingSpan) span).handle : null;
  }

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    if (key != null && value != null) {
      handle.attribute(key.getKey(), (Object) value);
    }
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    handle.event(name, CollectorSpanProcessor.toMap(attributes));
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    handle.event(name, CollectorSpanProcessor.toMap(attributes), instant(unit.toNanos(timestamp)));
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    CollectorSpanProcessor.applyStatus(handle, statusCode, description);
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    handle.error(exception);
    return this;
  }

  @Override
  public Span updateName(String name) {
    handle.rename(name);
    return this;
  }

  @Override
  public void end() {
    handle.end();
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    handle.end(instant(unit.toNanos(timestamp)));
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return handle.isRecording();
  }

  @Override
  public String toString() {
    return "TracingSpan(" + handle + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TracingSpan && ((TracingSpan) other).handle == handle;
  }

  @Override
  public int hashCode() {
    return handle.hashCode();
  }
}
