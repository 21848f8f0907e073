package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import dev.traceunit.junit.Traced;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Instrumentation that misbehaves: the application never gets an exception from traceunit. */
@ExtendWith(TraceExtension.class)
class HostileUseTest {

  /** An exception whose message and text cannot be read. */
  static final class UnreadableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("message unavailable");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("text unavailable");
    }
  }

  @Test
  void anErrorWhoseMessageThrowsDoesNotReachTheApplicationAndTheSpanIsAnError(ObservationRegistry registry, Spans spans) {
    Observation observation = Observation.start("payment.call", registry);

    assertThatCode(() -> observation.error(new UnreadableException())).doesNotThrowAnyException();
    observation.stop();

    assertThat(spans).hasSpan("payment.call").isEnded().isError().hasError(UnreadableException.class);
  }

  @Test
  @Traced(strict = "false") // the problem is what this test expects
  void anEventWhoseNameThrowsDoesNotReachTheApplication(ObservationRegistry registry, Spans spans) {
    Observation observation = Observation.start("payment.call", registry);
    Observation.Event hostile = new Observation.Event() {
      @Override
      public String getName() {
        throw new IllegalStateException("no name");
      }

      @Override
      public String toString() {
        throw new IllegalStateException("no text");
      }
    };

    assertThatCode(() -> observation.event(hostile)).doesNotThrowAnyException();
    observation.event(Observation.Event.of("retry.scheduled"));
    observation.stop();

    assertThat(spans).hasSpan("payment.call").isEnded().hasEventsNamed("<unnamed>", "retry.scheduled");
    assertThat(spans.snapshot().problems()).singleElement()
        .satisfies(problem -> assertThat(problem.code()).isEqualTo(ProblemCode.INVALID_NAME));
  }

  @Test
  void anObservationWithoutAScopeIsNoParentOfSpansStartedMeanwhileButAnExplicitParentIsKept(
      ObservationRegistry registry, Spans spans) {
    Observation order = Observation.start("order.place", registry);
    Tracing.run("unrelated", () -> {});
    Observation.createNotStarted("db.query", registry).parentObservation(order).observe(() -> {});
    order.stop();

    assertThat(spans).hasRootSpan("unrelated");
    assertThat(spans).hasRootSpan("order.place").hasChildrenNamed("db.query");
    assertThat(Tracing.current().isRecording()).isFalse();
  }

  @Test
  void aScopeClosedBeforeOneOpenedAfterItTakesThatOneAlongAsMicrometerDoes(ObservationRegistry registry, Spans spans) {
    Observation outer = Observation.start("outer", registry);
    Observation inner = Observation.start("inner", registry);
    Observation.Scope outerScope = outer.openScope();
    Observation.Scope innerScope = inner.openScope();

    outerScope.close(); // before the inner one
    assertThat(Tracing.current().isRecording()).as("the thread's current span once the outer scope closed").isFalse();
    Tracing.run("between", () -> {});
    innerScope.close();
    inner.stop();
    outer.stop();

    assertThat(Tracing.current().isRecording()).as("the thread's current span after every scope closed").isFalse();
    assertThat(spans).hasRootSpan("between");
    assertThat(spans).hasNoProblems();
  }

  @Test
  void aTaskCapturedOnAThreadWithoutObservationRunsWithoutTheLeakedScopeOfTheThreadRunningIt(
      ObservationRegistry registry, Spans spans) throws Exception {
    Runnable fromNowhere;
    try (ContextFreeThread elsewhere = new ContextFreeThread()) {
      fromNowhere = elsewhere.executor.submit(() -> ContextSnapshotFactory.builder().clearMissing(true).build()
          .captureAll().wrap(() -> Tracing.run("propagated", () -> {}))).get(10, TimeUnit.SECONDS);
    }
    Observation leaked = Observation.start("leaked.scope", registry);
    Observation.Scope neverClosed = leaked.openScope();

    fromNowhere.run();
    Tracing.run("after", () -> {});
    neverClosed.close();
    leaked.stop();

    assertThat(spans).doesNotHaveSpan("propagated"); // it came from a thread that recorded nothing
    assertThat(spans).hasRootSpan("leaked.scope").hasChildrenNamed("after"); // and the leaked scope is back
    assertThat(Tracing.current().isRecording()).isFalse();
  }
}
