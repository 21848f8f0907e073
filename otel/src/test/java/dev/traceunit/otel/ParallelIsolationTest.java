package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Spans;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Each test's OpenTelemetry spans land in its own trace, also when tests run at the same time. */
@ExtendWith(TraceExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class ParallelIsolationTest {

  @RepeatedTest(24)
  void concurrentTestsEachSeeOnlyTheirOwnSpans(RepetitionInfo repetition, Tracer tracer, MockClock clock, Spans spans) {
    long id = repetition.getCurrentRepetition();
    Span outer = tracer.spanBuilder("test-" + id).setAttribute("test", id).startSpan();
    try (io.opentelemetry.context.Scope ignored = outer.makeCurrent()) {
      for (int i = 0; i < 50; i++) {
        try (SpanHandle step = Tracing.start("step")) {
          step.attribute("test", id);
          tracer.spanBuilder("call").setAttribute("test", id).startSpan().end();
          clock.advanceTime(Duration.ofMillis(1));
        }
      }
    } finally {
      outer.end();
    }

    assertThat(spans).hasSize(101).hasNoProblems().hasRootSpan("test-" + id).hasDuration(Duration.ofMillis(50));
    assertThat(spans.all()).allSatisfy(span -> assertThat(span.attributes()).containsEntry("test", id));
    assertThat(spans.snapshot().roots()).hasSize(1);
  }

  @Test
  void sdksOnRacingThreadsRecordIntoTheirOwnCollectorsOnly() throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<SpanCollector>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "thread-" + t;
        results.add(pool.submit(() -> {
          MockClock clock = MockClock.create();
          SpanCollector collector = new SpanCollector(TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
          try (Scope active = collector.activate(); TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector)) {
            Tracer tracer = otel.getTracer("race");
            start.await();
            for (int i = 0; i < 200; i++) {
              Span span = tracer.spanBuilder(name).startSpan();
              try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
                Tracing.run(name + ".inner", () -> {});
              } finally {
                span.end();
              }
            }
          }
          return collector;
        }));
      }
      start.countDown();
      for (int t = 0; t < threads; t++) {
        SpanCollector collector = results.get(t).get(30, TimeUnit.SECONDS);
        String name = "thread-" + t;
        assertThat(collector.all()).hasSize(400)
            .allSatisfy(span -> assertThat(span.name()).startsWith(name));
        assertThat(collector.snapshot().roots()).hasSize(200).extracting(RecordedSpan::name).containsOnly(name);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
