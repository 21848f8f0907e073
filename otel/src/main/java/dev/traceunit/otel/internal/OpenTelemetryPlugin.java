package dev.traceunit.otel.internal;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.junit.spi.ConfigKey;
import dev.traceunit.junit.spi.TraceExtensionPlugin;
import dev.traceunit.otel.TracedOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Makes {@link OpenTelemetry}, {@link Tracer} and {@link TracedOpenTelemetry} test parameters of the
 * {@code TraceExtension}: one fresh SDK per test, recording into the test's collector on its mock
 * clock, closed with the test. Found by the extension as a service; users never call it. Not API:
 * may change.
 *
 * <p>With the configuration parameter {@code traceunit.otel.global} set to {@code true}, each test's SDK is
 * created before the test and registered as {@code GlobalOpenTelemetry} until it ends, for code that
 * reads the global instance. One global per JVM: safe only when tests do not run in parallel.
 */
public final class OpenTelemetryPlugin implements TraceExtensionPlugin {

  /** Created by {@code TraceExtension}, which finds it as a service. */
  public OpenTelemetryPlugin() {}

  /** The configuration parameter that registers each test's SDK as the global one. */
  public static final ConfigKey<Boolean> GLOBAL = ConfigKey.flag("traceunit.otel.global", false,
      "each test's OpenTelemetry SDK is the global one (only without parallel execution)");

  private static final Namespace NAMESPACE = Namespace.create(OpenTelemetryPlugin.class);

  @Override
  public List<ConfigKey<?>> configurationKeys() {
    return List.of(GLOBAL);
  }

  @Override
  public void testStarted(SpanCollector collector, ExtensionContext context) {
    TracedOpenTelemetry.installContextBridge();
    if (global(collector, context)) {
      sdk(collector, context, true);
    }
  }

  @Override
  public boolean supportsParameter(Class<?> type) {
    return type == OpenTelemetry.class || type == Tracer.class || type == TracedOpenTelemetry.class;
  }

  @Override
  public Object resolveParameter(Class<?> type, SpanCollector collector, ExtensionContext context) {
    TracedOpenTelemetry otel = sdk(collector, context, global(collector, context));
    if (type == Tracer.class) {
      return otel.getTracer(context.getTestClass().map(Class::getName).orElse("traceunit"));
    }
    return otel;
  }

  private static TracedOpenTelemetry sdk(SpanCollector collector, ExtensionContext context, boolean global) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    TracedOpenTelemetry existing = store.get(collector, TracedOpenTelemetry.class);
    if (existing != null) {
      return existing;
    }
    TracedOpenTelemetry.Builder builder = TracedOpenTelemetry.builder(collector);
    if (global) {
      builder.registerGlobal();
    }
    TracedOpenTelemetry created = builder.build();
    store.put(collector, created); // JUnit closes it when the test's context closes
    return created;
  }

  /** The store key of a test's {@code traceunit.otel.global} decision. */
  private record GlobalDecision(SpanCollector collector) {}

  /** Whether the test's SDK is the global one: read once per test, then taken from the store. */
  private static boolean global(SpanCollector collector, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    GlobalDecision key = new GlobalDecision(collector);
    Boolean decided = store.get(key, Boolean.class);
    if (decided == null) {
      decided = GLOBAL.read(context::getConfigurationParameter);
      store.put(key, decided);
    }
    return decided;
  }
}
