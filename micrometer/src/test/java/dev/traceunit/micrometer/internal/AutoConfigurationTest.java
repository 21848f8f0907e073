package dev.traceunit.micrometer.internal;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
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
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(context -> true); // the application's own handler stays
      return registry;
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

  @Test
  void aRegistrySharedByTwoApplicationContextsRecordsEachObservationOnce(Spans spans) {
    try (AnnotationConfigApplicationContext first = new AnnotationConfigApplicationContext(TraceunitAutoConfiguration.class, Shared.class);
        AnnotationConfigApplicationContext second = new AnnotationConfigApplicationContext(TraceunitAutoConfiguration.class, Shared.class)) {
      Observation.createNotStarted("order.place", second.getBean(ObservationRegistry.class)).observe(() -> {});
    }
    assertThat(spans).hasSize(1).hasRootSpan("order.place");
  }

  @Configuration(proxyBeanMethods = false)
  static class Shared {
    static final ObservationRegistry REGISTRY = ObservationRegistry.create();

    @Bean
    ObservationRegistry sharedRegistry() {
      return REGISTRY; // one instance that two cached test contexts both expose
    }
  }

  @Test
  void aContextWithoutARecordingRegistryIsToldWhatRecordsNothingAndWhatMakesOne() {
    assertThat(TraceunitAutoConfiguration.missingRegistryWarning(Map.of()))
        .contains("this application context has no ObservationRegistry bean")
        .contains("none of the application's Observations is recorded")
        .endsWith("Spring Boot makes one with spring-boot-starter-actuator");
    assertThat(TraceunitAutoConfiguration.missingRegistryWarning(Map.of("disabledRegistry", ObservationRegistry.NOOP)))
        .contains("only ObservationRegistry.NOOP beans [disabledRegistry]");
    assertThat(TraceunitAutoConfiguration.missingRegistryWarning(Map.of("observationRegistry", ObservationRegistry.create(),
        "disabledRegistry", ObservationRegistry.NOOP))).isNull();
  }
}
