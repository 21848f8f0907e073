package dev.traceunit.otel;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;

/**
 * Wraps OpenTelemetry's context storage so that context flows both ways. Making a bridged span
 * current (span.makeCurrent(), a task from Context.wrap) also makes its traceunit twin current,
 * until the scope closes: spans recorded through {@link Tracing} inside it become its children, on
 * any thread the context travels to. And a {@link Tracing} span that is current is OpenTelemetry's
 * current span ({@link TracingSpan}, with the test's trace id and the span's id), so
 * OpenTelemetry instrumentation and {@code Context.taskWrapping} carry it too.
 *
 * <p>OpenTelemetry applies storage wrappers once, when its context is first used; {@link #install()}
 * runs when a JUnit launcher session opens ({@link InstallContextBridge}) and whenever the bridge
 * is used, so it is in place unless something used the context before.
 */
final class ContextBridge implements ContextStorage {

  private static boolean requested;
  private static volatile boolean active;

  private final ContextStorage delegate;

  private ContextBridge(ContextStorage delegate) {
    this.delegate = delegate;
  }

  /** Registers the wrapper if it was not yet; returns whether it is in effect. */
  static synchronized boolean install() {
    if (!requested) {
      requested = true;
      ContextStorage.addWrapper(ContextBridge::wrap);
      ContextStorage.get(); // applies the wrappers now, if the storage was not created yet
    }
    return active;
  }

  private static ContextStorage wrap(ContextStorage storage) {
    active = true;
    return storage instanceof ContextBridge ? storage : new ContextBridge(storage);
  }

  @Override
  public Scope attach(Context toAttach) {
    Context before = delegate.current();
    Scope scope = delegate.attach(toAttach);
    Span span = toAttach == null ? null : Span.fromContextOrNull(toAttach);
    if (span == null || before == toAttach || (before != null && Span.fromContextOrNull(before) == span)) {
      return scope; // the current span did not change: leave traceunit's current span alone
    }
    SpanHandle handle = CollectorSpanProcessor.handleFor(span);
    if (handle == null) {
      return scope;
    }
    dev.traceunit.core.Scope twin = handle.activate();
    return () -> {
      twin.close();
      scope.close();
    };
  }

  /**
   * OpenTelemetry's current context, with the current {@link Tracing} span as its span when that
   * one is newer: a Tracing span started inside the OpenTelemetry span that is current (or with no
   * OpenTelemetry span current at all) is what {@code Span.current()} returns, so OpenTelemetry
   * instrumentation hangs its spans under it and {@code Context.wrap} carries it. A foreign span
   * (one no test's SDK recorded) stays current as it is.
   */
  @Override
  public Context current() {
    Context context = delegate.current();
    SpanHandle tracing = Tracing.current();
    if (!tracing.isRecording()) {
      return context;
    }
    Span span = context == null ? null : Span.fromContextOrNull(context);
    if (span != null && span.getSpanContext().isValid()) {
      SpanHandle twin = CollectorSpanProcessor.handleFor(span);
      if (twin == null || twin == tracing) {
        return context;
      }
    }
    return (context == null ? delegate.root() : context).with(TracingSpan.of(tracing));
  }

  @Override
  public Context root() {
    return delegate.root();
  }
}
