package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in a plain Spring context; example-spring runs it in a real Boot application. */
@ExtendWith(TraceExtension.class)
class AutoConfigurationTest {

  @Configuration(proxyBeanMethods = false)
  static class Application {
    @Bean
    ObservationRegistry observationRegistry() {
      return ObservationRegistry.create(); // no handler yet: Boot adds its own later
    }

    @Bean
    ObservationRegistry disabledRegistry() {
      return ObservationRegistry.NOOP;
    }
  }

  @Test
  void theApplicationsRegistryRecordsIntoTheRunningTest(Spans spans) {
    try (AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(TraceunitAutoConfiguration.class, Application.class)) {
      ObservationRegistry registry = context.getBean("observationRegistry", ObservationRegistry.class);
      Observation.createNotStarted("order.place", registry).observe(() -> {});
      assertThat(registry.isNoop()).isFalse();
      assertThat(context.getBean("disabledRegistry", ObservationRegistry.class).isNoop()).isTrue(); // left alone
    }
    assertThat(spans).hasRootSpan("order.place").isEnded();
  }
}
