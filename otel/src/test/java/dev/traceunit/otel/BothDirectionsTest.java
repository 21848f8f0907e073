package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.OtlpIds;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A current Tracing span is OpenTelemetry's current span, so OpenTelemetry code (and its context
 * propagation) carries it; tests run concurrently, with no fallback, on a pool whose threads start
 * lazily inside them.
 */
@ExtendWith(TraceExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class BothDirectionsTest {

  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stopPool() {
    POOL.shutdown();
  }

  @Test
  void aCurrentTracingSpanIsSpanCurrentWithTheTestsTraceIdAndItsSpanId(SpanCollector collector) {
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      SpanContext current = Span.current().getSpanContext();
      assertThat(current.isValid()).isTrue();
      assertThat(current.getTraceId()).isEqualTo(OtlpIds.traceId(collector.traceId()));
      assertThat(current.getSpanId()).isEqualTo(OtlpIds.spanId(checkout.spanId()));
      assertThat(current.isSampled()).isTrue();
    }
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void openTelemetryCodeEnrichesTheCurrentTracingSpan(Spans spans) {
    try (SpanHandle checkout = Tracing.start("checkout")) {
      Span.current().setAttribute(AttributeKey.stringKey("order"), "42").addEvent("validated")
          .updateName("checkout.declined").setStatus(StatusCode.ERROR, "card declined");
    }

    assertThat(spans).hasSpan("checkout.declined").hasAttribute("order", "42").hasEventsNamed("validated")
        .isError().hasAttribute(CollectorSpanProcessor.STATUS_DESCRIPTION, "card declined");
  }

  @Test
  void taskWrappingCarriesATracingSpanToAPoolThreadForBothApis(Tracer tracer, Spans spans) throws Exception {
    ExecutorService wrapped = Context.taskWrapping(POOL);
    try (SpanHandle fanOut = Tracing.start("fan.out")) {
      wrapped.submit(() -> {
        tracer.spanBuilder("otel.task").startSpan().end();
        Tracing.run("tracing.task", () -> {});
      }).get(10, TimeUnit.SECONDS);
    }

    assertThat(spans).hasTreeShape("""
        fan.out
          otel.task
          tracing.task
        """);
    assertThat(spans).hasNoProblems();
  }

  @Test
  void spansOfBothApisNestInEveryDirectionAcrossThreads(Tracer tracer, Spans spans) throws Exception {
    try (SpanHandle job = Tracing.start("job")) {
      Span http = tracer.spanBuilder("http").startSpan();
      try (Scope inHttp = http.makeCurrent()) {
        Context.current().wrap(() -> {
          Tracing.run("parse", () -> {
            Span db = tracer.spanBuilder("db").startSpan();
            try (Scope inDb = db.makeCurrent()) {
              POOL.submit(Context.current().wrap(() -> Tracing.run("row", () -> {}))).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              db.end();
            }
          });
        }).run();
      } finally {
        http.end();
      }
    }

    assertThat(spans).hasTreeShape("""
        job
          http
            parse
              db
                row
        """);
    assertThat(spans.snapshot().spans()).extracting(span -> span.traceId()).containsOnly(spans.snapshot().traceId());
  }

  @Test
  void anOpenTelemetrySpanWithNoParentIsARootEvenInsideATracingSpan(Tracer tracer, Spans spans) {
    try (SpanHandle job = Tracing.start("job")) {
      tracer.spanBuilder("detached").setNoParent().startSpan().end();
      tracer.spanBuilder("explicit").setParent(Context.root()).startSpan().end();
    }

    assertThat(spans).hasTreeShape("""
        job
        detached
        explicit
        """);
  }

  @Test
  void rootOpenTelemetrySpansCarryTheTestsTraceId(Tracer tracer, SpanCollector collector) {
    Span root = tracer.spanBuilder("root").startSpan();
    try {
      assertThat(root.getSpanContext().getTraceId()).isEqualTo(OtlpIds.traceId(collector.traceId()));
    } finally {
      root.end();
    }
  }
}
