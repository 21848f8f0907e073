package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.assertMarked;
import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.assertions.TraceAssertions.then;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.core.Limits;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpansAssertTest {

  private final Checkout checkout = Checkout.recorded();
  private final SpanCollector spans = checkout.collector;

  @Test
  void hasSizeCountsEverySpan() {
    assertThat(spans).hasSize(5);
    String message = messageOf(() -> assertThat(spans).hasSize(4));
    assertThat(message).contains("Expecting trace t-test", "to have 4 spans", "but it has 5", "└─ server checkout");
  }

  @Test
  void aTraceEqualsTheSameTraceAndTheLiveSpansItCameFrom() {
    Trace trace = spans.snapshot();
    assertThat(trace).isEqualTo(spans.snapshot());
    assertThat(trace).isEqualTo(spans);
    assertThat(spans).isEqualTo(trace);
    then(trace).isEqualTo(trace);
    assertThat(trace).isNotEqualTo(new Checkout().collector.snapshot());
  }

  @Test
  void aDifferentTraceFailsWithBothTrees() {
    Trace other = new Checkout().collector.snapshot();
    AssertionError error = org.assertj.core.api.Assertions.catchThrowableOfType(AssertionError.class,
        () -> assertThat(spans.snapshot()).isEqualTo(other));
    assertThat(error).isInstanceOf(org.opentest4j.AssertionFailedError.class);
    assertThat(error.getMessage()).contains("Expecting the trace to equal the expected one, but the trees differ",
        "expected:\ntrace t-test · 0 spans", "but was:\ntrace t-test · 5 spans", "└─ server checkout");
    assertThat(((org.opentest4j.AssertionFailedError) error).getExpected().getValue()).isEqualTo(other.render());
    assertThat(messageOf(() -> assertThat(spans).isNotEqualTo(spans.snapshot())))
        .contains("Expecting the trace not to equal", "└─ server checkout");
  }

  @Test
  void tracesThatReadTheSameNameTheSpanThatDiffers() {
    SpanCollector one = new SpanCollector("t-same", TimeSource.of(() -> 0L, () -> java.time.Instant.EPOCH),
        Limits.defaults());
    SpanCollector two = new SpanCollector("t-same", TimeSource.of(() -> 0L, () -> java.time.Instant.EPOCH),
        Limits.defaults());
    try (var scope = one.activate()) {
      Tracing.run(SpanKind.INTERNAL, "work", () -> {});
    }
    Thread other = new Thread(() -> {
      try (var scope = two.activate()) {
        Tracing.run(SpanKind.INTERNAL, "work", () -> {});
      }
    }, "another-thread");
    other.start();
    org.assertj.core.api.Assertions.assertThatCode(other::join).doesNotThrowAnyException();

    assertThat(messageOf(() -> assertThat(one.snapshot()).isEqualTo(two.snapshot())))
        .contains("but span 1 \"work\" differs in what the tree does not show: its threadName is \""
            + Thread.currentThread().getName() + "\" instead of \"another-thread\"");
  }

  @Test
  void isEmptyHoldsBeforeAnythingIsRecorded() {
    assertThat(new Checkout().collector).isEmpty();
    assertThat(messageOf(() -> assertThat(spans).isEmpty())).contains("to have no spans", "but it has 5");
  }

  @Test
  void hasSpanFindsTheOnlySpanWithThatNameAnywhere() {
    assertThat(spans).hasSpan("receipt").hasParent("checkout");
    String message = messageOf(() -> assertThat(spans).hasSpan("payment.call"));
    assertThat(message).contains("to have exactly one span named \"payment.call\"",
        "but found 2 spans named \"payment.call\":",
        "    checkout > payment.call[0]  (span 2)",
        "    checkout > payment.call[1]  (span 3)");
    assertMarked(message, "client payment.call +10ms", "client payment.call +2010ms");
    assertThat(messageOf(() -> assertThat(spans).hasSpan("refund"))).contains("but found no spans named \"refund\"");
  }

  @Test
  void hasSpansCountsSpansWithThatName() {
    assertThat(spans).hasSpans("payment.call", 2).hasSpans("refund", 0);
    String message = messageOf(() -> assertThat(spans).hasSpans("payment.call", 3));
    assertThat(message).contains("to have 3 spans named \"payment.call\"", "but found 2 spans named \"payment.call\":");
    assertMarked(message, "client payment.call +10ms", "client payment.call +2010ms");
  }

  @Test
  void doesNotHaveSpanListsTheSpansFound() {
    assertThat(spans).doesNotHaveSpan("refund");
    String message = messageOf(() -> assertThat(spans).doesNotHaveSpan("receipt"));
    assertThat(message).contains("to have no span named \"receipt\"", "but found 1 span named \"receipt\":",
        "checkout > receipt  (span 5)");
    assertMarked(message, "internal receipt +2110ms");
  }

  @Test
  void hasRootSpanLooksAtRootsOnly() {
    assertThat(spans).hasRootSpan("checkout").isRoot();
    assertThat(messageOf(() -> assertThat(spans).hasRootSpan("receipt")))
        .contains("to have exactly one root span named \"receipt\"", "but its root spans are [\"checkout\"]");
    Checkout twoRoots = new Checkout().record(() -> {
      Tracing.run("job", () -> {});
      Tracing.run("job", () -> {});
    });
    assertThat(messageOf(() -> assertThat(twoRoots.collector).hasRootSpan("job")))
        .contains("but found 2 root spans named \"job\":", "job[0]  (span 1)", "job[1]  (span 2)");
    assertThat(messageOf(() -> assertThat(new Checkout().collector).hasRootSpan("job")))
        .contains("but it has no spans", "(no spans recorded)");
  }

  @Test
  void hasChildChecksForARootSpanAndStaysOnTheTrace() {
    assertThat(spans).hasChild("checkout").hasSize(5);
    assertThat(messageOf(() -> assertThat(spans).hasChild("payment.call")))
        .contains("to have a root span named \"payment.call\"", "but its root spans are [\"checkout\"]");
  }

  @Test
  void hasNoOpenSpansMarksTheOpenOnes() {
    assertThat(spans).hasNoOpenSpans();
    Checkout open = new Checkout().record(() -> Tracing.run("job", () -> Tracing.startAsync("upload")));
    String message = messageOf(() -> assertThat(open.collector).hasNoOpenSpans());
    assertThat(message).contains("to have no open spans", "but found 1 open span:", "job > upload  (span 2)");
    assertMarked(message, "internal upload +0ms");
  }

  @Test
  void hasNoErrorsMarksTheFailedSpans() {
    Checkout fine = new Checkout().record(() -> Tracing.run("job", () -> {}));
    assertThat(fine.collector).hasNoErrors();
    String message = messageOf(() -> assertThat(spans).hasNoErrors());
    assertThat(message).contains("to have no spans with status ERROR", "checkout > payment.call[0]  (span 2)");
    assertMarked(message, "client payment.call +10ms");
  }

  @Test
  void hasNoProblemsAndHasProblemReadTheCollectorsProblems() {
    assertThat(spans).hasNoProblems();
    assertThat(messageOf(() -> assertThat(spans).hasProblem(ProblemCode.SPAN_ENDED_TWICE)))
        .contains("to have a problem SPAN_ENDED_TWICE", "but it has no problems");
    Checkout twice = new Checkout().record(() -> {
      SpanHandle job = Tracing.start("job");
      job.end();
      job.end();
    });
    assertThat(twice.collector).hasProblem(ProblemCode.SPAN_ENDED_TWICE);
    String message = messageOf(() -> assertThat(twice.collector).hasNoProblems());
    assertThat(message).contains("to have no problems", "but found 1 problem:", "SPAN_ENDED_TWICE");
    assertMarked(message, "internal job +0ms");
    assertThat(messageOf(() -> assertThat(twice.collector).hasProblem(ProblemCode.SPAN_LIMIT)))
        .contains("to have a problem SPAN_LIMIT", "but its problems are [SPAN_ENDED_TWICE]");
  }

  @Test
  void hasTreeShapeMatchesNamesKindsAndNesting() {
    assertThat(spans).hasTreeShape("""
        checkout [server]
          payment.call [client]
          payment.call
          model.switch
          receipt [internal]
        """);
  }

  @Test
  void hasTreeShapeShowsBothTreesSideBySideWithTheFirstDifferenceMarked() {
    String message = messageOf(() -> assertThat(spans).hasTreeShape("""
        checkout
          payment.call [client]
          payment.call [server]
          receipt
        """));
    assertThat(message).contains(
        "Expecting trace t-test\n  to have the tree shape on the left\nbut it differs from line 3 on (marked ▶):\n"
            + "  expected                   actual\n"
            + "  checkout                   checkout\n"
            + "    payment.call [client]      payment.call [client]\n"
            + "▶   payment.call [server]      payment.call [client]\n"
            + "    receipt                    model.switch\n"
            + "  (nothing)                    receipt\n"
            + "in:\n");
    assertMarked(message, "client payment.call +2010ms");
  }

  @Test
  void hasTreeShapeReportsMissingSpansAfterTheEnd() {
    Checkout small = new Checkout().record(() -> Tracing.run("job", () -> {}));
    String message = messageOf(() -> assertThat(small.collector).hasTreeShape("job\n  step"));
    assertThat(message).contains("but it differs from line 2 on", "▶   step      (nothing)");
    assertThat(markedLinesOf(message)).isZero();
  }

  private static long markedLinesOf(String message) {
    return Failures.markedSpans(message).size();
  }

  @Test
  void hasTreeShapeComparesATraceNestedDeeperThanTheStackAllowsInEitherOrder() {
    int depth = 5_000; // the recursive any-order matching overflowed the stack here
    Checkout deep = new Checkout().record(() -> {
      java.util.ArrayDeque<SpanHandle> open = new java.util.ArrayDeque<>();
      for (int i = 0; i < depth; i++) {
        open.push(Tracing.start("level"));
      }
      Tracing.start("b").close();
      Tracing.start("a").close();
      while (!open.isEmpty()) {
        open.pop().close();
      }
    });
    StringBuilder shape = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      shape.append("  ".repeat(i)).append("level\n");
    }
    String leaves = "  ".repeat(depth);
    String anyOrder = shape + leaves + "a\n" + leaves + "b\n";

    assertThat(deep.collector).hasTreeShape(anyOrder, SiblingOrder.ANY);
    assertThat(deep.collector).hasTreeShape(shape + leaves + "b\n" + leaves + "a\n");
    assertThatThrownBy(() -> assertThat(deep.collector).hasTreeShape(anyOrder))
        .hasMessageContaining("it differs from line " + (depth + 1) + " on");
    assertThatThrownBy(() -> assertThat(deep.collector).hasTreeShape(anyOrder + leaves + "c\n", SiblingOrder.ANY))
        .hasMessageContaining("it differs from line " + (depth + 3) + " on");
  }

  @Test
  void hasTreeShapeRejectsAShapeItCannotRead() {
    assertThatThrownBy(() -> assertThat(spans).hasTreeShape("checkout\n    payment.call"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree shape line \"    payment.call\" is 2 levels deep, but the line before it is only 0 deep");
    assertThatThrownBy(() -> assertThat(spans).hasTreeShape("checkout\n   payment.call"))
        .hasMessage("tree shape line \"   payment.call\" is indented by 3 spaces; use two spaces per level");
    assertThatThrownBy(() -> assertThat(spans).hasTreeShape("checkout\n\tpayment.call"))
        .hasMessage("tree shape line \"\tpayment.call\" contains a tab; indent with two spaces per level");
    assertThatThrownBy(() -> assertThat(spans).hasTreeShape("  \n"))
        .hasMessage("tree shape must name at least one span but was \"  \\n\"");
  }

  @Test
  void spansNamedGivesAListAssertWhoseElementsNavigate() {
    assertThat(spans).spansNamed("payment.call").hasSize(2)
        .allSpansSatisfy(call -> call.hasKind(SpanKind.CLIENT).hasParent("checkout"))
        .element(1).hasAttribute("attempt", 2);
    assertThat(spans).spansNamed("payment.call").first().isError();
    String message = messageOf(() -> assertThat(spans).spansNamed("payment.call").hasSize(3));
    assertThat(message).contains("[spans named \"payment.call\"]", "Expected size: 3 but was: 2",
        "checkout > payment.call[0] (span 2)", "checkout > payment.call[1] (span 3)");
    assertMarked(message, "client payment.call +10ms", "client payment.call +2010ms");
  }

  @Test
  void listNavigationFailsWithTheSpansInTheList() {
    assertThat(spans).spansNamed("receipt").singleElement().hasDuration(Duration.ofMillis(5));
    String message = messageOf(() -> assertThat(spans).spansNamed("payment.call").element(2));
    assertThat(message).contains("[spans named \"payment.call\"]", "to have a span at index 2", "but it holds 2");
    assertMarked(message, "client payment.call +10ms", "client payment.call +2010ms");
    assertThat(messageOf(() -> assertThat(spans).spansNamed("refund").last())).contains("to have a last span", "but it is empty");
    assertThat(messageOf(() -> assertThat(spans).spansNamed("payment.call").singleElement()))
        .contains("to hold exactly one span", "but it holds 2");
  }

  @Test
  void allSpansSatisfyListsEverySpanThatFailed() {
    String message = messageOf(() -> assertThat(spans).spansNamed("payment.call").allSpansSatisfy(SpanAssert::isOk));
    assertThat(message).contains("Expecting each of the 2 spans marked", "to satisfy the requirements",
        "but 1 of 2 did not:", "Expecting span checkout > payment.call[0]");
    assertMarked(message, "client payment.call +10ms", "client payment.call +2010ms");
  }

  @Test
  void filteredOnKindKeepsSpansOfThatKind() {
    assertThat(spans).filteredOnKind(SpanKind.CLIENT).hasSize(2);
    assertThat(spans).filteredOnKind(SpanKind.INTERNAL).last().hasName("receipt");
    assertThat(spans).filteredOnKind(SpanKind.of("llm_call")).isEmpty();
    String message = messageOf(() -> assertThat(spans).filteredOnKind(SpanKind.SERVER).isEmpty());
    assertThat(message).contains("[spans of kind server]", "checkout (span 1)");
    assertMarked(message, "server checkout +0ms");
  }

  @Test
  void aLiveSpansIsReadOnceByTheFirstCheckOfAChain() {
    Checkout live = new Checkout();
    live.record(() -> Tracing.run("first", () -> {}));
    SpansAssert chain = assertThat(live.collector).hasSize(1);
    live.record(() -> Tracing.run("second", () -> {}));
    chain.hasSize(1).doesNotHaveSpan("second");
    assertThat(live.collector).hasSize(2).hasSpan("second");
  }

  @Test
  void aTraceSnapshotAndThenWorkLikeAssertThat() {
    Trace trace = spans.snapshot();
    assertThat(trace).hasRootSpan("checkout").hasChildrenNamed("payment.call", "payment.call", "model.switch", "receipt");
    then(spans).hasSize(5);
    then(trace).hasNoProblems();
    then(trace.named("receipt").get(0)).hasDuration(Duration.ofMillis(5));
  }

  @Test
  void nullSpansFailLikeAnyAssertJAssertion() {
    assertThat(messageOf(() -> assertThat((Spans) null).hasSize(0))).contains("Expecting actual not to be null");
    assertThat(messageOf(() -> assertThat((Trace) null).isEmpty())).contains("Expecting actual not to be null");
  }

  @Test
  void droppedSpansShowInTheTreeOfAFailure() {
    SpanCollector limited = new SpanCollector("t-test", TimeSource.of(() -> 0L, () -> java.time.Instant.EPOCH),
        Limits.defaults().withMaxSpans(1));
    try (var scope = limited.activate()) {
      Tracing.run("kept", () -> Tracing.run("dropped", () -> {}));
    }
    assertThat(limited).hasProblem(ProblemCode.SPAN_LIMIT);
    assertThat(messageOf(() -> assertThat(limited).hasNoProblems())).contains("SPAN_LIMIT", "1 dropped");
  }
}
