package dev.traceunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Awaitility polls its condition on a pool worker it makes for that one {@code await()}: code the
 * condition calls still records into the test that waits, under its current span.
 */
class AwaitilityThreadTest {

  @Test
  void spansRecordedByAnAwaitilityConditionAreChildrenOfTheWaitingTestsSpan() {
    SpanCollector collector = new SpanCollector();
    AtomicInteger polls = new AtomicInteger();
    try (Scope scope = collector.activate(); SpanHandle waiting = Tracing.start("waiting")) {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
          .until(() -> Tracing.supply("poll", () -> polls.incrementAndGet() >= 2));
    }

    Trace trace = collector.snapshot();
    assertThat(trace.named("poll")).hasSizeGreaterThanOrEqualTo(2).allSatisfy(poll -> {
      assertThat(trace.parent(poll)).map(RecordedSpan::name).contains("waiting");
      assertThat(poll.threadName()).isNotEqualTo(Thread.currentThread().getName());
    });
  }
}
