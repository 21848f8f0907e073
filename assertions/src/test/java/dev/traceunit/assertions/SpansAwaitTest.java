package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpansAwaitTest {

  private final Checkout checkout = new Checkout();

  /** Starts a thread that records a span named {@code name} once {@code go} opens. */
  private Thread worker(CountDownLatch go, String name, long attempt) {
    Thread thread = new Thread(Tracing.wrap(() -> {
      try {
        if (go.await(10, TimeUnit.SECONDS)) {
          try (SpanHandle span = Tracing.start(name)) {
            span.attribute("attempt", attempt);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }), "worker");
    thread.start();
    return thread;
  }

  @Test
  void untilSpanEndedReturnsTheSpanOnceAnotherThreadEndsIt() throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    Thread[] thread = new Thread[1];
    checkout.record(() -> thread[0] = worker(go, "email.send", 1));
    go.countDown();
    RecordedSpan sent = await(checkout.collector).atMost(Duration.ofSeconds(10)).untilSpanEnded("email.send");
    assertThat(sent.name()).isEqualTo("email.send");
    assertThat(sent.threadName()).isEqualTo("worker");
    thread[0].join();
  }

  @Test
  void aTimeoutShowsTheTreeAtTheLastPoll() {
    checkout.record(() -> Tracing.run("checkout", () -> {}));
    String message = messageOf(() -> await(checkout.collector).atMost(Duration.ofMillis(50))
        .pollInterval(Duration.ofMillis(10)).untilSpanEnded("email.send"));
    assertThat(message).startsWith("Timed out after 50ms waiting for a span named \"email.send\" to end")
        .contains("trace at the last poll:", "└─ internal checkout");
  }

  @Test
  void untilSpanCountWaitsForAtLeastThatManySpans() throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    Thread[] thread = new Thread[1];
    checkout.record(() -> {
      Tracing.run("checkout", () -> {});
      thread[0] = worker(go, "audit", 1);
    });
    go.countDown();
    Trace trace = await(checkout.collector).untilSpanCount(2);
    assertThat(trace.size()).isGreaterThanOrEqualTo(2);
    thread[0].join();
    assertThatThrownBy(() -> await(checkout.collector).untilSpanCount(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be at least 0 but was -1");
  }

  @Test
  void untilAssertedRetriesUntilTheAssertionsPass() throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    Thread[] thread = new Thread[1];
    checkout.record(() -> thread[0] = worker(go, "audit", 3));
    go.countDown();
    await(checkout.collector).untilAsserted(spans -> spans.hasSpan("audit").isEnded().hasAttribute("attempt", 3));
    thread[0].join();
  }

  @Test
  void aTimeoutOfUntilAssertedShowsTheLastAssertionError() {
    checkout.record(() -> Tracing.run("audit", () -> {}));
    String message = messageOf(() -> await(checkout.collector).atMost(Duration.ofMillis(50))
        .untilAsserted(spans -> spans.hasSpans("audit", 2)));
    assertThat(message).startsWith("Timed out after 50ms waiting for the assertions to pass")
        .contains("the last attempt failed with:", "to have 2 spans named \"audit\"", "but found 1 span named \"audit\"",
            "▶ └─ internal audit")
        .doesNotContain("trace at the last poll:");
  }

  @Test
  void failsAtOnceWhenTheCollectorHasFinished() {
    checkout.record(() -> Tracing.run("checkout", () -> {}));
    checkout.collector.finish();
    String message = messageOf(() -> await(checkout.collector).atMost(Duration.ofMinutes(10)).untilSpanEnded("email.send"));
    assertThat(message).startsWith("Gave up waiting for a span named \"email.send\" to end: the collector has finished"
        + " recording, so nothing will change any more").contains("└─ internal checkout");
  }

  @Test
  void anEndedSpanThatDoesNotMeetTheRequirementsIsCheckedAgainUntilTheTimeout() {
    checkout.record(() -> {
      try (SpanHandle span = Tracing.start("email.send")) {
        span.attribute("to", "bob@example.com");
      }
    });
    String message = messageOf(() -> await(checkout.collector).atMost(Duration.ofMillis(50))
        .untilSpanEnded("email.send", sent -> sent.hasAttribute("to", "ada@example.com")));
    assertThat(message).startsWith("Timed out after 50ms waiting for a span named \"email.send\" to end and meet the"
        + " requirements").contains("the last attempt failed with:", "equal to \"ada@example.com\"",
            "but it was \"bob@example.com\"");
    RecordedSpan sent = await(checkout.collector).untilSpanEnded("email.send", s -> s.hasAttribute("to", "bob@example.com"));
    assertThat(sent.attributes()).containsEntry("to", "bob@example.com");
  }

  @Test
  void anEndedSpanThatGainsTheMissingDataAfterItsEndIsReturnedAsChecked() {
    SpanHandle[] span = new SpanHandle[1];
    checkout.record(() -> {
      try (SpanHandle send = Tracing.start("email.send")) {
        span[0] = send;
      }
    });
    int[] checks = {0};
    RecordedSpan sent = await(checkout.collector).untilSpanEnded("email.send", s -> {
      if (checks[0]++ == 0) {
        span[0].attributeIfAbsent("to", "ada@example.com");
      }
      s.hasAttribute("to", "ada@example.com");
    });
    assertThat(checks[0]).isEqualTo(2);
    assertThat(sent.attributes()).containsEntry("to", "ada@example.com");
  }

  @Test
  void anEndedSpanThatMissesTheRequirementsFailsAtOnceWhenTheCollectorHasFinished() {
    checkout.record(() -> Tracing.run("email.send", () -> {}));
    checkout.collector.finish();
    String message = messageOf(() -> await(checkout.collector).atMost(Duration.ofMinutes(10))
        .untilSpanEnded("email.send", sent -> sent.hasAttribute("to", "ada@example.com")));
    assertThat(message).startsWith("Gave up waiting for a span named \"email.send\" to end and meet the requirements:"
        + " the collector has finished recording").contains("to have attribute \"to\"");
  }

  @Test
  void aSpanRecordedJustBeforeTheCollectorFinishesIsStillAwaited() {
    int[] polls = {0};
    await(checkout.collector).atMost(Duration.ofMinutes(10)).untilAsserted(trace -> {
      if (polls[0]++ == 0) {
        checkout.record(() -> Tracing.run("audit", () -> {}));
        checkout.collector.finish();
      }
      trace.hasSpan("audit");
    });
    assertThat(polls[0]).isEqualTo(2);
  }

  @Test
  void settingsAreCheckedAndBelongToOneWait() {
    assertThatThrownBy(() -> await(checkout.collector).atMost(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("atMost must be a positive duration but was PT0S");
    assertThatThrownBy(() -> await(checkout.collector).pollInterval(Duration.ofMillis(-1)))
        .hasMessage("pollInterval must be a positive duration but was PT-0.001S");
    SpansAwait base = await(checkout.collector);
    base.atMost(Duration.ofMillis(10));
    checkout.record(() -> Tracing.run("done", () -> {}));
    assertThat(base.untilSpanEnded("done").name()).isEqualTo("done");
  }
}
