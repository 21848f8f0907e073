package dev.traceunit.micrometer.internal;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.otel.TracedOpenTelemetry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Micrometer Tracing {@link Tracer}s over a test's own OpenTelemetry SDK (traceunit-otel), so their
 * spans land in the test's collector. Loaded only once {@link ObservationPlugin} found the classes it needs.
 */
final class MicrometerTracers {

  private MicrometerTracers() {}

  /** The test's Tracer: one SDK per test, closed with it (JUnit closes what the store holds). */
  static Tracer tracer(SpanCollector collector, ExtensionContext.Store store) {
    TracerKey key = new TracerKey(collector);
    Tracer tracer = store.get(key, Tracer.class);
    if (tracer == null) {
      TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector);
      store.put(new SdkKey(collector), otel);
      tracer = new OtelTracer(otel.getTracer("traceunit-micrometer"), new OtelCurrentTraceContext(), event -> {});
      store.put(key, tracer);
    }
    return tracer;
  }

  private record TracerKey(SpanCollector collector) {}

  /** The store key of the SDK behind a test's Tracer: an AutoCloseable that JUnit closes after the test. */
  private record SdkKey(SpanCollector collector) {}
}
