package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.assertMarked;
import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.traceunit.core.SpanEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanEventAssertTest {

  private final Checkout checkout = Checkout.recorded();

  private SpanEventAssert retry() {
    return assertThat(checkout.collector).hasRootSpan("checkout").child("payment.call", 0).event("retry.scheduled");
  }

  @Test
  void hasNameAndHasOffsetDescribeTheEvent() {
    retry().hasName("retry.scheduled").hasOffset(Duration.ofMillis(120));
    String message = messageOf(() -> retry().hasOffset(Duration.ofMillis(100)));
    assertThat(message).contains("Expecting event \"retry.scheduled\" at +120ms of span checkout > payment.call[0]",
        "to happen at +100ms after its span started", "but it happened at +120ms");
    assertMarked(message, "client payment.call +10ms");
    assertThat(messageOf(() -> retry().hasName("retry"))).contains("to have name \"retry\"",
        "but its name was \"retry.scheduled\"");
  }

  @Test
  void attributeChecksWorkAsOnSpans() {
    retry().hasAttribute("delay").hasAttribute("delay", "2s").doesNotHaveAttribute("attempt")
        .hasAttributeSatisfying("delay", delay -> assertThat(delay).asString().endsWith("s"));
    assertThat(messageOf(() -> retry().hasAttribute("attempt"))).contains("to have attribute \"attempt\"",
        "but it has no attribute \"attempt\", only [\"delay\"]");
    assertThat(messageOf(() -> retry().hasAttribute("delay", "3s"))).contains("but it was \"2s\"");
    assertThat(messageOf(() -> retry().doesNotHaveAttribute("delay"))).contains("not to have attribute \"delay\"");
    assertThat(messageOf(() -> retry().hasAttributeSatisfying("delay", d -> assertThat(d).isEqualTo("1s"))))
        .contains("to have attribute \"delay\" satisfying the requirements", "but its value \"2s\" did not:");
  }

  @Test
  void hasAttributeCloseToComparesNumbersWithATolerance() {
    SpanEvent tokens = new SpanEvent("tokens", Duration.ofMillis(3), Instant.EPOCH, Map.of("rate", 41.7));
    new SpanEventAssert(tokens).hasAttributeCloseTo("rate", 42, within(0.5));
    String message = messageOf(() -> new SpanEventAssert(tokens).hasAttributeCloseTo("rate", 42, within(0.1)));
    assertThat(message).contains("Expecting event \"tokens\" at +3ms", "to have attribute \"rate\" close to 42.0 within 0.1",
        "but it was 41.7");
  }
}
