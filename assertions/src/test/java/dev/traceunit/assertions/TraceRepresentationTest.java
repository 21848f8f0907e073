package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.messageOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import java.util.List;
import java.util.ServiceLoader;
import org.assertj.core.presentation.Representation;
import org.junit.jupiter.api.Test;

class TraceRepresentationTest {

  private final Checkout checkout = Checkout.recorded();

  @Test
  void plainAssertJMessagesShowSpansAsTreeLines() {
    List<RecordedSpan> calls = checkout.collector.named("payment.call");
    String message = messageOf(() -> assertThat(calls).isEmpty());
    assertThat(message).contains("span 2 client payment.call  +10ms  120ms  attempt=1  ERROR IOException: reset",
        "span 3 client payment.call  +2010ms  100ms  attempt=2  amount=19.99");
    assertThat(messageOf(() -> assertThat(calls.get(0)).isNull())).contains("span 2 client payment.call  +10ms");
  }

  @Test
  void aListOfSpansPrintsOneSpanALineBetweenBracketsAsItsJavadocShows() {
    String message = messageOf(() -> assertThat(checkout.collector.named("payment.call")).isEmpty());
    // AssertJ's own list format: the spans print themselves (toString), nothing is registered.
    assertThat(message.strip()).isEqualTo("Expecting empty but was: "
        + "[span 2 client payment.call  +10ms  120ms  attempt=1  ERROR IOException: reset,\n"
        + "    span 3 client payment.call  +2010ms  100ms  attempt=2  amount=19.99]");
  }

  @Test
  void noRepresentationIsRegisteredSoAssertJPrintsNothingIntoTheTestsOutput() {
    // AssertJ prints "AssertJ has found one registered representation" when it loads one: captured
    // output would record that line in whichever test touched AssertJ first.
    assertThat(ServiceLoader.load(Representation.class).stream().map(provider -> provider.type().getName()))
        .isEmpty();
  }

  @Test
  void itAnswersNullForEverythingElse() {
    TraceRepresentation representation = new TraceRepresentation();
    assertThat(representation.toStringOf("text")).isNull();
    assertThat(representation.toStringOf(List.of())).isNull();
    assertThat(representation.toStringOf(List.of(1, 2))).isNull();
    assertThat(representation.unambiguousToStringOf(42)).isNull();
    assertThat(representation.toStringOf(checkout.collector.snapshot())).isEqualTo(checkout.collector.render());
    assertThat(representation.toStringOf(checkout.collector.named("payment.call").get(0).events().get(0)))
        .isEqualTo("event retry.scheduled +120ms {delay=2s}");
  }
}
