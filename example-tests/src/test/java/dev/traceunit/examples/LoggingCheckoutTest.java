package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.Traced;
import org.junit.jupiter.api.Test;

/** The output capture example of docs/output-capture.md. */
@Traced(captureOutput = "true")
class LoggingCheckoutTest {
  @Test
  void logsTheOrder(Spans spans) {
    try (SpanHandle handle = Tracing.start("handle")) {
      System.out.println("order 42 accepted");
    }
    assertThat(spans).hasSpan("handle").event("log");
  }
}
