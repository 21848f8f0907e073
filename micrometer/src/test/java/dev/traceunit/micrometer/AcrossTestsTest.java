package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

/** An Observation that outlives its test (a long-lived consumer's): started in one test, stopped in the next. */
class AcrossTestsTest {

  @Test
  void anObservationLeftOpenFailsItsOwnTestAndItsLateChildrenAreItsOrphansNotTheNextTestsSpans() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
        .selectors(selectClass(TwoTestsOneObservation.class))
        .execute()
        .testEvents().assertThatEvents()
        .haveExactly(1, event(test("startsIt"), finishedWithFailure(message(text -> text.contains("SPAN_NOT_ENDED")
            && text.contains("kafka.consume was still open when the test ended")))))
        .haveExactly(1, event(test("stopsIt"), finishedSuccessfully()));

    assertThat(TwoTestsOneObservation.FIRST.get().orphanedSpans()).as("spans started under the first test's"
        + " Observation after that test ended: counted there").isEqualTo(2);
  }

  @ExtendWith(TraceExtension.class)
  @TestMethodOrder(MethodOrderer.MethodName.class) // startsIt, then stopsIt
  static class TwoTestsOneObservation {
    static final ObservationRegistry REGISTRY = ObservationRegistry.create();
    static final AtomicReference<Observation> CONSUMER = new AtomicReference<>();
    static final AtomicReference<SpanCollector> FIRST = new AtomicReference<>();

    static {
      REGISTRY.observationConfig().observationHandler(CollectorObservationHandler.forRunningTest());
    }

    @Test
    void startsIt(SpanCollector collector, Spans spans) {
      FIRST.set(collector);
      CONSUMER.set(Observation.start("kafka.consume", REGISTRY));
      assertThat(spans).hasRootSpan("kafka.consume").isOpen();
    }

    @Test
    void stopsIt(Spans spans) {
      Observation consumer = CONSUMER.get();
      Observation.createNotStarted("db.query", REGISTRY).parentObservation(consumer).observe(() -> {});
      try (Observation.Scope scope = consumer.openScope()) {
        Observation.createNotStarted("inner", REGISTRY).observe(() -> {});
      }
      consumer.stop();
      Observation.createNotStarted("own", REGISTRY).observe(() -> {});

      assertThat(spans).hasSize(1).hasRootSpan("own"); // nothing of the first test's Observation
    }
  }
}
