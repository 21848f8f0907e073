package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.traceunit.micrometer.internal.ObservationPlugin;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Observations beside OpenTelemetry spans, and carriers that refuse headers. */
@ExtendWith(TraceExtension.class)
class BridgesTest {

  @Test
  void anOpenTelemetrySpanStartedInAnObservationsScopeIsItsChild(ObservationRegistry registry, Tracer tracer, Spans spans) {
    Observation.createNotStarted("order.place", registry)
        .observe(() -> tracer.spanBuilder("GET /stock/{sku}").startSpan().end());

    assertThat(spans).hasRootSpan("order.place").hasChildrenNamed("GET /stock/{sku}");
  }

  @Test
  void aCarrierThatThrowsDoesNotReachTheApplicationAndTheSpansAreStillRecorded(ObservationRegistry registry, Spans spans) {
    SenderContext<Map<String, String>> request = new SenderContext<>((carrier, key, value) -> {
      throw new UnsupportedOperationException("read-only headers");
    }, Kind.CLIENT);
    request.setCarrier(Map.of());
    ReceiverContext<Map<String, String>> received = new ReceiverContext<>((carrier, key) -> {
      throw new IllegalStateException("headers already consumed");
    }, Kind.SERVER);
    received.setCarrier(Map.of());

    Observation.createNotStarted("http.client.requests", () -> request, registry).observe(() -> {});
    Observation.createNotStarted("http.server.requests", () -> received, registry).observe(() -> {});

    assertThat(spans).hasRootSpan("http.client.requests").isEnded();
    assertThat(spans).hasRootSpan("http.server.requests").isEnded(); // no header read: a root of its own
    assertThat(spans).hasNoProblems();
  }

  @Test
  void twoHandlersOnOneRegistryKeepTheirSpansApart(ObservationRegistry registry, Spans spans) {
    SpanCollector other = new SpanCollector();
    registry.observationConfig().observationHandler(CollectorObservationHandler.forCollector(other));

    Observation.createNotStarted("checkout", registry)
        .observe(() -> Observation.createNotStarted("payment.call", registry).observe(() -> {}));

    assertThat(spans).hasTreeShape("""
        checkout
          payment.call
        """).hasNoProblems();
    assertThat(other).hasTreeShape("""
        checkout
          payment.call
        """).hasNoProblems();
  }

  @Test
  void aTracerParameterWithoutTheOpenTelemetryBridgeNamesWhatIsMissing() {
    ClassLoader onlyTheJdk = new ClassLoader(null) {};
    assertThat(ObservationPlugin.missingForTracer(onlyTheJdk))
        .containsExactly("io.micrometer:micrometer-tracing-bridge-otel", "dev.traceunit:traceunit-otel");
    assertThat(ObservationPlugin.missingForTracer(getClass().getClassLoader())).isEmpty();
  }

  @Test
  void aHandlerForNoCollectorIsRefusedByName() {
    assertThatNullPointerException().isThrownBy(() -> CollectorObservationHandler.forCollector(null))
        .withMessage("collector");
    assertThat(CollectorObservationHandler.forRunningTest().supportsContext(new Observation.Context())).isTrue();
  }
}
