package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EventLimitTest {

  @Test
  void onlyEventsWithinTheEventLimitRecordValueProblemsAndTheLimitProblemComesOnce() {
    SpanCollector collector = new SpanCollector("t-0001", new FakeTime(),
        Limits.defaults().withMaxEvents(2).withMaxAttributes(1).withMaxValueLength(3));
    try (Scope scope = collector.activate()) {
      try (SpanHandle span = Tracing.start("stream")) {
        for (int i = 1; i <= 5; i++) {
          span.event("chunk", Map.of("a.text", "abcdef", "b.more", i)); // key order: a.text is kept, cut
        }
      }
    }
    Trace trace = collector.finish();

    assertThat(trace.spans().get(0).events()).hasSize(2);
    assertThat(trace.spans().get(0).droppedEvents()).isEqualTo(3);
    assertThat(trace.problems()).extracting(Problem::code).containsExactly(
        ProblemCode.VALUE_TRUNCATED, ProblemCode.ATTRIBUTE_LIMIT,
        ProblemCode.VALUE_TRUNCATED, ProblemCode.ATTRIBUTE_LIMIT,
        ProblemCode.EVENT_LIMIT);
    assertThat(trace.problems().get(4).message())
        .isEqualTo("span 1 stream reached the limit of 2 events; 'chunk' and later events were dropped and counted");
  }

  @Test
  void eventsRacingAtTheLimitKeepExactlyTheLimitAndCountTheRest() throws InterruptedException {
    int threads = 4;
    int each = 2_000;
    SpanCollector collector = new SpanCollector("t-0001", new FakeTime(), Limits.defaults().withMaxEvents(1_000));
    SpanHandle span;
    try (Scope scope = collector.activate()) {
      span = Tracing.startAsync(SpanKind.INTERNAL, "shared");
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread writer = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < each; i++) {
          span.event("e", Map.of("i", i));
        }
      });
      writer.start();
      writers.add(writer);
    }
    start.countDown();
    for (Thread writer : writers) {
      writer.join();
    }
    span.end();
    Trace trace = collector.finish();

    assertThat(trace.spans().get(0).events()).hasSize(1_000);
    assertThat(trace.spans().get(0).droppedEvents()).isEqualTo(threads * each - 1_000);
    assertThat(trace.problems()).extracting(Problem::code).containsExactly(ProblemCode.EVENT_LIMIT);
  }
}
