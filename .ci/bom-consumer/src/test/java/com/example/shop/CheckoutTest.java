package com.example.shop;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The artifacts of the BOM work together in a project that names only the BOM's version. */
@ExtendWith(TraceExtension.class)
class CheckoutTest {

  @Test
  void theCheckoutIsTracedOnTheMockClock(Spans spans, MockClock clock) {
    long millis = new Checkout(clock).handle("42");

    assertThat(Instant.ofEpochMilli(millis)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(spans).hasRootSpan("POST /checkout").hasChildrenNamed("payment.charge");
  }

  @Test
  void openTelemetrySpansJoinTheTrace(OpenTelemetry otel, Spans spans) {
    Span span = otel.getTracer("shop").spanBuilder("GET /stock").startSpan();
    span.end();

    assertThat(spans).hasRootSpan("GET /stock");
  }

  @Test
  void observationsJoinTheTrace(ObservationRegistry registry, Spans spans) {
    Observation.createNotStarted("stock.check", registry).observe(() -> {});

    assertThat(spans).hasRootSpan("stock.check").isEnded();
  }
}
