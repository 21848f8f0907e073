package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.Tracing;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import dev.traceunit.core.SpanCollector;
import java.io.IOException;
import java.io.Writer;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpJsonTest {

  /** 2000-01-01T00:00:00Z, where every test's mock clock starts, in unix nanoseconds. */
  private static final long CLOCK_START = 946_684_800_000_000_000L;

  @TempDir
  Path reports;

  @Traced(dump = "always", dumpFormats = "otlp", strict = "false")
  static class AgentSample {
    static final SpanKind LLM_CALL = SpanKind.of("llm_call");

    @Test
    void answersWithOneToolCall(MockClock clock) {
      try (SpanHandle agent = Tracing.start(SpanKind.SERVER, "agent.run")) {
        agent.attribute("prompt", "<b>hi</b>");
        agent.attribute("tokens", 42L);
        agent.attribute("temperature", 0.5);
        agent.attribute("streamed", true);
        agent.attribute("score", Double.NaN);
        agent.attribute("tools", List.of("search", 2L, List.of(true)));
        agent.attribute("model", Map.of("name", "small", "context", 8192L));
        clock.advanceTime(Duration.ofMillis(10));
        try (SpanHandle call = Tracing.start(LLM_CALL, "chat")) {
          clock.advanceTime(Duration.ofMillis(250));
          call.event("first.token", Map.of("index", 0L));
          clock.advanceTime(Duration.ofMillis(50));
        }
        SpanLink toAgent = agent.link().withAttributes(Map.of("reason", "retry"));
        try {
          Tracing.call(SpanKind.CLIENT, "tool.search", () -> {
            clock.advanceTime(Duration.ofMillis(5));
            throw new IOException("connection reset");
          });
        } catch (IOException expected) {
          // recorded on the span
        }
        Tracing.span("drain").noParent().link(toAgent).start().close();
        Tracing.start("left.open");
      }
    }
  }

  @Test
  void aTraceBecomesTracesDataThatTheOfficialParserReadsWithEveryValue() throws IOException {
    Kit.Run run = Kit.run(reports, AgentSample.class);

    TracesData data = parse(run.file("answersWithOneToolCall", "trace.otlp.json").orElseThrow());

    assertThat(data.getResourceSpansCount()).isEqualTo(1);
    ResourceSpans resource = data.getResourceSpans(0);
    Map<String, AnyValue> resourceAttributes = attributes(resource.getResource().getAttributesList());
    assertThat(resourceAttributes.get("service.name").getStringValue()).isEqualTo("traceunit");
    assertThat(resourceAttributes.get("traceunit.trace.id").getStringValue())
        .isEqualTo("AgentSample/answersWithOneToolCall");
    assertThat(resourceAttributes.get("traceunit.problems").getArrayValue().getValuesList())
        .extracting(AnyValue::getStringValue)
        .anySatisfy(problem -> assertThat(problem).startsWith("SPAN_NOT_ENDED  span 5 left.open"));
    assertThat(resource.getScopeSpans(0).getScope().getName()).isEqualTo("dev.traceunit");
    List<Span> spans = resource.getScopeSpans(0).getSpansList();
    assertThat(spans).extracting(Span::getName)
        .containsExactly("agent.run", "chat", "tool.search", "drain", "left.open");
    String traceId = OtlpJson.traceId("AgentSample/answersWithOneToolCall");
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(spans).allSatisfy(span -> assertThat(hex(span.getTraceId().toByteArray())).isEqualTo(traceId));

    Span agent = spans.get(0);
    assertThat(hex(agent.getSpanId().toByteArray())).isEqualTo("0000000000000001");
    assertThat(agent.getParentSpanId().isEmpty()).isTrue();
    assertThat(agent.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(agent.getStartTimeUnixNano()).isEqualTo(CLOCK_START);
    assertThat(agent.getEndTimeUnixNano()).isEqualTo(CLOCK_START + 315_000_000L);
    Map<String, AnyValue> attributes = attributes(agent.getAttributesList());
    assertThat(attributes.get("prompt").getStringValue()).isEqualTo("<b>hi</b>");
    assertThat(attributes.get("tokens").getIntValue()).isEqualTo(42L);
    assertThat(attributes.get("temperature").getDoubleValue()).isEqualTo(0.5);
    assertThat(attributes.get("streamed").getBoolValue()).isTrue();
    assertThat(attributes.get("score").getDoubleValue()).isNaN();
    List<AnyValue> tools = attributes.get("tools").getArrayValue().getValuesList();
    assertThat(tools.get(0).getStringValue()).isEqualTo("search");
    assertThat(tools.get(1).getIntValue()).isEqualTo(2L);
    assertThat(tools.get(2).getArrayValue().getValues(0).getBoolValue()).isTrue();
    Map<String, AnyValue> model = attributes(attributes.get("model").getKvlistValue().getValuesList());
    assertThat(model.get("name").getStringValue()).isEqualTo("small");
    assertThat(model.get("context").getIntValue()).isEqualTo(8192L);
    assertThat(attributes.get("thread.name").getStringValue()).isNotBlank();
    assertThat(agent.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);

    Span chat = spans.get(1);
    assertThat(hex(chat.getParentSpanId().toByteArray())).isEqualTo("0000000000000001");
    assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(attributes(chat.getAttributesList()).get(OtlpJson.KIND_ATTRIBUTE).getStringValue()).isEqualTo("llm_call");
    assertThat(chat.getStartTimeUnixNano()).isEqualTo(CLOCK_START + 10_000_000L);
    assertThat(chat.getEndTimeUnixNano()).isEqualTo(CLOCK_START + 310_000_000L);
    assertThat(chat.getEvents(0).getName()).isEqualTo("first.token");
    assertThat(chat.getEvents(0).getTimeUnixNano()).isEqualTo(CLOCK_START + 260_000_000L);
    assertThat(attributes(chat.getEvents(0).getAttributesList()).get("index").getIntValue()).isZero();

    Span tool = spans.get(2);
    assertThat(tool.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(tool.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(tool.getStatus().getMessage()).isEqualTo("connection reset");
    Span.Event exception = tool.getEventsList().stream().filter(e -> e.getName().equals("exception")).findFirst()
        .orElseThrow();
    Map<String, AnyValue> exceptionAttributes = attributes(exception.getAttributesList());
    assertThat(exceptionAttributes.get("exception.type").getStringValue()).isEqualTo("java.io.IOException");
    assertThat(exceptionAttributes.get("exception.message").getStringValue()).isEqualTo("connection reset");
    assertThat(exceptionAttributes.get("exception.stacktrace").getStringValue())
        .startsWith("java.io.IOException: connection reset").contains("\tat ");

    Span drain = spans.get(3);
    assertThat(drain.getParentSpanId().isEmpty()).isTrue();
    assertThat(drain.getLinksCount()).isEqualTo(1);
    assertThat(hex(drain.getLinks(0).getTraceId().toByteArray())).isEqualTo(traceId);
    assertThat(hex(drain.getLinks(0).getSpanId().toByteArray())).isEqualTo("0000000000000001");
    assertThat(attributes(drain.getLinks(0).getAttributesList()).get("reason").getStringValue()).isEqualTo("retry");

    Span open = spans.get(4);
    assertThat(attributes(open.getAttributesList()).get("traceunit.open").getBoolValue()).isTrue();
  }

  @Test
  void theSameTestGivesTheSameDocumentOnEveryRun() throws IOException {
    Map<String, String> otlp = Map.of("traceunit.dump.formats", "otlp");
    String first = Files.readString(Kit.run(reports.resolve("1"), otlp, TraceExtensionTest.CheckoutSample.class)
        .file("expectsTwoPaymentCalls", "trace.otlp.json").orElseThrow().getPath());
    String second = Files.readString(Kit.run(reports.resolve("2"), otlp, TraceExtensionTest.CheckoutSample.class)
        .file("expectsTwoPaymentCalls", "trace.otlp.json").orElseThrow().getPath());

    assertThat(second).isEqualTo(first);
  }

  @Test
  void otlpIsPublishedNextToTheOtherFormatsWithAJsonMediaType() {
    Kit.Run run = Kit.run(reports, Map.of("traceunit.dump.formats", "text,json,otlp"), TraceExtensionTest.CheckoutSample.class);

    assertThat(run.files("expectsTwoPaymentCalls")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactly("trace.txt", "trace.json", "trace.otlp.json");
    if (JUnitLine.atLeast(5, 12)) { // 5.10 and 5.11 publish no files, hence no media types
      assertThat(run.file("expectsTwoPaymentCalls", "trace.otlp.json").orElseThrow().getMediaType())
          .contains("application/json");
    }
  }

  @Test
  void idsAreHexOfTheRightLengthAndDifferBetweenTraces() {
    assertThat(OtlpJson.traceId("A/b")).hasSize(32).isNotEqualTo(OtlpJson.traceId("A/c"));
    assertThat(OtlpJson.spanId(1)).isEqualTo("0000000000000001");
    assertThat(OtlpJson.spanId(255)).isEqualTo("00000000000000ff");
  }

  @Test
  void timesBefore1970AndAfter2262ArePinnedToWhatOtlpCanHold() {
    assertThat(OtlpJson.unixNanos(Instant.parse("1969-12-31T23:59:59Z"), Duration.ZERO)).isZero();
    assertThat(OtlpJson.unixNanos(Instant.parse("2300-01-01T00:00:00Z"), Duration.ZERO)).isEqualTo(Long.MAX_VALUE);
    assertThat(OtlpJson.unixNanos(Instant.EPOCH, Duration.ofNanos(7))).isEqualTo(7);
  }

  @Test
  void aLinkToNoSpanBuiltByHandIsWrittenWithWellFormedIds() throws IOException {
    dev.traceunit.core.RecordedSpan span = new dev.traceunit.core.RecordedSpan("t", 1, 0, SpanKind.INTERNAL,
        "consume", Duration.ZERO, Instant.EPOCH, Duration.ZERO, true, false, Map.of(), List.of(),
        List.of(SpanLink.to(null, 5)), dev.traceunit.core.SpanStatus.OK, null, "main", 0, 0, 0);
    StringWriter out = new StringWriter();
    OtlpJson.write(dev.traceunit.core.Trace.of("t", List.of(span), List.of(), 0), out);

    Span.Link link = parse(out.toString()).getResourceSpans(0).getScopeSpans(0).getSpans(0).getLinks(0);
    assertThat(hex(link.getTraceId().toByteArray())).isEqualTo(OtlpJson.traceId(""));
    assertThat(hex(link.getSpanId().toByteArray())).isEqualTo("0000000000000005");
  }

  @Test
  void aTraceWrittenDirectlyParsesWithoutATestName() throws IOException {
    dev.traceunit.core.SpanCollector collector = new dev.traceunit.core.SpanCollector();
    try (var scope = collector.activate()) {
      Tracing.run("work", () -> {});
    }
    StringWriter out = new StringWriter();
    OtlpJson.write(collector.snapshot(), out);

    TracesData data = parse(out.toString());
    assertThat(data.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("work");
    assertThat(attributes(data.getResourceSpans(0).getResource().getAttributesList())).doesNotContainKey("traceunit.test");
  }

  @Test
  void anUnpairedSurrogateBecomesAReplacementCharacterAndAnyWriterWillDo() throws IOException {
    SpanCollector collector = new SpanCollector();
    try (var scope = collector.activate()) {
      Tracing.span("name\uD800").attribute("key\uDC00", "value \uD83D then \uDE00 and \uD83D\uDE00").start().close();
    }
    Path file = reports.resolve("trace.otlp.json");
    try (Writer out = Files.newBufferedWriter(file)) { // the use OtlpJson's Javadoc shows; it threw before
      OtlpJson.write(collector.snapshot(), out);
    }

    Span span = parse(Files.readString(file)).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getName()).isEqualTo("name\uFFFD");
    assertThat(attributes(span.getAttributesList()).get("key\uFFFD").getStringValue())
        .isEqualTo("value \uFFFD then \uFFFD and \uD83D\uDE00");
  }

  @Test
  void everyKeyIsWrittenOnceAndTheSpansOwnAttributesWin() throws IOException {
    SpanCollector collector = new SpanCollector();
    try (var scope = collector.activate()) {
      Tracing.span("work").kind(SpanKind.of("job")).attribute("thread.name", "worker-7")
          .attribute(OtlpJson.KIND_ATTRIBUTE, "mine").attribute("a\uD800", 1).attribute("a\uD801", 2).start();
    }
    StringWriter out = new StringWriter();
    OtlpJson.write(collector.snapshot(), out);

    List<KeyValue> list = parse(out.toString()).getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributesList();
    assertThat(list).extracting(KeyValue::getKey)
        .containsExactly("thread.name", OtlpJson.KIND_ATTRIBUTE, "a\uFFFD", "a\uFFFD (2)", OtlpJson.OPEN_ATTRIBUTE);
    assertThat(attributes(list).get("thread.name").getStringValue()).isEqualTo("worker-7");
    assertThat(attributes(list).get(OtlpJson.KIND_ATTRIBUTE).getStringValue()).isEqualTo("mine");
  }

  /** Random traces of hostile text and values, seeded: every one parses strictly, with unique keys. */
  @Test
  void fuzzedTracesParseStrictlyWithUniqueKeys() throws IOException {
    long seed = Long.getLong("traceunit.seed", 20240601L);
    java.util.Random random = new java.util.Random(seed);
    for (int round = 0; round < 300; round++) {
      SpanCollector collector = new SpanCollector(fuzzText(random), dev.traceunit.core.TimeSource.system(),
          dev.traceunit.core.Limits.defaults());
      int spans = 1 + random.nextInt(6);
      try (var scope = collector.activate()) {
        List<SpanHandle> open = new java.util.ArrayList<>();
        for (int i = 0; i < spans; i++) {
          var builder = Tracing.span(fuzzText(random)).kind(random.nextBoolean() ? SpanKind.CLIENT : SpanKind.of(fuzzText(random)));
          for (int a = random.nextInt(5); a > 0; a--) {
            builder.attribute(fuzzKey(random), fuzzValue(random, 2));
          }
          if (!open.isEmpty() && random.nextBoolean()) {
            builder.link(open.get(random.nextInt(open.size())).link().withAttributes(Map.of(fuzzKey(random), fuzzText(random))));
          }
          SpanHandle span = builder.startAsync();
          if (random.nextBoolean()) {
            span.event(fuzzText(random), Map.of(fuzzKey(random), fuzzValue(random, 1)));
          }
          if (random.nextInt(4) == 0) {
            span.error(new IllegalStateException(fuzzText(random)));
          }
          if (random.nextInt(3) > 0) {
            span.end();
          }
          open.add(span);
        }
      }
      StringWriter out = new StringWriter();
      OtlpJson.write(collector.snapshot(), fuzzText(random), out);
      TracesData data;
      try {
        data = parse(out.toString());
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("round " + round + " (-Dtraceunit.seed=" + seed + ") did not parse: " + out, e);
      }
      List<Span> written = data.getResourceSpans(0).getScopeSpans(0).getSpansList();
      assertThat(written).as("round %d, seed %d", round, seed).hasSize(spans);
      String where = "round " + round + ", seed " + seed;
      for (Span span : written) {
        assertUniqueKeys(span.getAttributesList(), "span attributes, " + where);
        span.getEventsList().forEach(e -> assertUniqueKeys(e.getAttributesList(), "event attributes, " + where));
        span.getLinksList().forEach(l -> assertUniqueKeys(l.getAttributesList(), "link attributes, " + where));
      }
      assertThat(out.toString().codePoints().filter(c -> c >= 0xD800 && c <= 0xDFFF)).as("unpaired surrogates").isEmpty();
    }
  }

  private static void assertUniqueKeys(List<KeyValue> list, String where) {
    assertThat(list).extracting(KeyValue::getKey).as(where).doesNotHaveDuplicates();
    for (KeyValue kv : list) {
      if (kv.getValue().hasKvlistValue()) {
        assertUniqueKeys(kv.getValue().getKvlistValue().getValuesList(), where + " > " + kv.getKey());
      }
    }
  }

  private static final String[] PIECES = {"a", "ü", "\uD800", "\uDC00", "\uD83D\uDE00", "\"", "\\", "</script>", "\u0000",
      "\n", "\u2028", "thread.name", OtlpJson.KIND_ATTRIBUTE, OtlpJson.OPEN_ATTRIBUTE, "$string", "NaN", "{", "'"};

  private static String fuzzText(java.util.Random random) {
    StringBuilder text = new StringBuilder("x");
    for (int i = random.nextInt(5); i > 0; i--) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  private static String fuzzKey(java.util.Random random) {
    return random.nextInt(3) == 0 ? PIECES[10 + random.nextInt(4)] : fuzzText(random);
  }

  private static Object fuzzValue(java.util.Random random, int depth) {
    switch (random.nextInt(depth > 0 ? 8 : 6)) {
      case 0: return fuzzText(random);
      case 1: return random.nextLong();
      case 2: return random.nextBoolean() ? Double.NaN : random.nextDouble() * 1e300;
      case 3: return random.nextBoolean();
      case 4: return Double.NEGATIVE_INFINITY;
      case 5: return "";
      case 6: return List.of(fuzzValue(random, depth - 1), fuzzValue(random, depth - 1));
      default:
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.put(fuzzKey(random), fuzzValue(random, depth - 1));
        }
        return map;
    }
  }

  /** Strict parsing: a field OTLP does not know fails the test. */
  private static TracesData parse(Kit.Published file) throws IOException {
    return StrictOtlp.parse(Files.readString(file.getPath(), StandardCharsets.UTF_8));
  }

  private static TracesData parse(String json) throws IOException {
    return StrictOtlp.parse(json);
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
    return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
