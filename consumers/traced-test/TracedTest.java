package consumer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one traced test every consumer build runs with only the README's installation snippet. */
@ExtendWith(TraceExtension.class)
class TracedTest {

  @Test
  void recordsTheCheckout(Spans spans, MockClock clock) {
    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      checkout.attribute("order", 42);
      clock.advanceTime(Duration.ofMillis(5));
    }
    assertThat(spans).hasRootSpan("checkout").hasDuration(Duration.ofMillis(5)).hasAttribute("order", 42);
  }
}
