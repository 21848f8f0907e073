package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.assertMarked;
import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code .as(...)} set anywhere in a chain is in every failure after it, whichever way the chain navigates. */
class DescriptionTest {

  private final SpanCollector spans = Checkout.recorded().collector;

  private SpansAssert described() {
    return assertThat(spans).as("checkout flow");
  }

  @Test
  void survivesHasRootSpan() {
    String message = messageOf(() -> described().hasRootSpan("checkout").hasName("y"));
    assertThat(message).startsWith("[checkout flow] \nExpecting span checkout\n  to have name \"y\"");
    assertMarked(message, "server checkout +0ms");
  }

  @Test
  void survivesAFailedHasRootSpan() {
    assertThat(messageOf(() -> described().hasRootSpan("refund")))
        .startsWith("[checkout flow] \nExpecting trace t-test\n  to have exactly one root span named \"refund\"");
  }

  @Test
  void survivesHasSpan() {
    assertThat(messageOf(() -> described().hasSpan("receipt").hasDuration(Duration.ofMillis(6))))
        .startsWith("[checkout flow] \nExpecting span checkout > receipt\n  to have duration 6ms");
  }

  @Test
  void survivesChild() {
    assertThat(messageOf(() -> described().hasRootSpan("checkout").child("receipt").isMarker()))
        .startsWith("[checkout flow] \nExpecting span checkout > receipt\n  to be a marker");
  }

  @Test
  void survivesChildAtAnIndex() {
    String message = messageOf(() -> described().hasRootSpan("checkout").child("payment.call", 1).isError());
    assertThat(message).startsWith("[checkout flow] \nExpecting span checkout > payment.call[1]\n  to have status ERROR");
    assertMarked(message, "client payment.call +2010ms");
    assertThat(messageOf(() -> described().hasRootSpan("checkout").child("payment.call", 2)))
        .startsWith("[checkout flow] \nExpecting span checkout\n  to have a child named \"payment.call\" at index 2");
  }

  @Test
  void survivesParent() {
    assertThat(messageOf(() -> described().hasSpan("receipt").parent().hasName("order")))
        .startsWith("[checkout flow] \nExpecting span checkout\n  to have name \"order\"");
  }

  @Test
  void survivesEvent() {
    assertThat(messageOf(() -> described().hasRootSpan("checkout").child("payment.call", 0).event("retry.scheduled")
        .hasAttribute("delay", "3s")))
        .startsWith("[checkout flow] \nExpecting event \"retry.scheduled\" at +120ms of span checkout > payment.call[0]");
  }

  @Test
  void survivesEventAtAnIndex() {
    assertThat(messageOf(() -> described().hasRootSpan("checkout").child("payment.call", 0)
        .event("retry.scheduled", 0).hasOffset(Duration.ZERO)))
        .startsWith("[checkout flow] \nExpecting event \"retry.scheduled\" at +120ms of span checkout > payment.call[0]");
  }

  @Test
  void survivesSpansNamedAndItsElements() {
    assertThat(messageOf(() -> described().spansNamed("payment.call").hasSize(3)))
        .startsWith("[checkout flow: spans named \"payment.call\"] ");
    assertThat(messageOf(() -> described().spansNamed("payment.call").element(1).isError()))
        .startsWith("[checkout flow] \nExpecting span checkout > payment.call[1]");
    assertThat(messageOf(() -> described().spansNamed("payment.call").last().hasAttribute("attempt", 1)))
        .startsWith("[checkout flow] \nExpecting span checkout > payment.call[1]");
    assertThat(messageOf(() -> described().filteredOnKind(SpanKind.CLIENT).first().isOk()))
        .startsWith("[checkout flow] \nExpecting span checkout > payment.call[0]");
    assertThat(messageOf(() -> described().spansNamed("payment.call").element(5)))
        .startsWith("[checkout flow: spans named \"payment.call\"] \nExpecting ");
  }

  @Test
  void withoutADescriptionTheListKeepsItsOwn() {
    assertThat(messageOf(() -> assertThat(spans).spansNamed("payment.call").hasSize(3)))
        .startsWith("[spans named \"payment.call\"] ");
    assertThat(messageOf(() -> assertThat(spans).spansNamed("payment.call").element(1).isError()))
        .startsWith("\nExpecting span checkout > payment.call[1]");
  }

  @Test
  void aDescriptionSetOnTheWayIsHandedOnFromThere() {
    assertThat(messageOf(() -> assertThat(spans).hasRootSpan("checkout").as("the root").child("receipt").hasName("x")))
        .startsWith("[the root] \nExpecting span checkout > receipt");
    assertThat(messageOf(() -> assertThat(spans).spansNamed("payment.call").as("payments").element(0).isOk()))
        .startsWith("[payments] \nExpecting span checkout > payment.call[0]");
    assertThat(messageOf(() -> described().hasRootSpan("checkout").as("replaced").hasName("x")))
        .startsWith("[replaced] ");
  }

  @Test
  void survivesHasChildSatisfyingAndAllSpansSatisfy() {
    assertThat(messageOf(() -> described().hasRootSpan("checkout")
        .hasChildSatisfying("receipt", receipt -> receipt.isMarker())))
        .startsWith("[checkout flow] \nExpecting span checkout > receipt\n  to be a marker");
  }

  @Test
  void eventAtAnIndexPicksAmongSameNamedEventsInOrder() {
    Checkout polls = new Checkout();
    polls.record(() -> {
      try (SpanHandle span = Tracing.start("poll")) {
        span.event("tick", Map.of("n", 1));
        polls.advance(5);
        span.event("tick", Map.of("n", 2));
      }
    });
    assertThat(polls.collector).hasSpan("poll").event("tick", 0).hasAttribute("n", 1).hasOffset(Duration.ZERO);
    assertThat(polls.collector).hasSpan("poll").event("tick", 1).hasAttribute("n", 2).hasOffset(Duration.ofMillis(5));
    String message = messageOf(() -> assertThat(polls.collector).hasSpan("poll").event("tick", 2));
    assertThat(message).contains("Expecting span poll\n  to have an event named \"tick\" at index 2",
        "but found 2, at offsets +0ms, +5ms");
    assertMarked(message, "internal poll +0ms");
    assertThat(messageOf(() -> assertThat(polls.collector).hasSpan("poll").event("tock", 0)))
        .contains("to have an event named \"tock\" at index 0", "but its events are [\"tick\", \"tick\"]");
    assertThatIllegalArgumentException().isThrownBy(() -> assertThat(polls.collector).hasSpan("poll").event("tick", -1))
        .withMessage("index must be at least 0 but was -1");
  }
}
