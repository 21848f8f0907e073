package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Spans recorded through both APIs in one test form one tree, whichever side starts. */
@ExtendWith(TraceExtension.class)
class MixedTreeTest {

  @Test
  void theContextBridgeIsInstalledBeforeAnyTestUsesTheContext() {
    assertThat(TracedOpenTelemetry.installContextBridge()).isTrue();
  }

  @Test
  void anOpenTelemetrySpanStartedInsideATracingSpanIsItsChild(Tracer tracer, Spans spans) {
    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      tracer.spanBuilder("payment.call").startSpan().end();
    }

    assertThat(spans).hasRootSpan("checkout").hasChildrenNamed("payment.call");
  }

  @Test
  void aTracingSpanStartedWhileAnOpenTelemetrySpanIsCurrentIsItsChild(Tracer tracer, Spans spans) {
    Span request = tracer.spanBuilder("GET /orders").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      Tracing.run("load.orders", () -> {});
    } finally {
      request.end();
    }
    Tracing.run("after", () -> {});

    assertThat(spans).hasTreeShape("""
        GET /orders
          load.orders
        after
        """);
  }

  @Test
  void bothApisNestInsideEachOtherSeveralLevelsDeep(Tracer tracer, Spans spans) {
    try (SpanHandle job = Tracing.start("job")) {
      Span http = tracer.spanBuilder("http").startSpan();
      try (Scope ignored = http.makeCurrent()) {
        try (SpanHandle parse = Tracing.start("parse")) {
          Span db = tracer.spanBuilder("db").startSpan();
          try (Scope inner = db.makeCurrent()) {
            Tracing.marker("cache.miss", Map.of());
          } finally {
            db.end();
          }
          tracer.spanBuilder("validate").startSpan().end();
        }
        tracer.spanBuilder("respond").startSpan().end();
      } finally {
        http.end();
      }
    }

    assertThat(spans).hasTreeShape("""
        job
          http
            parse
              db
                cache.miss
              validate
            respond
        """).hasNoProblems();
  }

  @Test
  void currentSpansAreRestoredWhenTheOpenTelemetryScopeCloses(Tracer tracer) {
    try (SpanHandle outer = Tracing.start("outer")) {
      Span span = tracer.spanBuilder("otel").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        assertThat(Tracing.current().spanId()).isNotEqualTo(outer.spanId());
      }
      span.end();
      assertThat(Tracing.current().spanId()).isEqualTo(outer.spanId());
    }
  }

  @Test
  void changingOnlyContextValuesKeepsTheInnermostTracingSpanCurrent(Tracer tracer, Spans spans) {
    io.opentelemetry.context.ContextKey<String> tenant = io.opentelemetry.context.ContextKey.named("tenant");
    Span http = tracer.spanBuilder("http").startSpan();
    try (Scope ignored = http.makeCurrent(); SpanHandle handler = Tracing.start("handler")) {
      try (Scope withTenant = Context.current().with(tenant, "acme").makeCurrent()) {
        Tracing.run("step", () -> {});
      }
    } finally {
      http.end();
    }

    assertThat(spans).hasTreeShape("""
        http
          handler
            step
        """);
  }

  @Test
  void setNoParentMakesARootEvenWhileSpansOfBothApisAreCurrent(Tracer tracer, Spans spans) {
    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent(); SpanHandle step = Tracing.start("step")) {
      tracer.spanBuilder("detached").setNoParent().startSpan().end();
    } finally {
      request.end();
    }

    assertThat(spans).hasTreeShape("""
        request
          step
        detached
        """);
  }

  @Test
  void anExplicitParentWinsOverTheCurrentTracingSpan(Tracer tracer, Spans spans) {
    Span batch = tracer.spanBuilder("batch").startSpan();
    try (SpanHandle unrelated = Tracing.start("unrelated")) {
      tracer.spanBuilder("item").setParent(Context.root().with(batch)).startSpan().end();
    }
    batch.end();

    assertThat(spans).hasTreeShape("""
        batch
          item
        unrelated
        """);
  }

  @Test
  @SuppressWarnings("deprecation") // TextMapGetter.keys, which the getter must still implement
  void aServerSpanContinuingPropagatedHeadersIsAChildOfTheClientSpan(OpenTelemetry otel, Spans spans) {
    Tracer tracer = otel.getTracer("http");
    Map<String, String> headers = new HashMap<>();
    Span client = tracer.spanBuilder("GET /stock").setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT).startSpan();
    try (Scope ignored = client.makeCurrent()) {
      otel.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
    }
    Context extracted = otel.getPropagators().getTextMapPropagator()
        .extract(Context.root(), headers, new TextMapGetter<Map<String, String>>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }
        });
    tracer.spanBuilder("stock.handler").setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
        .setParent(extracted).startSpan().end();
    client.end();

    assertThat(headers).containsKey("traceparent");
    assertThat(spans).hasTreeShape("""
        GET /stock [client]
          stock.handler [server]
        """);
  }
}
