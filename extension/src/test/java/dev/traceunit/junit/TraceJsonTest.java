package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.Limits;
import dev.traceunit.core.Problem;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceJsonTest {

  private static final Instant T0 = Instant.parse("2024-02-29T23:59:59.123456789Z");

  @Test
  void readingBackGivesAnEqualTraceWithEveryField() throws IOException {
    Trace trace = everyFieldTrace();

    Trace again = roundTrip(trace);

    assertThat(again).isEqualTo(trace);
    assertThat(again.render()).isEqualTo(trace.render());
    RecordedSpan root = again.byId(1).orElseThrow();
    assertThat(root.attributes()).containsExactlyEntriesOf(trace.byId(1).orElseThrow().attributes());
    assertThat(root.attributes().get("nan")).isEqualTo(Double.NaN);
    assertThat(root.attributes().get("negativeZero")).isEqualTo(-0.0d);
    assertThat(root.attributes().get("whole")).isInstanceOf(Long.class);
    assertThat(root.attributes().get("oneAsDouble")).isInstanceOf(Double.class);
    assertThat(root.attributes().get("nanAsText")).isEqualTo("NaN");
  }

  @Test
  void aRecordedTraceWithOpenSpansAndProblemsSurvivesARoundTrip() throws IOException {
    MockClock clock = MockClock.at(T0);
    SpanCollector collector =
        new SpanCollector("CheckoutTest/pays", TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults().withMaxEvents(1));
    try (Scope scope = collector.activate()) {
      try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
        checkout.attribute("order", 42).attribute("items", List.of("book", "pen"));
        clock.advanceTime(Duration.ofMillis(10));
        SpanHandle call = Tracing.startAsync(SpanKind.CLIENT, "payment.call");
        call.event("retry.scheduled", Map.of("delay", "2s"));
        call.event("dropped");
        call.error(new IllegalStateException("reset"));
        clock.advanceTime(Duration.ofMillis(120));
        Tracing.marker("decision", Map.of("route", "fast"));
        checkout.end();
        checkout.end();
      }
    }
    Trace trace = collector.finish();
    assertThat(trace.openSpans()).hasSize(1);
    assertThat(trace.problems()).extracting(Problem::code)
        .contains(ProblemCode.EVENT_LIMIT, ProblemCode.SPAN_ENDED_TWICE, ProblemCode.SPAN_NOT_ENDED);

    assertThat(roundTrip(trace)).isEqualTo(trace);
  }

  @Test
  void writesTheDocumentedFormat() throws IOException {
    StringWriter out = new StringWriter();
    TraceJson.write(everyFieldTrace(), "[engine:junit-jupiter]/[class:a.CheckoutTest]", out);
    String json = out.toString();

    assertThat(json).startsWith("{\n  \"format\" : \"traceunit-trace/1\",\n  \"traceId\" : \"t-json\",\n"
        + "  \"test\" : \"[engine:junit-jupiter]/[class:a.CheckoutTest]\",\n  \"spans\" : [ {");
    assertThat(json)
        .contains("\"startOffsetNanos\" : 10000000,")
        .contains("\"startTime\" : \"2024-02-29T23:59:59.133456789Z\",")
        .contains("\"durationNanos\" : 250000000,")
        .contains("\"nan\" : \"NaN\",")
        .contains("\"infinity\" : \"Infinity\",")
        .contains("\"minusInfinity\" : \"-Infinity\",")
        .contains("\"nanAsText\" : {\n        \"$string\" : \"NaN\"\n      },")
        .contains("\"oneAsDouble\" : 1.0,")
        .contains("\"whole\" : 1,")
        .contains("\"unicode\" : \"naïve 日本語 עברית e\u0301 \\uD83D\\uDE80\",")
        .contains("\"loneSurrogate\" : \"a\\uD800b\",")
        .contains("\"droppedSpans\" : 3\n}");
  }

  @Test
  void aLoneSurrogateSurvivesAUtf8File(@TempDir Path dir) throws IOException {
    Trace trace = everyFieldTrace();
    Path file = dir.resolve("trace.json");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      TraceJson.write(trace, out);
    }
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      assertThat(TraceJson.read(in)).isEqualTo(trace);
    }
  }

  @Test
  void keysWithLoneSurrogatesSurviveAUtf8FileInTheirOrder(@TempDir Path dir) throws IOException {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("z", 1L);
    attributes.put("high\ud800", "a\udc00b");
    attributes.put("\udc00low", Map.of("inner\udbff", List.of("x")));
    attributes.put("paired \ud83d\ude80", true);
    attributes.put("looksLikeEscapedEntries", Map.of("$entries", List.of(List.of("k", 1L))));
    RecordedSpan span = new RecordedSpan("t", 1, 0, SpanKind.INTERNAL, "checkout", Duration.ZERO, T0, Duration.ZERO,
        true, false, attributes, List.of(new SpanEvent("retry", Duration.ZERO, T0, Map.of("\ud800", "v"))),
        List.of(new SpanLink("t", 1, Map.of("\udfff", 2L))), SpanStatus.OK, null, "main", 0, 0, 0);
    Trace trace = Trace.of("t", List.of(span),
        List.of(new Problem(ProblemCode.KEY_TOO_LONG, "key cut", 1, Map.of("key", "\ud800", "\ud800", "key"))), 0);
    Path file = dir.resolve("trace.json");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      TraceJson.write(trace, out);
    }

    Trace again;
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      again = TraceJson.read(in);
    }

    assertThat(again).isEqualTo(trace);
    assertThat(again.byId(1).orElseThrow().attributes()).containsExactlyEntriesOf(attributes);
    assertThat(Files.readString(file))
        .contains("\"attributes\" : {\n      \"$entries\" : [ [ \"z\", 1 ], [ \"high\\uD800\", \"a\\uDC00b\" ], ")
        .contains("\"looksLikeEscapedEntries\", {\n        \"$map\" : {\n          \"$entries\"");
  }

  @Test
  void escapedEntriesThatAreNotKeyValuePairsAreRejectedWithTheirPlace() {
    assertReadFails(valid().replace("\"looksLikeAnEscapedMap\" : {",
            "\"pairs\" : { \"$entries\" : [ [ \"a\", 1 ], [ 2, 3 ] ] }, \"looksLikeAnEscapedMap\" : {"),
        "spans[0].attributes.pairs.$entries[1] must be a [key, value] pair with a string key but was [2,3]");
    assertReadFails(valid().replace("\"looksLikeAnEscapedMap\" : {",
            "\"repeated\" : { \"$entries\" : [ [ \"a\", 1 ], [ \"a\", 2 ] ] }, \"looksLikeAnEscapedMap\" : {"),
        "spans[0].attributes.repeated.$entries[1] repeats the key 'a'");
  }

  @Test
  void anEmptyTraceSurvivesARoundTrip() throws IOException {
    Trace empty = Trace.of("t-empty", List.of(), List.of(), 0);
    assertThat(roundTrip(empty)).isEqualTo(empty);
  }

  @Test
  void aValueOfAnUnsupportedTypeIsWrittenAsTheCollectorWouldHaveStoredIt() throws IOException {
    java.util.UUID id = java.util.UUID.fromString("00000000-0000-0000-0000-000000000001");
    Object hostile = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("no text");
      }
    };
    // A record built by hand holds what a recorded one would; a link made by withAttributes and
    // never added to a span keeps its raw values, and is written as if it had been.
    SpanLink raw = SpanLink.to("t", 1).withAttributes(Map.of("id", id, "hostile", hostile, "count", 3));
    RecordedSpan withBadValues = new RecordedSpan("t", 1, 0, SpanKind.INTERNAL, "checkout", Duration.ZERO, T0,
        Duration.ZERO, true, false, Map.of("id", id), List.of(), List.of(raw), SpanStatus.UNSET, null, "main", 0, 0, 0);
    assertThat(withBadValues.attributes()).containsExactly(Map.entry("id", id.toString()));

    Trace read = roundTrip(Trace.of("t", List.of(withBadValues), List.of(), 0));

    assertThat(read.spans().get(0).attributes()).containsExactly(Map.entry("id", id.toString()));
    assertThat(read.spans().get(0).links().get(0).attributes()).containsOnly(Map.entry("id", id.toString()),
        Map.entry("count", 3L),
        Map.entry("hostile", "<" + hostile.getClass().getName() + ": toString() threw java.lang.IllegalStateException>"));
  }

  @Test
  void readingSomethingElseFailsNamingWhatIsWrong() {
    assertReadFails("", "not a traceunit-trace/1 document: expected a JSON object but found nothing");
    assertReadFails("[1]", "not a traceunit-trace/1 document: expected a JSON object but found [1]");
    assertReadFails("{\"format\":\"otlp\"}", "not a traceunit-trace/1 document: format is 'otlp' but must be 'traceunit-trace/1'");
    assertReadFails(valid().replace("\"durationNanos\" : 250000000", "\"durationNanos\" : \"250ms\""),
        "spans[0].durationNanos must be a whole number that fits a long but was \"250ms\"");
    assertReadFails(valid().replace("\"startTime\" : \"2024-02-29T23:59:59.133456789Z\"", "\"startTime\" : \"yesterday\""),
        "spans[0].startTime must be an ISO-8601 instant such as 2000-01-01T00:00:00Z but was 'yesterday'");
    assertReadFails(valid().replace("\"code\" : \"SPAN_NOT_ENDED\"", "\"code\" : \"SPAN_LOST\""),
        "problems[0].code is 'SPAN_LOST' but must be one of " + Arrays.toString(ProblemCode.values()));
    assertReadFails(valid().replaceFirst(Pattern.quote("\"threadName\" : \"worker-1 «main»\","), ""), "spans[0].threadName is missing");
    assertReadFails(valid().replace("\"status\" : \"ERROR\"", "\"status\" : \"BROKEN\""),
        "spans[0].status is 'BROKEN' but must be one of [UNSET, OK, ERROR]");
  }

  @Test
  void repeatedKeysAndMisplacedValuesAreRejectedWithTheirPlace() {
    assertReadFails(valid().replace("\"threadName\" : \"worker-1 «main»\",",
            "\"threadName\" : \"worker-1 «main»\", \"threadName\" : \"main\","),
        "Duplicate field 'threadName' in spans[0]");
    assertReadFails(valid().replace("\"looksLikeAnEscapedMap\" : {", "\"yes\" : 1, \"looksLikeAnEscapedMap\" : {"),
        "Duplicate field 'yes' in spans[0].attributes");
    assertReadFails(valid().replace("\"name\" : \"retry.scheduled\",", "\"name\" : \"retry\", \"name\" : \"again\","),
        "Duplicate field 'name' in spans[0].events[0]");
    assertReadFails(valid().replace("\"name\" : \"retry.scheduled\",", ""), "spans[0].events[0].name is missing");
    assertReadFails(valid().replace("\"time\" : \"2024-02-29T23:59:59.253456789Z\"", "\"time\" : 5"),
        "spans[0].events[0].time must be a string but was 5");
    assertReadFails(valid().replace("\"spanId\" : 7,", "\"spanId\" : \"7\","),
        "spans[0].links[0].spanId must be a whole number that fits a long but was \"7\"");
    assertReadFails(valid().replaceFirst("\"events\" : \\[ \\]", "\"events\" : {}"),
        "spans[1].events must be an array but was {}");
    assertReadFails(valid().replaceFirst("\"error\" : null", "\"error\" : 5"),
        "spans[2].error must be an object or null but was 5");
    assertReadFails(valid().replaceFirst("\"message\" : null", "\"message\" : false"),
        "spans[1].error.message must be a string but was false");
    assertReadFails(valid().replace("\"list\" : [ \"a\", 2,", "\"list\" : [ \"a\", 99999999999999999999,"),
        "spans[0].attributes.list[1] must fit a long but was 99999999999999999999");
    assertReadFails(valid().replace("\"level3\" : [ 1,", "\"level3\" : [ -99999999999999999999,"),
        "spans[0].attributes.nested.level1.level2.level3[0] must fit a long but was -99999999999999999999");
  }

  @Test
  void instantsAreReadAsInstantParseReadsThem() {
    for (String text : List.of("2000-01-01T00:00:00Z", "2024-02-29T23:59:59.133456789Z", "1970-01-01T00:00:00.1Z",
        "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.123456789Z",
        "2001-06-15T12:30:45.12345Z")) {
      assertThat(TraceJson.parseWritten(text)).as(text).isEqualTo(Instant.parse(text));
    }
    // Left to Instant.parse, which reads the first two and rejects the others.
    for (String text : List.of("+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2000-01-01T24:00:00Z", "2000-01-01T00:00:00.Z", "2000-01-01T00:00:00.1234567890Z", "2000-01-01 00:00:00Z",
        "2000-01-01T00:00:00+01:00", "2000-1-01T00:00:00Z")) {
      assertThat(TraceJson.parseWritten(text)).as(text).isNull();
    }
  }

  @Test
  void malformedJsonIsAnIOException() {
    assertThatThrownBy(() -> TraceJson.read(new StringReader(valid() + " {}")))
        .isInstanceOf(IOException.class).hasMessageContaining("Trailing token");
    assertThatThrownBy(() -> TraceJson.read(new StringReader("{\"format\":1,\"format\":2}")))
        .isInstanceOf(IOException.class).hasMessageContaining("Duplicate field 'format'");
  }

  private static void assertReadFails(String json, String message) {
    assertThatThrownBy(() -> TraceJson.read(new StringReader(json)))
        .isInstanceOf(IOException.class)
        .hasMessage(message);
  }

  private static String valid() {
    StringWriter out = new StringWriter();
    try {
      TraceJson.write(everyFieldTrace(), out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toString();
  }

  private static Trace roundTrip(Trace trace) throws IOException {
    StringWriter out = new StringWriter();
    TraceJson.write(trace, "some test", out);
    return TraceJson.read(new StringReader(out.toString()));
  }

  /** A trace using every field of the model and every kind of value. */
  static Trace everyFieldTrace() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("text", "hello \"world\"\n\ttab \\ back");
    attributes.put("unicode", "naïve 日本語 עברית e\u0301 🚀");
    attributes.put("control", "\u0000\u0001\u001f\u007f");
    attributes.put("loneSurrogate", "a\ud800b");
    attributes.put("whole", 1L);
    attributes.put("min", Long.MIN_VALUE);
    attributes.put("max", Long.MAX_VALUE);
    attributes.put("oneAsDouble", 1.0d);
    attributes.put("tiny", Double.MIN_VALUE);
    attributes.put("huge", Double.MAX_VALUE);
    attributes.put("third", 1.0d / 3);
    attributes.put("negativeZero", -0.0d);
    attributes.put("nan", Double.NaN);
    attributes.put("infinity", Double.POSITIVE_INFINITY);
    attributes.put("minusInfinity", Double.NEGATIVE_INFINITY);
    attributes.put("nanAsText", "NaN");
    attributes.put("infinityAsText", "-Infinity");
    attributes.put("yes", true);
    attributes.put("no", false);
    attributes.put("list", Arrays.asList("a", 2L, 3.5d, null, Double.NaN, List.of(), Map.of("k", "v")));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("level1", Map.of("level2", Map.of("level3", List.of(1L, "Infinity"))));
    nested.put("empty", Map.of());
    attributes.put("nested", nested);
    attributes.put("looksLikeAnEscapedString", Map.of("$string", "NaN"));
    attributes.put("looksLikeAnEscapedMap", Map.of("$map", Map.of("a", 1L)));
    attributes.put("twoDollarKeys", Map.of("$string", "x", "$map", "y"));

    RecordedSpan root = new RecordedSpan("t-json", 1, 0, SpanKind.SERVER, "checkout",
        Duration.ofMillis(10), T0.plusMillis(10), Duration.ofMillis(250), true, false, attributes,
        List.of(new SpanEvent("retry.scheduled", Duration.ofNanos(120_000_001), T0.plusMillis(130),
            Map.of("delay", "2s", "attempt", 1L))),
        List.of(new SpanLink("t-other", 7, Map.of("reason", "resume")), SpanLink.to("t-json", 3)),
        SpanStatus.ERROR,
        new ErrorInfo("java.io.IOException", "reset by peer ✂", "java.io.IOException: reset by peer ✂\n\tat a.B.c(B.java:1)\n"),
        "worker-1 «main»", 2, 3, 4);
    RecordedSpan open = span(2, 1, "payment.call", Map.of("attempt", 2L), false, List.of(), List.of(),
        new ErrorInfo("java.lang.IllegalStateException", null, "java.lang.IllegalStateException\n"));
    RecordedSpan marker = new RecordedSpan("t-json", 3, 1, SpanKind.of("llm_call"), "model.switch",
        Duration.ofMillis(300), T0.plusMillis(300), Duration.ZERO, true, true, Map.of(), List.of(), List.of(),
        SpanStatus.OK, null, "main", 0, 0, 0);
    RecordedSpan orphanChild = span(9, 8, "child.of.dropped.span", Map.of(), true, List.of(), List.of(), null);
    List<Problem> problems = List.of(
        new Problem(ProblemCode.SPAN_NOT_ENDED, "span 2 payment.call was still open when the test ended", 2, Map.of()),
        new Problem(ProblemCode.VALUE_TRUNCATED, "value of 'body' has 200 chars", 1,
            Map.of("key", "body", "length", 200L, "limit", 100L, "ratio", Double.NaN)),
        new Problem(ProblemCode.SPAN_LIMIT, "limit", 0, Map.of("nested", Map.of("$map", "x"))));
    return Trace.of("t-json", List.of(root, open, marker, orphanChild), problems, 3);
  }

  private static RecordedSpan span(long id, long parent, String name, Map<String, Object> attributes, boolean ended,
      List<SpanEvent> events, List<SpanLink> links, ErrorInfo error) {
    return new RecordedSpan("t-json", id, parent, SpanKind.CLIENT, name, Duration.ofMillis(20 + id),
        T0.plusMillis(20 + id), Duration.ofMillis(5), ended, false, attributes, events, links,
        error == null ? SpanStatus.UNSET : SpanStatus.ERROR, error, "main", 0, 0, 0);
  }
}
