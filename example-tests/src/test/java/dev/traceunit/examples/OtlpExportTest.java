package dev.traceunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.traceunit.junit.StrictOtlp;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Every trace of the example suite, exported as OTLP/JSON, is read strictly by the official
 * OpenTelemetry proto classes, with unique attribute keys: what Jaeger, Tempo or a collector gets.
 */
class OtlpExportTest {

  /** The example classes that trace; the demo fails on purpose and is in the list too. */
  private static final List<Class<?>> EXAMPLES = List.of(FirstTest.class, CheckoutTest.class, AgentTest.class,
      BatchExporterTest.class, FulfillmentTest.class, LoggingCheckoutTest.class, ParallelCheckoutTest.class,
      StockClientTest.class, CheckoutFailureDemo.class);

  @TempDir
  Path dir;

  @Test
  void everyExampleTraceIsOtlpThatTheOfficialProtoClassesReadStrictly() throws IOException {
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .configurationParameters(Map.of("traceunit.dump", "always", "traceunit.dump.formats", "otlp",
            "junit.platform.reporting.output.dir", dir.toString(), "traceunit.report", "false"))
        .selectors(EXAMPLES.stream().map(c -> selectClass(c)).toList())
        .build(), summary);

    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(f -> f.getFileName().toString().equals("trace.otlp.json")).sorted().toList();
    }
    assertThat(files).hasSize((int) summary.getSummary().getTestsStartedCount());
    int spans = 0;
    for (Path file : files) {
      TracesData data = StrictOtlp.parse(Files.readString(file));
      for (Span span : data.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
        spans++;
        assertThat(span.getAttributesList()).extracting(KeyValue::getKey).as(file + " " + span.getName())
            .doesNotHaveDuplicates();
        span.getEventsList().forEach(e -> assertThat(e.getAttributesList()).extracting(KeyValue::getKey)
            .as(file + " " + span.getName() + " event " + e.getName()).doesNotHaveDuplicates());
      }
    }
    assertThat(spans).as("spans in %d example traces", files.size()).isGreaterThan(files.size());
  }
}
