package dev.traceunit.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.OtlpJson;
import dev.traceunit.junit.StrictOtlp;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spans recorded through the bridge keep their instrumentation scope and the SDK's resource in the
 * OTLP dump, read back with the official proto classes; traceunit's own spans stay under
 * {@code dev.traceunit}.
 */
class OtlpScopeTest {

  private static final Resource CHECKOUT = Resource.create(Attributes.of(
      AttributeKey.stringKey("service.name"), "checkout",
      AttributeKey.stringKey("deployment.environment.name"), "test"));

  /** A Tracing root with spans of two instrumentation libraries under it, as a test records them. */
  private static Trace record(String traceId, Resource resource) {
    MockClock clock = MockClock.create();
    SpanCollector collector = new SpanCollector(traceId, TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.builder(collector).resource(resource).build();
        Scope active = collector.activate()) {
      Tracer http = otel.tracerBuilder("io.example.http-client-3.0").setInstrumentationVersion("2.31.1-alpha").build();
      Tracer db = otel.getTracer("io.example.jdbc");
      try (SpanHandle checkout = Tracing.start("checkout")) {
        Span get = http.spanBuilder("GET").setAttribute("http.request.method", "GET").startSpan();
        clock.advanceTime(Duration.ofMillis(20));
        get.end();
        db.spanBuilder("SELECT stock").startSpan().end();
        http.spanBuilder("POST").startSpan().end();
        Tracing.run("reserve", () -> clock.advanceTime(Duration.ofMillis(5)));
      }
    }
    return collector.finish();
  }

  private static String otlp(Trace trace) throws IOException {
    StringWriter out = new StringWriter();
    OtlpJson.write(trace, "[engine:junit-jupiter]/[class:Shop]/[method:pays()]", out);
    return out.toString();
  }

  private static Map<String, String> strings(Iterable<KeyValue> attributes) {
    Map<String, String> out = new LinkedHashMap<>();
    attributes.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
    return out;
  }

  @Test
  void eachSpanIsUnderItsInstrumentationScopeAndTheResourceIsTheSdks() throws IOException {
    TracesData data = StrictOtlp.parse(otlp(record("Shop/pays", CHECKOUT)));

    assertThat(data.getResourceSpansList()).hasSize(1);
    ResourceSpans resourceSpans = data.getResourceSpans(0);
    Map<String, String> resource = strings(resourceSpans.getResource().getAttributesList());
    assertThat(resource).containsEntry("service.name", "checkout")
        .containsEntry("deployment.environment.name", "test")
        .containsEntry("traceunit.trace.id", "Shop/pays")
        .containsEntry("traceunit.test", "[engine:junit-jupiter]/[class:Shop]/[method:pays()]");
    assertThat(resourceSpans.getResource().getAttributesList()).extracting(KeyValue::getKey).doesNotHaveDuplicates();

    assertThat(resourceSpans.getScopeSpansList())
        .extracting(scope -> scope.getScope().getName() + "@" + scope.getScope().getVersion())
        .containsExactly("dev.traceunit@", "io.example.http-client-3.0@2.31.1-alpha", "io.example.jdbc@");
    assertThat(resourceSpans.getScopeSpansList())
        .extracting(scope -> scope.getSpansList().stream().map(span -> span.getName()).toList())
        .containsExactly(java.util.List.of("checkout", "reserve"), java.util.List.of("GET", "POST"),
            java.util.List.of("SELECT stock"));
    for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
      scope.getSpansList().forEach(span -> assertThat(span.getAttributesList()).extracting(KeyValue::getKey)
          .as("attributes of %s", span.getName())
          .doesNotContain("otel.scope.name", "otel.scope.version", "otel.resource")
          .contains("thread.name")
          .doesNotHaveDuplicates());
    }
    assertThat(strings(resourceSpans.getScopeSpans(1).getSpans(0).getAttributesList()))
        .containsEntry("http.request.method", "GET");
  }

  @Test
  void theTraceCarriesTheScopeOnEveryBridgedSpanAndTheResourceOnce() {
    Trace trace = record("Shop/carries", CHECKOUT);

    assertThat(trace.named("GET").get(0).attributes())
        .containsEntry("otel.scope.name", "io.example.http-client-3.0")
        .containsEntry("otel.scope.version", "2.31.1-alpha")
        .containsEntry("otel.resource", Map.of("service.name", "checkout", "deployment.environment.name", "test"));
    assertThat(trace.named("SELECT stock").get(0).attributes())
        .containsEntry("otel.scope.name", "io.example.jdbc")
        .doesNotContainKeys("otel.scope.version", "otel.resource");
    assertThat(trace.named("POST").get(0).attributes()).doesNotContainKey("otel.resource");
    assertThat(trace.named("checkout").get(0).attributes()).doesNotContainKeys("otel.scope.name", "otel.resource");
    assertThat(trace.spans()).filteredOn(span -> span.attributes().containsKey("otel.resource")).hasSize(1);
    // The text tree leaves them out: they would repeat on every line and change with the SDK's version.
    assertThat(trace.render()).contains("GET", "http.request.method=GET", "SELECT stock")
        .doesNotContain("otel.scope", "otel.resource", "2.31.1-alpha", "checkout=");
  }

  @Test
  void theDefaultResourceNamesTheSdkAndItsServiceReplacesTraceunits() throws IOException {
    TracesData data = StrictOtlp.parse(otlp(record("Shop/defaults", Resource.getDefault())));

    Map<String, String> resource = strings(data.getResourceSpans(0).getResource().getAttributesList());
    assertThat(resource).containsEntry("service.name", "unknown_service:java")
        .containsEntry("telemetry.sdk.language", "java")
        .containsEntry("telemetry.sdk.name", "opentelemetry")
        .containsKey("telemetry.sdk.version");
  }

  @Test
  void withoutBridgedSpansTheResourceIsTraceunitsAndTheOnlyScopeDevTraceunit() throws IOException {
    MockClock clock = MockClock.create();
    SpanCollector collector = new SpanCollector("Shop/plain", TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.builder(collector).resource(CHECKOUT).build();
        Scope active = collector.activate()) {
      Tracing.run("plain", () -> clock.advanceTime(Duration.ofMillis(1)));
    }
    TracesData data = StrictOtlp.parse(otlp(collector.finish()));

    assertThat(strings(data.getResourceSpans(0).getResource().getAttributesList()))
        .containsEntry("service.name", "traceunit");
    assertThat(data.getResourceSpans(0).getScopeSpansList()).extracting(scope -> scope.getScope().getName())
        .containsExactly("dev.traceunit");
  }

  @Test
  void theDumpIsByteIdenticalRunToRun() throws IOException {
    String first = otlp(record("Shop/again", CHECKOUT));
    String second = otlp(record("Shop/again", CHECKOUT));

    assertThat(second).isEqualTo(first).contains("\"name\":\"io.example.http-client-3.0\"");
  }

  @Test
  void aSpanThatSetsAScopeAttributeItselfKeepsItsValue() {
    MockClock clock = MockClock.create();
    SpanCollector collector = new SpanCollector("Shop/own", TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
    try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector); Scope active = collector.activate()) {
      otel.getTracer("io.example.jdbc").spanBuilder("query").setAttribute("otel.scope.name", "mine").startSpan().end();
    }
    RecordedSpan query = collector.finish().named("query").get(0);

    assertThat(query.attributes()).containsEntry("otel.scope.name", "mine");
  }
}
