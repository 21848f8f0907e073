package dev.traceunit.otel;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.junit.TraceExtensionPlugin;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Makes {@link OpenTelemetry}, {@link Tracer} and {@link TracedOpenTelemetry} test parameters of the
 * {@code TraceExtension}: one fresh SDK per test, recording into the test's collector on its mock
 * clock, closed with the test. Found by the extension as a service; users never call it.
 *
 * <p>With the configuration parameter {@value #GLOBAL} set to {@code true}, each test's SDK is
 * created before the test and registered as {@code GlobalOpenTelemetry} until it ends, for code that
 * reads the global instance. One global per JVM: safe only when tests do not run in parallel.
 */
public final class OpenTelemetryPlugin implements TraceExtensionPlugin {

  /** Created by {@code TraceExtension}, which finds it as a service. */
  public OpenTelemetryPlugin() {}

  /** The configuration parameter that registers each test's SDK as the global one. */
  public static final String GLOBAL = "traceunit.otel.global";

  private static final Namespace NAMESPACE = Namespace.create(OpenTelemetryPlugin.class);

  @Override
  public Set<String> configurationKeys() {
    return Set.of(GLOBAL);
  }

  @Override
  public void testStarted(SpanCollector collector, ExtensionContext context) {
    ContextBridge.install();
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

  /** The store key of a test's {@value #GLOBAL} decision. */
  private record GlobalDecision(SpanCollector collector) {}

  /** Whether the test's SDK is the global one: read once per test, then taken from the store. */
  private static boolean global(SpanCollector collector, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    GlobalDecision key = new GlobalDecision(collector);
    Boolean decided = store.get(key, Boolean.class);
    if (decided == null) {
      decided = parseGlobal(context);
      store.put(key, decided);
    }
    return decided;
  }

  /** Only {@code true} or {@code false}, after trimming, as the extension reads its own settings. */
  private static boolean parseGlobal(ExtensionContext context) {
    String value = context.getConfigurationParameter(GLOBAL).orElse("false").trim();
    if (!value.equals("true") && !value.equals("false")) {
      throw new ExtensionConfigurationException(GLOBAL + " is '" + value + "' but must be true or false");
    }
    return Boolean.parseBoolean(value);
  }
}
