package dev.traceunit.micrometer.internal;

import dev.traceunit.micrometer.CollectorObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration (Boot 3.5 and 4.0): adds a
 * {@link CollectorObservationHandler#forRunningTest()} handler to every {@link ObservationRegistry}
 * bean, so the application's Observations are recorded into whichever test is running, even when the
 * application context is cached and shared by tests that run in parallel. It is active wherever
 * traceunit-micrometer is on the class path: keep the dependency in test scope. With no test
 * running the handler records nothing. An application context without an {@code ObservationRegistry}
 * (Spring Boot makes one with spring-boot-starter-actuator) records nothing either, and says so in a
 * warning when it starts.
 */
@AutoConfiguration
public class TraceunitAutoConfiguration {

  /** The registries given a handler, so that one shared by two application contexts records each Observation once. */
  private static final Set<ObservationRegistry> WITH_HANDLER = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<>()));

  /** Created by Spring Boot, which finds it as an auto-configuration. */
  public TraceunitAutoConfiguration() {}

  /** The post-processor that adds the handler; static, so it does not make this class an early bean. */
  @Bean
  static BeanPostProcessor traceunitObservationHandlerRegistrar() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ObservationRegistry && bean != ObservationRegistry.NOOP && WITH_HANDLER.add((ObservationRegistry) bean)) {
          ((ObservationRegistry) bean).observationConfig().observationHandler(CollectorObservationHandler.forRunningTest());
        }
        return bean;
      }
    };
  }

  /** Warns, once the application context has started, when it has no registry to record. */
  @Bean
  static SmartInitializingSingleton traceunitMissingRegistryWarning(ListableBeanFactory beans) {
    return () -> {
      String warning = missingRegistryWarning(beans.getBeansOfType(ObservationRegistry.class, false, false));
      if (warning != null) {
        LogFactory.getLog(TraceunitAutoConfiguration.class).warn(warning);
      }
    };
  }

  /** What to tell a user whose application context has no recording registry, or null when it has one. */
  static String missingRegistryWarning(Map<String, ObservationRegistry> registries) {
    if (registries.values().stream().anyMatch(registry -> registry != ObservationRegistry.NOOP)) {
      return null;
    }
    return "traceunit-micrometer is on the class path, but this application context has "
        + (registries.isEmpty() ? "no ObservationRegistry bean" : "only ObservationRegistry.NOOP beans " + registries.keySet())
        + ", so none of the application's Observations is recorded in the tests' traces; Spring Boot makes one with"
        + " spring-boot-starter-actuator";
  }
}
