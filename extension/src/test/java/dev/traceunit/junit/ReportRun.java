package dev.traceunit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs sample classes through a launcher of their own, so the report listener joins as in a build. */
final class ReportRun {

  static final String INJECTED_ATTRIBUTE = "<img src=x onerror=alert(1)>";
  static final String INJECTED_NAME = "</script><script>alert(2)</script>";

  private ReportRun() {}

  /** Runs {@code classes} with the report written into {@code dir}; returns the page's text. */
  static String run(Path dir, Map<String, String> configuration, Class<?>... classes) throws IOException {
    Map<String, String> parameters = new HashMap<>(configuration);
    parameters.putIfAbsent(ConfigKeys.REPORT_DIR.name(), dir.toString());
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .enableImplicitConfigurationParameters(false)
        .configurationParameters(parameters)
        .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(DiscoverySelector[]::new))
        .build());
    Path index = dir.resolve("index.html");
    return Files.exists(index) ? Files.readString(index, StandardCharsets.UTF_8) : null;
  }

  /** Every test and class entry of every run in the report folder {@code dir}, each with its run folder as "dir". */
  static List<JsonNode> tests(Path dir) throws IOException {
    List<JsonNode> tests = new ArrayList<>();
    for (JsonNode run : json(Files.readString(dir.resolve("index.html")), "traceunit-runs")) {
      JsonNode data = script(dir.resolve(run.asText()).resolve("tests.js"), "traceunit.run(document.currentScript,");
      for (JsonNode test : data.get("tests")) {
        ((ObjectNode) test).put("dir", run.asText());
        tests.add(test);
      }
    }
    return tests;
  }

  /** The header of every run in the report folder {@code dir}: its JSON without the tests. */
  static List<JsonNode> runs(Path dir) throws IOException {
    List<JsonNode> runs = new ArrayList<>();
    for (JsonNode run : json(Files.readString(dir.resolve("index.html")), "traceunit-runs")) {
      ObjectNode data = (ObjectNode) script(dir.resolve(run.asText()).resolve("tests.js"), "traceunit.run(document.currentScript,");
      data.remove("tests");
      runs.add(data);
    }
    return runs;
  }

  /** The traces-file entry of {@code test} (one of {@link #tests}): its json, tree, otlp and stack. */
  static JsonNode traceOf(Path dir, JsonNode test) throws IOException {
    JsonNode file = script(dir.resolve(test.get("dir").asText()).resolve("traces-" + test.get("file").asInt() + ".js"),
        "traceunit.traces(document.currentScript,");
    return file.get(test.get("at").asInt());
  }

  /** The data a report script hands to the page: {@code prefix JSON );}. */
  static JsonNode script(Path file, String prefix) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (!text.startsWith(prefix) || !text.endsWith(");\n")) {
      throw new AssertionError(file + " is not " + prefix + "…);");
    }
    return new ObjectMapper().readTree(text.substring(prefix.length(), text.length() - 3));
  }

  /** The JSON inside the page's {@code <script type="application/json" id="…">}. */
  static JsonNode json(String page, String id) throws IOException {
    String open = "<script type=\"application/json\" id=\"" + id + "\">";
    int start = page.indexOf(open);
    if (start < 0) {
      throw new AssertionError("the page has no script " + id);
    }
    start += open.length();
    return new ObjectMapper().readTree(page.substring(start, page.indexOf("</script>", start)));
  }

  /** A checkout that passes, one that fails with text that must stay text, and an agent with a custom kind. */
  @Traced(strict = "false")
  static class ShopSample {
    @Test
    void paysOnce(MockClock clock) {
      try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
        checkout.attribute("order", 42);
        clock.advanceTime(Duration.ofMillis(10));
        Tracing.run(SpanKind.CLIENT, "payment.call", () -> clock.advanceTime(Duration.ofMillis(120)));
      }
    }

    @Test
    void rendersTheReviewPage(MockClock clock) {
      try (SpanHandle page = Tracing.start(SpanKind.SERVER, INJECTED_NAME)) {
        page.attribute("comment", INJECTED_ATTRIBUTE);
        page.attribute("line.separators", "a\u2028b\u2029c");
        clock.advanceTime(Duration.ofMillis(30));
        Tracing.run(SpanKind.of("llm_call"), "summarize", () -> clock.advanceTime(Duration.ofMillis(200)));
        try {
          Tracing.call(SpanKind.CLIENT, "stock.lookup", () -> {
            clock.advanceTime(Duration.ofMillis(40));
            throw new IOException("stock service unavailable");
          });
        } catch (IOException expected) {
          // the page renders without stock levels
        }
        Tracing.start(SpanKind.CLIENT, "render.call");
        clock.advanceTime(Duration.ofMillis(50));
        throw new IllegalStateException("review page broke: " + INJECTED_ATTRIBUTE);
      }
    }
  }

  /** Attribute values that trace.json writes with its escapes, on span, event and link. */
  @Traced
  static class EscapesSample {
    static Map<String, Object> escaped() {
      Map<String, Object> values = new java.util.LinkedHashMap<>();
      values.put("nanText", "NaN");
      values.put("nan", Double.NaN);
      values.put("infinities", List.of(Double.POSITIVE_INFINITY, "-Infinity", Double.NEGATIVE_INFINITY));
      values.put("looksEscaped", Map.of("$string", "x"));
      Map<String, Object> loneKey = new java.util.LinkedHashMap<>();
      loneKey.put("z", 1);
      loneKey.put("a\uD800", List.of("NaN", Map.of("$map", 2)));
      values.put("loneKey", loneKey);
      return values;
    }

    @Test
    void recordsEscapedValues() {
      SpanHandle target = Tracing.start("target");
      target.end();
      try (SpanHandle span = Tracing.span("escapes").link(target.link().withAttributes(escaped())).start()) {
        span.attributes(escaped());
        span.event("escaped", escaped());
      }
    }
  }

  /** One test with a very large trace. */
  @Traced(maxSpans = 200_000)
  static class LargeSample {
    static final int SPANS = 100_000;

    @Test
    void recordsAHundredThousandSpans(MockClock clock) {
      try (SpanHandle batch = Tracing.start("batch")) {
        for (int i = 1; i < SPANS; i++) {
          try (SpanHandle item = Tracing.start("item")) {
            item.attribute("index", i);
            clock.advanceTime(Duration.ofMillis(1));
          }
        }
      }
      throw new AssertionError("fails, to be listed first");
    }
  }
}
