package dev.traceunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanKind;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SoftAssertionsExtension.class)
class TraceSoftAssertionsTest {

  @InjectSoftAssertions
  TraceSoftAssertions injected;

  private final SpanCollector spans = Checkout.recorded().collector;

  @Test
  void collectsEveryFailureAndReportsThemTogether() {
    TraceSoftAssertions softly = new TraceSoftAssertions();
    softly.assertThat(spans).hasSize(4).hasSpans("payment.call", 3);
    softly.assertThat(spans).hasRootSpan("checkout").child("payment.call", 1).hasName("refund").hasKind(SpanKind.SERVER);
    softly.assertThat("plain AssertJ").startsWith("plain");
    List<AssertionError> errors = softly.assertionErrorsCollected();
    assertThat(errors).hasSize(4);
    assertThat(errors.get(0).getMessage()).contains("to have 4 spans");
    assertThat(errors.get(1).getMessage()).contains("to have 3 spans named \"payment.call\"");
    assertThat(errors.get(2).getMessage()).contains("Expecting span checkout > payment.call[1]", "to have name \"refund\"");
    assertThat(errors.get(3).getMessage()).contains("to have kind server");
  }

  @Test
  void checksAfterAFailedNavigationAreSkippedNotReportedAgain() {
    TraceSoftAssertions softly = new TraceSoftAssertions();
    softly.assertThat(spans).hasSpan("refund").hasName("refund").isOk();
    softly.assertThat(spans).hasRootSpan("checkout").child("payment.call", 7).hasDuration(Duration.ZERO);
    softly.assertThat(spans).hasRootSpan("checkout").child("receipt").event("printed").hasName("printed");
    softly.assertThat(spans).hasRootSpan("checkout").parent().isRoot();
    assertThat(softly.assertionErrorsCollected()).extracting(AssertionError::getMessage)
        .satisfiesExactly(
            m -> assertThat(m).contains("to have exactly one span named \"refund\"", "but found no spans named \"refund\""),
            m -> assertThat(m).contains("to have a child named \"payment.call\" at index 7"),
            m -> assertThat(m).contains("Expecting span checkout > receipt", "to have exactly one event named \"printed\""),
            m -> assertThat(m).contains("Expecting span checkout", "to have a parent", "but it is a root span"));
  }

  @Test
  void navigationThatSucceedsStaysSoft() {
    TraceSoftAssertions softly = new TraceSoftAssertions();
    softly.assertThat(spans).spansNamed("payment.call").element(0).isOk().hasAttribute("attempt", 9);
    softly.assertThat(spans.named("receipt").get(0)).hasName("receipt").isMarker();
    softly.assertThat(spans.snapshot()).hasNoErrors();
    assertThat(softly.assertionErrorsCollected()).extracting(AssertionError::getMessage).satisfiesExactly(
        m -> assertThat(m).contains("Expecting span checkout > payment.call[0]", "to be ok"),
        m -> assertThat(m).contains("Expecting span checkout > payment.call[0]", "to have attribute \"attempt\" equal to 9"),
        m -> assertThat(m).contains("Expecting span receipt", "to be a marker"),
        m -> assertThat(m).contains("to have no spans with status ERROR"));
  }

  @Test
  void aFilteredSpanListKeepsItsTraceAndStaysSoft() {
    TraceSoftAssertions softly = new TraceSoftAssertions();
    softly.assertThat(spans).spansNamed("payment.call").filteredOn(span -> true).element(7).hasName("x");
    softly.assertThat(spans).spansNamed("payment.call").filteredOn(span -> true).element(1).hasName("x");
    softly.assertThat(spans).spansNamed("payment.call").filteredOn(span -> true).filteredOn(span -> true)
        .allSpansSatisfy(call -> call.hasKind(SpanKind.SERVER));
    assertThat(softly.assertionErrorsCollected()).extracting(AssertionError::getMessage).satisfiesExactly(
        m -> assertThat(m).contains("to have a span at index 7", "it holds 2"),
        m -> assertThat(m).contains("Expecting span checkout > payment.call[1]", "to have name \"x\"", "\nin:\n"),
        m -> assertThat(m).contains("each of the 2 spans marked", "2 of 2 did not"));
  }

  @Test
  void assertSoftlyFailsOnceWithEveryError() {
    AssertionError error = catchThrowableOfType(AssertionError.class, () -> TraceSoftAssertions.assertSoftly(softly -> {
      softly.assertThat(spans).hasSpan("receipt").hasDuration(Duration.ofMillis(6));
      softly.assertThat(spans).doesNotHaveSpan("checkout");
    }));
    assertThat(error.getMessage()).contains("Multiple Failures (2 failures)", "to have duration 6ms",
        "to have no span named \"checkout\"");
  }

  @Test
  void worksWhenInjectedByAssertJsJUnitExtension() {
    injected.assertThat(spans).hasRootSpan("checkout").hasChild("receipt");
    injected.assertThat(spans).hasSize(5);
    assertThat(injected.wasSuccess()).isTrue();
    assertThat(injected.assertionErrorsCollected()).isEmpty();
  }

  @Test
  void aDescriptionSurvivesSoftNavigation() {
    TraceSoftAssertions softly = new TraceSoftAssertions();
    softly.assertThat(spans).as("soft flow").hasRootSpan("checkout").child("receipt").hasName("x").isMarker();
    softly.assertThat(spans).as("soft list").spansNamed("payment.call").filteredOn(span -> true).element(1).isError();
    softly.assertThat(spans).as("soft event").hasSpan("receipt").parent().child("payment.call", 0)
        .event("retry.scheduled", 0).hasAttribute("delay", "3s");
    softly.assertThat(spans).as("soft miss").hasRootSpan("checkout").child("nope").hasName("x");
    assertThat(softly.assertionErrorsCollected()).extracting(AssertionError::getMessage).satisfiesExactly(
        m -> assertThat(m).startsWith("[soft flow] \nExpecting span checkout > receipt\n  to have name \"x\""),
        m -> assertThat(m).startsWith("[soft flow] \nExpecting span checkout > receipt\n  to be a marker"),
        m -> assertThat(m).startsWith("[soft list] \nExpecting span checkout > payment.call[1]\n  to have status ERROR"),
        m -> assertThat(m).startsWith("[soft event] \nExpecting event \"retry.scheduled\" at +120ms"),
        m -> assertThat(m).startsWith("[soft miss] \nExpecting span checkout\n  to have a child named \"nope\""));
  }

  @Test
  void eventAtAnIndexIsSoftAndSkipsWhatFollowsAFailedLookUp() {
    TraceSoftAssertions softly = new TraceSoftAssertions();
    softly.assertThat(spans).hasSpan("receipt").event("printed", 3).hasName("printed").hasOffset(Duration.ZERO);
    softly.assertThat(spans).hasRootSpan("checkout").child("payment.call", 0).event("retry.scheduled", 0)
        .hasName("retry").hasOffset(Duration.ofMillis(120));
    softly.assertThat(spans).hasRootSpan("checkout").child("nope").event("x", 0).hasName("x");
    softly.assertThat(spans).hasSpan("nope").parent().child("receipt", 2).event("x").hasOffset(Duration.ZERO);
    assertThat(softly.assertionErrorsCollected()).extracting(AssertionError::getMessage).satisfiesExactly(
        m -> assertThat(m).contains("Expecting span checkout > receipt", "to have an event named \"printed\" at index 3",
            "but it has no events"),
        m -> assertThat(m).contains("to have name \"retry\""),
        m -> assertThat(m).contains("to have a child named \"nope\""),
        m -> assertThat(m).contains("to have exactly one span named \"nope\""));
  }
}
