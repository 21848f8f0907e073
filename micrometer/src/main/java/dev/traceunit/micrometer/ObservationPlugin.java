package dev.traceunit.micrometer;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.junit.TraceExtensionPlugin;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Makes {@link ObservationRegistry} a test parameter of the {@code TraceExtension} (a fresh registry
 * per test, recording into the test's collector on its mock clock) and, when Micrometer Tracing's
 * OpenTelemetry bridge and traceunit-otel are on the class path, Micrometer Tracing's
 * {@code io.micrometer.tracing.Tracer}. Found by the extension as a service; users never call it.
 */
public final class ObservationPlugin implements TraceExtensionPlugin {

  private static final Namespace NAMESPACE = Namespace.create(ObservationPlugin.class);
  private static final String TRACER = "io.micrometer.tracing.Tracer";

  @Override
  public boolean supportsParameter(Class<?> type) {
    return type == ObservationRegistry.class || (type.getName().equals(TRACER) && MicrometerTracers.available());
  }

  @Override
  public Object resolveParameter(Class<?> type, SpanCollector collector, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (type == ObservationRegistry.class) {
      RegistryKey key = new RegistryKey(collector);
      ObservationRegistry registry = store.get(key, ObservationRegistry.class);
      if (registry == null) {
        registry = CollectorObservationHandler.newRegistry(collector);
        store.put(key, registry);
      }
      return registry;
    }
    return MicrometerTracers.tracer(collector, store);
  }

  /** The store key of a test's registry. */
  private record RegistryKey(SpanCollector collector) {}
}
