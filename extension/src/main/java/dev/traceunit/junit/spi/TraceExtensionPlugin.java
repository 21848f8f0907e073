package dev.traceunit.junit.spi;

import dev.traceunit.core.SpanCollector;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a traceunit module on the test class path (found with {@link java.util.ServiceLoader}, e.g.
 * traceunit-otel) join every test the {@code TraceExtension} traces, without traceunit-junit
 * depending on it. Not API for users: modules of traceunit plug in here, and it may change.
 * Whatever a plugin creates per test belongs in the given context's store, as an {@link
 * AutoCloseable} that JUnit closes when the test is done.
 */
public interface TraceExtensionPlugin {

  /**
   * {@return the {@code traceunit.*} configuration keys this plugin reads, e.g. {@code traceunit.otel.global}:
   * the extension fails a run that sets a {@code traceunit.*} key no one reads, naming the closest
   * known key, and checks the value of each key before the first test}
   */
  default List<ConfigKey<?>> configurationKeys() {
    return List.of();
  }

  /**
   * Called when a trace starts, once its collector is active: before each test and its
   * {@code @BeforeEach} methods, before each dynamic test, and before each test class's constructor
   * or {@code @BeforeAll} methods ({@code context} is then the class's). A bad setting should throw
   * an {@link org.junit.jupiter.api.extension.ExtensionConfigurationException}: a class then goes
   * without a class trace and each of its tests fails with it.
   *
   * @param collector the trace's collector
   * @param context the test's (or the class's) extension context
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
