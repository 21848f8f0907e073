package dev.traceunit.micrometer.internal;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.junit.spi.TraceExtensionPlugin;
import dev.traceunit.micrometer.CollectorObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Makes {@link ObservationRegistry} a test parameter of the {@code TraceExtension} (a fresh registry
 * per test, recording into the test's collector on its mock clock) and, when Micrometer Tracing's
 * OpenTelemetry bridge and traceunit-otel are on the class path, Micrometer Tracing's
 * {@code io.micrometer.tracing.Tracer}. Found by the extension as a service; users never call it. Not API: may
 * change.
 */
public final class ObservationPlugin implements TraceExtensionPlugin {

  /** Created by {@code TraceExtension}, which finds it as a service. */
  public ObservationPlugin() {}

  private static final Namespace NAMESPACE = Namespace.create(ObservationPlugin.class);
  private static final String TRACER = "io.micrometer.tracing.Tracer";
  /** What a Tracer parameter needs besides Micrometer Tracing itself, by artifact. */
  private static final String[][] TRACER_NEEDS = {
      {"io.micrometer.tracing.otel.bridge.OtelTracer", "io.micrometer:micrometer-tracing-bridge-otel"},
      {"dev.traceunit.otel.TracedOpenTelemetry", "dev.traceunit:traceunit-otel"},
  };

  @Override
  public boolean supportsParameter(Class<?> type) {
    return type == ObservationRegistry.class || type.getName().equals(TRACER);
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
    List<String> missing = missingForTracer(type.getClassLoader());
    if (!missing.isEmpty()) {
      throw new ParameterResolutionException("A Micrometer Tracing " + TRACER + " parameter records through "
          + "OpenTelemetry and needs " + String.join(" and ", missing) + " on the test class path");
    }
    return MicrometerTracers.tracer(collector, store); // loaded only now that its classes are there
  }

  /**
   * {@return the artifacts a Tracer parameter needs that {@code loader} cannot find}
   *
   * @param loader where the artifacts' classes are looked for
   */
  public static List<String> missingForTracer(ClassLoader loader) {
    List<String> missing = new ArrayList<>();
    for (String[] need : TRACER_NEEDS) {
      try {
        Class.forName(need[0], false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(need[1]);
      }
    }
    return missing;
  }

  /** The store key of a test's registry. */
  private record RegistryKey(SpanCollector collector) {}
}
