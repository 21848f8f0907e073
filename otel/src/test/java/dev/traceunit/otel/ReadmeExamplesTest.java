package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static io.opentelemetry.api.trace.SpanKind.CLIENT;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The code of docs/opentelemetry.md, compiled and run. */
@ExtendWith(TraceExtension.class)
class ReadmeExamplesTest {

  @Test
  void oneTreeForBothApis(OpenTelemetry otel, MockClock clock, Spans spans) {
    Tracer tracer = otel.getTracer("stock");
    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      Span call = tracer.spanBuilder("GET /stock").setSpanKind(CLIENT).startSpan();
      try (Scope ignored = call.makeCurrent()) {
        clock.advanceTime(Duration.ofMillis(40));
        Tracing.run("parse", () -> {});       // a child of the OpenTelemetry span
      } finally {
        call.end();
      }
    }
    assertThat(spans).hasTreeShape("""
        checkout [server]
          GET /stock [client]
            parse
        """);
    assertThat(spans).hasSpan("GET /stock").hasDuration(Duration.ofMillis(40));
  }
}
