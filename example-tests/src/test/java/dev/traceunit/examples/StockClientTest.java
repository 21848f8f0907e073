package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
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
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests a user who instruments with OpenTelemetry writes: the client is unchanged, the test
 * takes {@link OpenTelemetry} from the extension and asserts on the tree.
 */
@ExtendWith(TraceExtension.class)
class StockClientTest {

  /** A fake server that takes 40 ms of mock time and continues the caller's trace, as a real one would. */
  private static StockClient.Transport server(OpenTelemetry otel, MockClock clock, AtomicInteger failuresLeft) {
    Tracer tracer = otel.getTracer("stock-server");
    return request -> {
      Context caller = otel.getPropagators().getTextMapPropagator().extract(Context.root(), request.headers(), HEADERS);
      Span handler = tracer.spanBuilder("stock.lookup").setParent(caller)
          .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan();
      try (Scope ignored = handler.makeCurrent()) {
        clock.advanceTime(Duration.ofMillis(40));
        if (failuresLeft.getAndDecrement() > 0) {
          throw new IOException("connection reset");
        }
        return new StockClient.Response(200, "7");
      } finally {
        handler.end();
      }
    };
  }

  @Test
  void aFailedCallIsRetriedOnceAndTheServerSpansHangUnderTheirClientSpans(
      OpenTelemetry otel, MockClock clock, Spans spans) {
    StockClient client = new StockClient(otel, server(otel, clock, new AtomicInteger(1)));

    try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
      assertThat(client.stock("sku-1")).isEqualTo(7);
    }

    assertThat(spans).hasTreeShape("""
        checkout [server]
          GET /stock/{sku} [client]
            stock.lookup [server]
          GET /stock/{sku} [client]
            stock.lookup [server]
        """);
    assertThat(spans).hasRootSpan("checkout").child("GET /stock/{sku}", 0)
        .isError().hasError(IOException.class).hasDuration(Duration.ofMillis(40))
        .hasAttribute("http.request.resend_count", 0L);
    assertThat(spans).hasRootSpan("checkout").child("GET /stock/{sku}", 1)
        .hasAttribute("http.response.status_code", 200L).startedAt(Duration.ofMillis(40));
    assertThat(spans).hasRootSpan("checkout").hasDuration(Duration.ofMillis(80));
  }

  @Test
  void theTreeRendersTheSameOnEveryRun(OpenTelemetry otel, MockClock clock, Spans spans) {
    new StockClient(otel, server(otel, clock, new AtomicInteger(0))).stock("sku-2");

    assertThat(spans.render()).isEqualTo("""
        trace StockClientTest/theTreeRendersTheSameOnEveryRun · 2 spans
        └─ client GET /stock/{sku}  +0ms  40ms  http.request.method=GET  http.request.resend_count=0  \
        stock.sku=sku-2  http.response.status_code=200
           └─ server stock.lookup   +0ms  40ms
        """);
  }

  @Test
  void aServerErrorIsRecordedOnItsAttemptAndRetried(OpenTelemetry otel, Spans spans) {
    AtomicInteger calls = new AtomicInteger();
    StockClient client = new StockClient(otel,
        request -> calls.getAndIncrement() == 0 ? new StockClient.Response(503, "busy") : new StockClient.Response(200, "3"));

    assertThat(client.stock("sku-3")).isEqualTo(3);

    assertThat(spans).spansNamed("GET /stock/{sku}").hasSize(2);
    assertThat(spans).spansNamed("GET /stock/{sku}").first()
        .isError().hasError(IOException.class).hasErrorMessage("server error 503")
        .hasAttribute("http.response.status_code", 503L);
    assertThat(spans).spansNamed("GET /stock/{sku}").last().isOk();
  }

  private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
    @Override
    @SuppressWarnings("deprecation") // still abstract in TextMapGetter
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };
}
