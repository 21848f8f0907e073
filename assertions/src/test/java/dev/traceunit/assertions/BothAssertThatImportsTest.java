package dev.traceunit.assertions;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Trace;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Compiles only if both static imports of assertThat live together and ours wins for spans. */
class BothAssertThatImportsTest {

  @Test
  void theCompilerPicksTraceAssertionsForSpansAndAssertJForTheRest() {
    SpanCollector spans = Checkout.recorded().collector;
    Trace trace = spans.snapshot();
    RecordedSpan receipt = trace.named("receipt").get(0);

    SpansAssert fromSpans = assertThat(spans);
    SpansAssert fromTrace = assertThat(trace);
    SpanAssert fromSpan = assertThat(receipt);
    fromSpans.hasSize(5);
    fromTrace.hasRootSpan("checkout");
    fromSpan.hasDuration(Duration.ofMillis(5));

    assertThat("checkout").startsWith("check");
    assertThat(trace.size()).isEqualTo(5);
    assertThat(trace.spans()).hasSize(5);
  }
}
