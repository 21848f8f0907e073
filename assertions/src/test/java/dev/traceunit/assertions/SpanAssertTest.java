package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.assertMarked;
import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanAssertTest {

  private final Checkout checkout = Checkout.recorded();

  private SpanAssert root() {
    return assertThat(checkout.collector).hasRootSpan("checkout");
  }

  private SpanAssert firstCall() {
    return root().child("payment.call", 0);
  }

  private SpanAssert secondCall() {
    return root().child("payment.call", 1);
  }

  @Test
  void hasNameComparesTheName() {
    root().hasName("checkout");
    String message = messageOf(() -> secondCall().hasName("refund"));
    assertThat(message).contains("Expecting span checkout > payment.call[1]", "to have name \"refund\"",
        "but its name was \"payment.call\"");
    assertMarked(message, "client payment.call +2010ms");
  }

  @Test
  void hasKindComparesStandardAndCustomKinds() {
    root().hasKind(SpanKind.SERVER);
    secondCall().hasKind(SpanKind.of("CLIENT"));
    assertThat(messageOf(() -> root().hasKind(SpanKind.of("llm_call"))))
        .contains("Expecting span checkout", "to have kind llm_call", "but its kind was server");
  }

  @Test
  void isRootHoldsOnlyForSpansWithoutParent() {
    root().isRoot();
    String message = messageOf(() -> secondCall().isRoot());
    assertThat(message).contains("to be a root span", "but its parent is checkout");
    assertMarked(message, "client payment.call +2010ms");
  }

  @Test
  void hasParentNamesTheActualParent() {
    secondCall().hasParent("checkout");
    assertThat(messageOf(() -> secondCall().hasParent("order"))).contains("to have a parent named \"order\"",
        "but its parent is checkout");
    assertThat(messageOf(() -> root().hasParent("order"))).contains("but it is a root span");
  }

  @Test
  void parentNavigatesUpAndFailsOnARoot() {
    secondCall().parent().hasName("checkout");
    String message = messageOf(() -> root().parent());
    assertThat(message).contains("Expecting span checkout", "to have a parent", "but it is a root span");
    assertMarked(message, "server checkout +0ms");
  }

  @Test
  void hasChildListsTheChildrenThereAre() {
    root().hasChild("receipt").hasChild("payment.call").hasName("checkout");
    assertThat(messageOf(() -> root().hasChild("refund"))).contains("to have a child named \"refund\"",
        "but its children were [\"payment.call\", \"payment.call\", \"model.switch\", \"receipt\"]");
    assertThat(messageOf(() -> root().child("receipt").hasChild("pdf"))).contains("but it has no children");
  }

  @Test
  void childNeedsExactlyOneMatchAndListsSeveralWithTheirPaths() {
    root().child("receipt").hasDuration(Duration.ofMillis(5));
    String message = messageOf(() -> root().child("payment.call"));
    assertThat(message).contains("to have exactly one child named \"payment.call\"",
        "but found 2 children named \"payment.call\":",
        "    checkout > payment.call[0]  (span 2)",
        "    checkout > payment.call[1]  (span 3)",
        "pick one with child(\"payment.call\", index)");
    assertMarked(message, "server checkout +0ms");
    assertThat(messageOf(() -> root().child("refund"))).contains("to have a child named \"refund\"",
        "but its children were");
  }

  @Test
  void childByIndexCountsSameNamedSiblingsFromZero() {
    firstCall().hasAttribute("attempt", 1);
    secondCall().hasAttribute("attempt", 2);
    assertThat(messageOf(() -> root().child("payment.call", 2)))
        .contains("to have a child named \"payment.call\" at index 2", "but found 2 children named \"payment.call\":");
    assertThatThrownBy(() -> root().child("payment.call", -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index must be at least 0 but was -1");
  }

  @Test
  void hasChildrenNamedComparesAllChildrenInStartOrder() {
    root().hasChildrenNamed("payment.call", "payment.call", "model.switch", "receipt");
    firstCall().hasChildrenNamed();
    String message = messageOf(() -> root().hasChildrenNamed("payment.call", "receipt"));
    assertThat(message).contains("to have children named [\"payment.call\", \"receipt\"] in start order",
        "but its children were [\"payment.call\", \"payment.call\", \"model.switch\", \"receipt\"]");
    assertMarked(message, "server checkout +0ms");
  }

  @Test
  void hasChildSatisfyingPassesWhenOneOfTheSameNamedChildrenDoes() {
    root().hasChildSatisfying("payment.call", call -> call.isOk().hasAttribute("attempt", 2));
    String message = messageOf(() -> root().hasChildSatisfying("payment.call", call -> call.hasAttribute("attempt", 3)));
    assertThat(message).contains("to have a child named \"payment.call\" satisfying the requirements",
        "but none of the 2 children named \"payment.call\" did:",
        "checkout > payment.call[0]: Expecting span checkout > payment.call[0]",
        "to have attribute \"attempt\" equal to 3");
    assertThat(messageOf(() -> root().hasChildSatisfying("refund", call -> {})))
        .contains("to have a child named \"refund\" satisfying the requirements");
  }

  @Test
  void hasChildSatisfyingWithASingleCandidateReportsItsOwnFailure() {
    String message = messageOf(() -> root().hasChildSatisfying("receipt", receipt -> receipt.isError()));
    assertThat(message).contains("Expecting span checkout > receipt", "to have status ERROR", "but its status was UNSET");
    assertMarked(message, "internal receipt +2110ms");
  }

  @Test
  void hasDescendantSearchesTheWholeSubtree() {
    Checkout nested = new Checkout().record(() -> Tracing.run("a", () -> Tracing.run("b", () -> Tracing.run("c", () -> {}))));
    assertThat(nested.collector).hasRootSpan("a").hasDescendant("c").hasDescendant("b");
    assertThat(messageOf(() -> assertThat(nested.collector).hasSpan("b").hasDescendant("a")))
        .contains("Expecting span a > b", "to have a descendant named \"a\"", "but no span below it has that name");
  }

  @Test
  void hasAttributeWithoutValueOnlyNeedsTheKey() {
    root().hasAttribute("order");
    assertThat(messageOf(() -> root().hasAttribute("customer")))
        .contains("to have attribute \"customer\"", "but it has no attribute \"customer\", only [\"order\"]");
    assertThat(messageOf(() -> root().child("receipt").hasAttribute("pdf")))
        .contains("but the span has no attributes");
  }

  @Test
  void hasAttributeComparesAsTheCollectorStores() {
    secondCall().hasAttribute("attempt", 2).hasAttribute("attempt", 2L).hasAttribute("attempt", (short) 2)
        .hasAttribute("amount", 19.99);
    root().child("model.switch").hasAttribute("model", "small");
    String message = messageOf(() -> secondCall().hasAttribute("attempt", 3));
    assertThat(message).contains("Expecting span checkout > payment.call[1]", "to have attribute \"attempt\" equal to 3",
        "but it was 2L\n").doesNotContain("(a Long");
    assertMarked(message, "client payment.call +2010ms");
    assertThat(messageOf(() -> secondCall().hasAttribute("attempt", 2.0)))
        .contains("but it was 2L (a Long, but the expected value is stored as a Double)");
    assertThat(messageOf(() -> root().child("model.switch").hasAttribute("model", "large")))
        .contains("equal to \"large\"", "but it was \"small\"");
  }

  @Test
  void hasAttributeComparesListsAndMapsElementByElement() {
    Checkout lists = new Checkout().record(() -> {
      try (SpanHandle span = Tracing.start("batch")) {
        span.attribute("ids", List.of(1, 2, 3)).attribute("limits", Map.of("max", 5)).attribute("tags", new String[] {"a"});
      }
    });
    assertThat(lists.collector).hasSpan("batch").hasAttribute("ids", new int[] {1, 2, 3})
        .hasAttribute("ids", List.of(1L, 2L, 3L)).hasAttribute("limits", Map.of("max", 5)).hasAttribute("tags", List.of("a"));
    assertThat(messageOf(() -> assertThat(lists.collector).hasSpan("batch").hasAttribute("ids", List.of(1, 2))))
        .contains("to have attribute \"ids\" equal to [1, 2]", "but it was [1L, 2L, 3L]");
  }

  @Test
  void anExpectedValueIsBroughtToWhatWasStoredByTheCollectorsOwnRule() {
    java.util.Set<String> tags = new java.util.HashSet<>(List.of("zeta", "alpha", "mu", "beta", "omega", "kappa"));
    Object unsupported = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("no text");
      }
    };
    Checkout values = new Checkout().record(() -> {
      try (SpanHandle span = Tracing.start("batch")) {
        span.attribute("tags", tags).attribute("chars", new char[] {'o', 'k'}).attribute("odd", unsupported);
      }
    });
    // A set is stored in key order whatever its own order, a char[] as a string, a bad toString as its description.
    assertThat(values.collector).hasSpan("batch").hasAttribute("tags", tags)
        .hasAttribute("tags", List.of("alpha", "beta", "kappa", "mu", "omega", "zeta"))
        .hasAttribute("chars", new char[] {'o', 'k'}).hasAttribute("odd", unsupported);
  }

  @Test
  void hasAttributeCloseToAllowsTheGivenTolerance() {
    secondCall().hasAttributeCloseTo("amount", 20.0, within(0.02)).hasAttributeCloseTo("attempt", 2.4, within(0.5));
    String message = messageOf(() -> secondCall().hasAttributeCloseTo("amount", 20.0, within(0.001)));
    assertThat(message).contains("to have attribute \"amount\" close to 20.0 within 0.001", "but it was 19.99, a difference of");
    assertThat(messageOf(() -> root().child("model.switch").hasAttributeCloseTo("model", 1.0, within(1.0))))
        .contains("but it was \"small\", which is not a number");
  }

  @Test
  void hasAttributeSatisfyingRunsTheRequirementsOnTheValue() {
    root().hasAttributeSatisfying("order", order -> assertThat(order).isEqualTo(42L));
    String message = messageOf(() -> root().hasAttributeSatisfying("order", order -> assertThat(order).isEqualTo(7L)));
    assertThat(message).contains("to have attribute \"order\" satisfying the requirements", "but its value 42L did not:",
        "expected: 7L");
    assertMarked(message, "server checkout +0ms");
    assertThat(messageOf(() -> root().hasAttributeSatisfying("customer", value -> {})))
        .contains("to have attribute \"customer\"");
  }

  @Test
  void doesNotHaveAttributeShowsTheValueFound() {
    root().doesNotHaveAttribute("customer");
    assertThat(messageOf(() -> root().doesNotHaveAttribute("order")))
        .contains("not to have attribute \"order\"", "but it was 42L");
  }

  @Test
  void hasEventFindsEventsByName() {
    firstCall().hasEvent("retry.scheduled").hasEvent("exception");
    assertThat(messageOf(() -> firstCall().hasEvent("retry.done")))
        .contains("to have an event named \"retry.done\"", "but its events are [\"retry.scheduled\", \"exception\"]");
  }

  @Test
  void hasEventsNamedComparesAllEventsInOrder() {
    firstCall().hasEventsNamed("retry.scheduled", "exception");
    assertThat(messageOf(() -> firstCall().hasEventsNamed("exception", "retry.scheduled")))
        .contains("to have events named [\"exception\", \"retry.scheduled\"] in this order",
            "but its events were [\"retry.scheduled\", \"exception\"]");
  }

  @Test
  void hasNoEventsListsTheEventsFound() {
    secondCall().hasNoEvents();
    assertThat(messageOf(() -> firstCall().hasNoEvents()))
        .contains("to have no events", "but its events are [\"retry.scheduled\", \"exception\"]");
  }

  @Test
  void eventNavigatesToTheOnlyEventWithThatName() {
    firstCall().event("retry.scheduled").hasName("retry.scheduled").hasAttribute("delay", "2s")
        .hasOffset(Duration.ofMillis(120));
    String message = messageOf(() -> secondCall().event("retry.scheduled"));
    assertThat(message).contains("to have exactly one event named \"retry.scheduled\"", "but it has no events");
    assertMarked(message, "client payment.call +2010ms");
    Checkout twice = new Checkout().record(() -> {
      try (SpanHandle span = Tracing.start("poll")) {
        span.event("tick");
        span.event("tick");
      }
    });
    assertThat(messageOf(() -> assertThat(twice.collector).hasSpan("poll").event("tick")))
        .contains("but found 2, at offsets +0ms, +0ms");
  }

  @Test
  void hasDurationIsExactAndRefusesOpenSpans() {
    firstCall().hasDuration(Duration.ofMillis(120));
    String message = messageOf(() -> firstCall().hasDuration(Duration.ofMillis(100)));
    assertThat(message).contains("Expecting span checkout > payment.call[0]", "to have duration 100ms", "but it took 120ms");
    assertMarked(message, "client payment.call +10ms");
    Checkout open = new Checkout();
    open.record(() -> Tracing.startAsync("pending"));
    open.advance(7);
    assertThat(messageOf(() -> assertThat(open.collector).hasSpan("pending").hasDuration(Duration.ofMillis(7))))
        .contains("to have duration 7ms", "but it is still open (7ms so far)");
  }

  @Test
  void hasDurationBetweenIncludesBothEnds() {
    firstCall().hasDurationBetween(Duration.ofMillis(120), Duration.ofMillis(121))
        .hasDurationBetween(Duration.ofMillis(100), Duration.ofMillis(120));
    assertThat(messageOf(() -> firstCall().hasDurationBetween(Duration.ofMillis(1), Duration.ofMillis(100))))
        .contains("to have a duration from 1ms to 100ms", "but it took 120ms");
    assertThatThrownBy(() -> firstCall().hasDurationBetween(Duration.ofMillis(2), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("min must not be greater than max but min was 2ms and max 1ms");
  }

  @Test
  void startedAtComparesTheOffsetSinceTheCollectorsEpoch() {
    secondCall().startedAt(Duration.ofMillis(2010));
    assertThat(messageOf(() -> secondCall().startedAt(Duration.ofSeconds(2))))
        .contains("to start at +2000ms", "but it started at +2010ms");
  }

  @Test
  void startedBeforeAndAfterFollowStartOrderEvenAtTheSameInstant() {
    root().child("model.switch").startedBefore("receipt").startedAfter("checkout");
    root().child("receipt").startedAfter("model.switch");
    String message = messageOf(() -> root().child("receipt").startedBefore("model.switch"));
    assertThat(message).contains("to start before the span named \"model.switch\"",
        "but it started at +2110ms (span 5) and checkout > model.switch at +2110ms (span 4)");
    assertThat(messageOf(() -> root().startedAfter("payment.call")))
        .contains("to start after the span named \"payment.call\" (exactly one such span)",
            "but found 2 spans named \"payment.call\":", "checkout > payment.call[1]  (span 3)");
  }

  @Test
  void overlapsHoldsForSpansThatRanAtTheSameTime() {
    root().overlaps("receipt");
    root().child("receipt").overlaps("checkout");
    String message = messageOf(() -> root().child("receipt").overlaps("model.switch"));
    assertThat(message).contains("to overlap in time with the span named \"model.switch\"",
        "but it ran from +2110ms to +2115ms and checkout > model.switch from +2110ms to +2110ms");
    assertMarked(message, "internal receipt");
    assertThat(messageOf(() -> root().overlaps("payment.call")))
        .contains("(exactly one such span)", "but found 2 spans named \"payment.call\":");
  }

  @Test
  void isMarkerHoldsForMarkersOnly() {
    root().child("model.switch").isMarker();
    assertThat(messageOf(() -> root().isMarker())).contains("to be a marker", "but it is an ordinary span");
  }

  @Test
  void isEndedAndIsOpenTellThemApart() {
    Checkout open = new Checkout();
    open.record(() -> Tracing.startAsync("pending"));
    assertThat(open.collector).hasSpan("pending").isOpen();
    root().isEnded();
    assertThat(messageOf(() -> assertThat(open.collector).hasSpan("pending").isEnded()))
        .contains("Expecting span pending", "to have ended", "but it is still open");
    assertThat(messageOf(() -> root().isOpen())).contains("to be open", "but it ended after 2115ms");
  }

  @Test
  void isOkMeansAnyStatusButError() {
    secondCall().isOk().hasStatus(SpanStatus.UNSET);
    String message = messageOf(() -> firstCall().isOk());
    assertThat(message).contains("to be ok (status not ERROR)", "but its status was ERROR with IOException: reset");
    assertMarked(message, "client payment.call +10ms");
    Checkout explicit = new Checkout().record(() -> {
      try (SpanHandle span = Tracing.start("ok")) {
        span.status(SpanStatus.OK);
      }
    });
    assertThat(explicit.collector).hasSpan("ok").isOk().hasStatus(SpanStatus.OK);
    assertThat(messageOf(() -> secondCall().hasStatus(SpanStatus.OK)))
        .contains("to have status OK", "but its status was UNSET");
  }

  @Test
  void isErrorNeedsStatusError() {
    firstCall().isError();
    assertThat(messageOf(() -> secondCall().isError())).contains("to have status ERROR", "but its status was UNSET");
  }

  @Test
  void hasErrorAcceptsTheRecordedTypeAndItsSupertypes() {
    firstCall().hasError(IOException.class).hasError(Exception.class).hasErrorMessage("reset");
    assertThat(messageOf(() -> firstCall().hasError(UncheckedIOException.class)))
        .contains("to have recorded an exception of type java.io.UncheckedIOException",
            "but it recorded java.io.IOException: reset");
    assertThat(messageOf(() -> secondCall().hasError(IOException.class)))
        .contains("but it recorded no exception (status UNSET)");
  }

  @Test
  void hasErrorMessageComparesTheRecordedMessage() {
    assertThat(messageOf(() -> firstCall().hasErrorMessage("timeout")))
        .contains("to have recorded an exception with message \"timeout\"", "but the message was \"reset\"");
    assertThat(messageOf(() -> secondCall().hasErrorMessage("reset"))).contains("but it recorded no exception");
  }

  @Test
  void hasLinkToFollowsLinksInsideTheTrace() {
    Checkout linked = new Checkout().record(() -> {
      SpanHandle job = Tracing.start("job");
      job.close();
      Tracing.span("drain").noParent().link(job.link()).start().close();
    });
    assertThat(linked.collector).hasSpan("drain").hasLinkTo("job");
    assertThat(messageOf(() -> assertThat(linked.collector).hasSpan("drain").hasLinkTo("other")))
        .contains("to link to a span named \"other\"", "but it links to:", "job (span 1)");
    assertThat(messageOf(() -> root().hasLinkTo("job"))).contains("but it has no links");
  }

  @Test
  void ranOnThreadComparesTheStartingThread() {
    String thread = Thread.currentThread().getName();
    root().ranOnThread(thread);
    assertThat(messageOf(() -> root().ranOnThread("worker-7")))
        .contains("to have started on thread \"worker-7\"", "but it started on \"" + thread + "\"");
  }

  @Test
  void aSpanAssertedOnItsOwnSeesNoRelativesAndSaysItsParentIsNotInTheTrace() {
    RecordedSpan call = checkout.collector.named("payment.call").get(1);
    assertThat(call).hasName("payment.call").hasAttribute("attempt", 2).hasChildrenNamed();
    String parentNotInTrace = "but its parent (span " + call.parentId() + ") is not in the trace";
    assertThat(messageOf(() -> assertThat(call).hasParent("checkout")))
        .contains("Expecting span payment.call", parentNotInTrace, "trace t-test · 1 span")
        .doesNotContain("root span");
    assertThat(messageOf(() -> assertThat(call).parent())).contains("to have a parent", parentNotInTrace)
        .doesNotContain("root span");
    assertThat(messageOf(() -> assertThat(call).isRoot())).contains("to be a root span", parentNotInTrace);
  }

  @Test
  void aNullSpanFailsLikeAnyAssertJAssertion() {
    assertThat(messageOf(() -> assertThat((RecordedSpan) null).hasName("x"))).contains("Expecting actual not to be null");
  }
}
