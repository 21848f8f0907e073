package dev.traceunit.junit;

import dev.traceunit.core.SpanCollector;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a traceunit module on the test class path (found with {@link java.util.ServiceLoader}, e.g.
 * traceunit-otel) join every test the {@link TraceExtension} traces, without traceunit-junit
 * depending on it. Whatever a plugin creates per test belongs in the given context's store, as an
 * {@link AutoCloseable} that JUnit closes when the test is done.
 */
public interface TraceExtensionPlugin {

  /**
   * {@return the {@code traceunit.*} configuration keys this plugin reads, e.g. {@code traceunit.otel.global}:
   * the extension fails a run that sets a {@code traceunit.*} key no one reads, naming the closest
   * known key}
   */
  default Set<String> configurationKeys() {
    return Set.of();
  }

  /**
   * Called before each test (and its {@code @BeforeEach} methods), once its collector is active.
   *
   * @param collector the test's collector
   * @param context the test's extension context
   */
  default void testStarted(SpanCollector collector, ExtensionContext context) {}

  /**
   * {@return whether this plugin resolves test parameters of this type}
   *
   * @param type the parameter's type
   */
  default boolean supportsParameter(Class<?> type) {
    return false;
  }

  /**
   * The value of a parameter of a type {@link #supportsParameter} accepted, for this test.
   *
   * @param type the parameter's type
   * @param collector the test's collector
   * @param context the test's extension context
   * @return the parameter's value
   */
  default Object resolveParameter(Class<?> type, SpanCollector collector, ExtensionContext context) {
    throw new UnsupportedOperationException(getClass().getName() + " does not resolve " + type.getName());
  }
}
