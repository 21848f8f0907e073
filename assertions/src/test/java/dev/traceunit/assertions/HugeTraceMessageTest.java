package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.markedSpans;
import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.assertions.TraceAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HugeTraceMessageTest {

  static final int SPANS = 3_000;

  /** A root with {@code SPANS - 1} children {@code call.1}, {@code call.2}…; {@code call.1500} has an event. */
  private final Checkout huge = new Checkout().record(() -> {
    try (SpanHandle root = Tracing.start("batch")) {
      for (int i = 1; i < SPANS; i++) {
        try (SpanHandle call = Tracing.start("call." + i)) {
          call.attribute("index", i);
          if (i == SPANS / 2) {
            call.event("retry", Map.of("attempt", 2));
          }
        }
      }
    }
  });

  @Test
  void aFailureOnOneSpanShowsTwoHundredLinesAroundIt() {
    String message = messageOf(() -> assertThat(huge.collector).hasSpan("call.1500").hasAttribute("index", 1L));

    assertWindowAroundCall1500(message);
    assertThat(markedSpans(message)).singleElement().asString().startsWith("internal call.1500 ");
  }

  @Test
  void listAndEventFailuresShowTwoHundredLinesAroundTheirSpans() {
    assertWindowAroundCall1500(messageOf(() -> assertThat(huge.collector).hasSpan("call.1500").event("retry")
        .hasAttribute("attempt", 3L)));
    String listMessage = messageOf(() -> assertThat(huge.collector).spansNamed("call.1500")
        .allSpansSatisfy(call -> call.hasAttribute("index", 1L)));
    assertWindowAroundCall1500(listMessage);
    assertThat(markedSpans(listMessage)).hasSize(1);
  }

  @Test
  void aTraceInAPlainAssertJMessageShowsTwoHundredLines() {
    Trace trace = huge.collector.snapshot();

    String message = new TraceRepresentation().toStringOf(trace);

    assertThat(treeLines(message)).isEqualTo(TraceFailure.MAX_TREE_LINES);
    assertThat(message).contains("internal batch", (SPANS + 1 - TraceFailure.MAX_TREE_LINES) + " lines below not shown");
  }

  @Test
  void aWaitThatGivesUpShowsTwoHundredLinesAroundTheAwaitedSpan() {
    Checkout withOpenCall = new Checkout().record(() -> {
      try (SpanHandle root = Tracing.start("batch")) {
        for (int i = 1; i < SPANS; i++) {
          SpanHandle call = Tracing.startAsync("call." + i);
          if (i != SPANS / 2) {
            call.end();
          }
        }
      }
    });
    withOpenCall.collector.finish();

    String message = messageOf(() -> await(withOpenCall.collector).untilSpanEnded("call.1500"));

    assertThat(message).startsWith("Gave up waiting for a span named \"call.1500\" to end");
    assertWindowAroundCall1500(message);
    assertThat(markedSpans(message)).singleElement().asString().startsWith("internal call.1500 ");
  }

  @Test
  void aFailureOnThousandsOfSameNamedSpansListsTwentyPathsAndCountsTheRest() {
    Checkout sameNames = new Checkout().record(() -> {
      try (SpanHandle root = Tracing.start("batch")) {
        for (int i = 1; i < SPANS; i++) {
          Tracing.start("call").end();
        }
      }
    });

    String message = messageOf(() -> assertThat(sameNames.collector).hasSpans("call", 1));

    assertThat(message).contains("found " + (SPANS - 1) + " spans named \"call\":",
        "\n    … and " + (SPANS - 1 - TraceFailure.MAX_LISTED) + " more\n");
    assertThat(message.lines().filter(line -> line.startsWith("    batch > call[")).count())
        .isEqualTo(TraceFailure.MAX_LISTED);
    assertThat(message.length()).isLessThan(30_000);
  }

  private static void assertWindowAroundCall1500(String message) {
    assertThat(treeLines(message)).isEqualTo(TraceFailure.MAX_TREE_LINES);
    assertThat(message).contains("lines above not shown", "lines below not shown", "internal call.1500 ")
        .doesNotContain("internal call.1399 ", "internal call.1601 ");
  }

  /** Lines that draw a span or an event: they hold tree guides. */
  private static long treeLines(String text) {
    return text.lines().filter(line -> line.contains("─ ")).count();
  }
}
