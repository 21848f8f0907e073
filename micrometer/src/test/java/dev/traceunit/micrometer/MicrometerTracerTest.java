package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceExtension.class)
class MicrometerTracerTest {

  @Test
  void aMicrometerTracingSpanLandsInTheTestsTraceOnItsClock(Tracer tracer, MockClock clock, Spans spans) {
    Span span = tracer.nextSpan().name("stock.lookup").tag("sku", "sku-1").start();
    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
      clock.advanceTime(Duration.ofMillis(40));
      Tracing.run("cache.read", () -> {});
    } finally {
      span.end();
    }
    assertThat(spans).hasRootSpan("stock.lookup")
        .hasAttribute("sku", "sku-1")
        .hasDuration(Duration.ofMillis(40))
        .hasChildrenNamed("cache.read");
  }
}
