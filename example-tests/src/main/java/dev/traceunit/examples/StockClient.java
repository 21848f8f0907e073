package dev.traceunit.examples;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * An HTTP-like client instrumented with the OpenTelemetry API only, as code under test usually is:
 * one client span per attempt, trace context in the request headers, one retry after an I/O error.
 */
public final class StockClient {

  /** A request as it goes over the wire. */
  public record Request(String method, String path, Map<String, String> headers) {}

  /** What the other side answered. */
  public record Response(int status, String body) {}

  /** The wire. */
  public interface Transport {
    Response send(Request request) throws IOException;
  }

  private final Tracer tracer;
  private final OpenTelemetry otel;
  private final Transport transport;

  public StockClient(OpenTelemetry otel, Transport transport) {
    this.otel = otel;
    this.tracer = otel.getTracer("stock-client");
    this.transport = transport;
  }

  /** The units in stock of {@code sku}; tries twice. */
  public int stock(String sku) {
    try {
      return attempt(sku, 1);
    } catch (IOException first) {
      try {
        return attempt(sku, 2);
      } catch (IOException second) {
        throw new UncheckedIOException(second);
      }
    }
  }

  private int attempt(String sku, int attempt) throws IOException {
    Span span = tracer.spanBuilder("GET /stock/{sku}")
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("http.request.method", "GET")
        .setAttribute("stock.sku", sku)
        .setAttribute("http.request.resend_count", attempt - 1L)
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      Map<String, String> headers = new HashMap<>();
      otel.getPropagators().getTextMapPropagator().inject(io.opentelemetry.context.Context.current(), headers, Map::put);
      Response response = transport.send(new Request("GET", "/stock/" + sku, headers));
      span.setAttribute("http.response.status_code", response.status());
      if (response.status() >= 500) {
        throw new IOException("server error " + response.status()); // recorded below, then retried
      }
      return Integer.parseInt(response.body());
    } catch (IOException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }
}
