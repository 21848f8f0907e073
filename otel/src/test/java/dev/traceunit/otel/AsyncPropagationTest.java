package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenTelemetry's own propagation carries both trees to other threads. The pool's thread is started
 * before the test's collector exists, so only the context bridge can tell it where to record.
 */
@ExtendWith(TraceExtension.class)
class AsyncPropagationTest {

  private static final ExecutorService POOL = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "worker"));

  @BeforeAll
  static void startTheWorkerBeforeAnyTestsCollectorExists() throws Exception {
    POOL.submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopTheWorker() {
    POOL.shutdown();
  }

  private Span request;

  @BeforeEach
  void startRequest(Tracer tracer) {
    request = tracer.spanBuilder("request").startSpan();
  }

  @AfterEach
  void drain() throws Exception {
    POOL.submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  @Test
  void contextWrapCarriesTheOpenTelemetrySpanAndItsTraceunitTwinToAnotherThread(Tracer tracer, Spans spans)
      throws Exception {
    try (Scope ignored = request.makeCurrent()) {
      POOL.submit(Context.current().wrap(() -> {
        tracer.spanBuilder("otel.task").startSpan().end();
        Tracing.run("tracing.task", () -> {});
      })).get(5, TimeUnit.SECONDS);
    }
    request.end();

    assertThat(spans).hasTreeShape("""
        request
          otel.task
          tracing.task
        """);
    assertThat(spans).hasSpan("tracing.task").ranOnThread("worker");
  }

  @Test
  void taskWrappingExecutorsPropagateTheCurrentSpanOfEachSubmitter(Tracer tracer, Spans spans) throws Exception {
    ExecutorService wrapped = Context.taskWrapping(POOL);
    try (Scope ignored = request.makeCurrent()) {
      wrapped.submit(() -> Tracing.run("first", () -> tracer.spanBuilder("inside.first").startSpan().end()))
          .get(5, TimeUnit.SECONDS);
    }
    Span other = tracer.spanBuilder("other").startSpan();
    try (Scope ignored = other.makeCurrent()) {
      wrapped.submit(() -> Tracing.run("second", () -> {})).get(5, TimeUnit.SECONDS);
    }
    other.end();
    request.end();

    assertThat(spans).hasTreeShape("""
        request
          first
            inside.first
        other
          second
        """).hasNoProblems();
  }

  @Test
  void anUnwrappedTaskOnAPoolThreadDoesNotPickUpTheRequest(Tracer tracer, Spans spans) throws Exception {
    try (Scope ignored = request.makeCurrent()) {
      POOL.submit(() -> tracer.spanBuilder("unrelated").startSpan().end()).get(5, TimeUnit.SECONDS);
    }
    request.end();

    assertThat(spans).hasTreeShape("""
        request
        unrelated
        """);
  }
}
