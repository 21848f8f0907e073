package dev.traceunit.otel;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.OtlpIds;
import dev.traceunit.junit.OtlpJson;
import dev.traceunit.junit.StrictOtlp;
import dev.traceunit.junit.TraceExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * OpenTelemetry's OkHttp library instrumentation, called inside a Tracing span, against MockWebServer
 * on 127.0.0.1. OkHttp's dispatcher is a pool shared by every test (its threads start inside
 * whichever test calls first); the tests run concurrently, so only the propagated context can tell
 * which test a call belongs to.
 */
@ExtendWith(TraceExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class OkHttpInstrumentationTest {

  private static final OkHttpClient CLIENT = new OkHttpClient();

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void startServer() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() throws IOException {
    server.shutdown();
  }

  @AfterAll
  static void stopClient() {
    CLIENT.dispatcher().executorService().shutdown();
    CLIENT.connectionPool().evictAll();
  }

  private Call.Factory instrumented(OpenTelemetry otel) {
    return OkHttpTelemetry.create(otel).createCallFactory(CLIENT);
  }

  @Test
  void aSynchronousCallIsAChildOfTheTracingSpanAndPropagatesItsTrace(OpenTelemetry otel, Spans spans,
      SpanCollector collector) throws Exception {
    server.enqueue(new MockResponse().setBody("in stock"));
    Call.Factory http = instrumented(otel);

    try (SpanHandle check = Tracing.start(SpanKind.INTERNAL, "stock.check");
        Response response = http.newCall(new Request.Builder().url(server.url("/stock/42")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("in stock");
    }

    assertThat(spans).hasRootSpan("stock.check").hasChildrenNamed("GET").child("GET")
        .hasKind(SpanKind.CLIENT).hasAttribute("http.response.status_code", 200L);
    RecordedRequest received = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(received.getHeader("traceparent")).startsWith("00-" + OtlpIds.traceId(collector.traceId()) + "-");
    assertThat(spans).hasNoProblems();
  }

  @Test
  void theOtlpDumpPutsTheCallUnderOkHttpsScopeAndTheSdksResource(OpenTelemetry otel, Spans spans) throws Exception {
    server.enqueue(new MockResponse().setBody("in stock"));
    Call.Factory http = instrumented(otel);

    try (SpanHandle check = Tracing.start("stock.check")) {
      http.newCall(new Request.Builder().url(server.url("/stock/7")).build()).execute().close();
    }
    StringWriter out = new StringWriter();
    OtlpJson.write(spans.snapshot(), out);
    ResourceSpans data = StrictOtlp.parse(out.toString()).getResourceSpans(0);

    assertThat(data.getScopeSpansList()).extracting(scope -> scope.getScope().getName())
        .containsExactly("dev.traceunit", "io.opentelemetry.okhttp-3.0");
    assertThat(data.getScopeSpans(0).getSpansList()).extracting(span -> span.getName()).containsExactly("stock.check");
    assertThat(data.getScopeSpans(0).getScope().getVersion()).isEmpty();
    assertThat(data.getScopeSpans(1).getSpansList()).extracting(span -> span.getName()).containsExactly("GET");
    assertThat(data.getScopeSpans(1).getScope().getVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(data.getScopeSpans(1).getSpans(0).getAttributesList()).extracting(KeyValue::getKey)
        .contains("http.request.method").doesNotContain("otel.scope.name", "otel.scope.version", "otel.resource");
    assertThat(data.getResource().getAttributesList())
        .extracting(attribute -> attribute.getKey() + "=" + attribute.getValue().getStringValue())
        .contains("service.name=unknown_service:java", "telemetry.sdk.language=java");
  }

  @Test
  void anAsynchronousCallAndItsCallbackStayUnderTheTracingSpan(OpenTelemetry otel, Spans spans) throws Exception {
    server.enqueue(new MockResponse().setBody("reserved"));
    Call.Factory http = instrumented(otel);
    CompletableFuture<String> body = new CompletableFuture<>();

    try (SpanHandle reserve = Tracing.start("stock.reserve")) {
      http.newCall(new Request.Builder().url(server.url("/reserve")).build()).enqueue(new Callback() {
        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            body.complete(Tracing.supply("read.body", () -> readBody(response)));
          }
        }

        @Override
        public void onFailure(Call call, IOException e) {
          body.completeExceptionally(e);
        }
      });
      assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("reserved");
    }

    assertThat(spans).hasTreeShape("""
        stock.reserve
          GET
          read.body
        """);
    assertThat(spans).hasSpan("read.body").ranOnThread(spans.named("GET").get(0).threadName());
    assertThat(spans).hasNoProblems();
  }

  @Test
  void aFailedConnectionTimedByTheWallClockIsMovedOntoTheTestsClockAndNoted(OpenTelemetry otel, Spans spans,
      MockClock clock)
      throws Exception {
    int port = server.getPort();
    server.shutdown(); // nothing listens there any more: the call fails to connect
    Call.Factory http = instrumented(otel);

    try (SpanHandle check = Tracing.start("stock.check")) {
      http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/stock").build()).execute().close();
    } catch (IOException expected) {
      // the connection is refused; the span records it
    }

    // The instrumentation times a failed connection with Instant.now(): far from the mock clock.
    Trace trace = spans.snapshot();
    Instant epoch = clock.instant().minus(clock.elapsed());
    assertThat(trace).hasRootSpan("stock.check").child("GET").isError()
        .hasAttributeSatisfying("traceunit.clock.start", note -> assertThat(note).asString()
            .startsWith("given ").endsWith(", used " + clock.instant() + " (the clock's time then)"))
        .hasAttribute("traceunit.clock.end");
    assertThat(trace.spans()).allSatisfy(span -> {
      assertThat(span.startTime()).isBetween(epoch, clock.instant());
      assertThat(span.events()).allSatisfy(event -> assertThat(event.time()).isBetween(epoch, clock.instant()));
    });
  }

  private static String readBody(Response response) {
    try {
      return response.body().string();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
