package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

@ExtendWith(TraceExtension.class)
class ObservationRecordingTest {

  private final ContextFreeThread server = new ContextFreeThread();

  @AfterEach
  void stopServerThread() throws InterruptedException {
    server.close();
  }

  @Test
  void theSpanIsNamedAfterTheObservationAndKeepsContextualNameAndCardinality(ObservationRegistry registry, Spans spans) {
    Observation.createNotStarted("order.place", registry)
        .contextualName("place order 42")
        .lowCardinalityKeyValue("order.type", "express")
        .highCardinalityKeyValue("order.id", "42")
        .observe(() -> {});

    assertThat(spans).hasRootSpan("order.place")
        .hasKind(SpanKind.INTERNAL)
        .isEnded()
        .hasAttribute(CollectorObservationHandler.CONTEXTUAL_NAME, "place order 42")
        .hasAttribute("order.type", "express")
        .hasAttribute("order.id", "42")
        .hasAttribute(CollectorObservationHandler.HIGH_CARDINALITY_KEYS, List.of("order.id"));
  }

  @Test
  void timingAndEventsFollowTheMockClockAndKeyValuesAddedAtStopAreKept(
      ObservationRegistry registry, MockClock clock, Spans spans) {
    clock.advanceTime(Duration.ofMillis(10));
    Observation observation = Observation.start("payment.call", registry);
    clock.advanceTime(Duration.ofMillis(120));
    observation.event(Observation.Event.of("retry.scheduled", "retry scheduled in 2 s"));
    clock.advanceTime(Duration.ofMillis(30));
    observation.lowCardinalityKeyValue("outcome", "retried");
    observation.stop();

    assertThat(spans).hasSpan("payment.call")
        .startedAt(Duration.ofMillis(10))
        .hasDuration(Duration.ofMillis(150))
        .hasAttribute("outcome", "retried")
        .doesNotHaveAttribute(CollectorObservationHandler.HIGH_CARDINALITY_KEYS)
        .event("retry.scheduled")
        .hasOffset(Duration.ofMillis(120))
        .hasAttribute(CollectorObservationHandler.CONTEXTUAL_NAME, "retry scheduled in 2 s");
  }

  @Test
  void anErrorIsATraceunitError(ObservationRegistry registry, Spans spans) {
    Observation observation = Observation.start("payment.call", registry);
    observation.error(new IOException("connection reset"));
    observation.stop();

    assertThat(spans).hasSpan("payment.call").isError().hasError(IOException.class).hasErrorMessage("connection reset");
  }

  @Test
  void inAnObservationsScopeTracingSpansAndNestedObservationsAreItsChildren(ObservationRegistry registry, Spans spans) {
    Observation.createNotStarted("checkout", registry).observe(() -> {
      Tracing.run("validate", () -> {});
      Observation.createNotStarted("payment.call", registry).observe(() -> Tracing.run("encode", () -> {}));
      try (var inner = Tracing.start("reserve")) {
        Observation.createNotStarted("inventory.call", registry).observe(() -> {});
      }
    });

    assertThat(spans).hasTreeShape("""
        checkout
          validate
          payment.call
            encode
          reserve
            inventory.call
        """);
    assertThat(Tracing.current().isRecording()).isFalse(); // every scope was closed
  }

  @Test
  void aSenderPassesItsSpanToAReceiverOnAnotherThread(ObservationRegistry registry, Spans spans) throws Exception {
    Map<String, String> headers = new HashMap<>();
    SenderContext<Map<String, String>> request = new SenderContext<>((carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
    request.setCarrier(headers);
    Observation client = Observation.createNotStarted("http.client.requests", () -> request, registry).start();

    CompletableFuture.runAsync(() -> {
      ReceiverContext<Map<String, String>> received = new ReceiverContext<>((carrier, key) -> carrier.get(key), Kind.SERVER);
      received.setCarrier(Map.copyOf(headers));
      Observation.createNotStarted("http.server.requests", () -> received, registry).observe(() -> {});
    }, server.executor).get(10, TimeUnit.SECONDS);
    client.stop();

    assertThat(headers).containsKey(CollectorObservationHandler.PARENT_HEADER);
    assertThat(spans).hasRootSpan("http.client.requests").hasKind(SpanKind.CLIENT)
        .child("http.server.requests").hasKind(SpanKind.SERVER);
  }

  private static final AtomicReference<ObservationRegistry> EARLIER_REGISTRY = new AtomicReference<>();

  @RepeatedTest(2)
  void eachTestGetsAFreshRegistryRecordingIntoItsOwnTrace(ObservationRegistry registry, ObservationRegistry again,
      RepetitionInfo repetition, Spans spans) {
    assertThat(again).isSameAs(registry); // one per test
    assertThat(registry).isNotSameAs(EARLIER_REGISTRY.getAndSet(registry));
    Observation.createNotStarted("repetition." + repetition.getCurrentRepetition(), registry).observe(() -> {});
    assertThat(spans).hasSize(1).hasRootSpan("repetition." + repetition.getCurrentRepetition());
  }

  @Test
  void aRegistryRecordsIntoItsCollectorEvenOnAThreadWithNone(ObservationRegistry registry, SpanCollector collector)
      throws Exception {
    CompletableFuture.runAsync(() -> Observation.createNotStarted("background", registry).observe(() -> {}), server.executor)
        .get(10, TimeUnit.SECONDS);
    assertThat(collector).hasRootSpan("background");
  }

  @Test
  void theRoutingHandlerRecordsNothingWhenNoTestRunsOnTheThread() throws Exception {
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(CollectorObservationHandler.forRunningTest());
    Observation observation = CompletableFuture.supplyAsync(() -> {
      Observation started = Observation.start("unrouted", registry);
      started.stop();
      return started;
    }, server.executor).get(10, TimeUnit.SECONDS);
    assertThat(observation.isNoop()).isFalse();
    assertThat(CollectorObservationHandler.forRunningTest()).hasToString("CollectorObservationHandler(running test)");
  }

  @Test
  void anObservationNeverStoppedIsASpanNotEndedProblemUnderItsName() {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
        .selectors(selectClass(LeavesAnObservationOpen.class))
        .execute()
        .testEvents().assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(
            message(text -> text.contains("SPAN_NOT_ENDED") && text.contains("order.place")
                && text.contains("was still open when the test ended")))));
  }

  @ExtendWith(TraceExtension.class)
  static class LeavesAnObservationOpen {
    @Test
    void forgetsToStop(ObservationRegistry registry, Spans spans) {
      Observation.createNotStarted("order.place", registry).contextualName("place order 42").start();
      assertThat(spans).hasSpan("order.place").isOpen();
      assertThat(spans.snapshot().problems()).noneMatch(problem -> problem.code() == ProblemCode.SPAN_NOT_ENDED);
    }
  }
}
