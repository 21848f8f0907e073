package dev.traceunit.micrometer;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration (Boot 3.5 and 4.0): adds a
 * {@link CollectorObservationHandler#forRunningTest()} handler to every {@link ObservationRegistry}
 * bean, so the application's Observations are recorded into whichever test is running, even when the
 * application context is cached and shared by tests that run in parallel. It is active wherever
 * traceunit-micrometer is on the class path: keep the dependency in test scope. With no test
 * running the handler records nothing.
 */
@AutoConfiguration
public class TraceunitAutoConfiguration {

  /** Created by Spring Boot, which finds it as an auto-configuration. */
  public TraceunitAutoConfiguration() {}

  /** The post-processor that adds the handler; static, so it does not make this class an early bean. */
  @Bean
  static BeanPostProcessor traceunitObservationHandlerRegistrar() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ObservationRegistry && bean != ObservationRegistry.NOOP) {
          ((ObservationRegistry) bean).observationConfig().observationHandler(CollectorObservationHandler.forRunningTest());
        }
        return bean;
      }
    };
  }
}
