package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.Problem;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link Trace} as JSON in the {@code traceunit-trace/1} format and reads it back into an
 * equal {@code Trace}: every field, in full (the text tree shortens long values, JSON never does).
 *
 * <pre>{@code
 * try (Writer out = Files.newBufferedWriter(Path.of("trace.json"))) {
 *   TraceJson.write(spans.snapshot(), out);
 * }
 * Trace again = TraceJson.read(Files.newBufferedReader(Path.of("trace.json")));
 * }</pre>
 *
 * <p>The document is {@code {"format":"traceunit-trace/1","traceId":…,"test":…,"spans":[…],
 * "problems":[…],"droppedSpans":…}}. Spans carry every field of {@link RecordedSpan}; offsets and
 * durations are whole nanoseconds ({@code startOffsetNanos}, {@code durationNanos}, {@code
 * offsetNanos}), instants ISO-8601 strings. Attribute values are plain JSON: whole numbers are
 * {@code Long}s, numbers with a fraction or exponent {@code Double}s, and NaN and the infinities
 * the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}. So that reading stays
 * exact, a string value that spells one of those three is written as {@code {"$string":"NaN"}},
 * and a map whose only key is {@code $string}, {@code $map} or {@code $entries} as {@code
 * {"$map":{…}}}. Surrogate characters are written as {@code \}{@code u} escapes, so a lone surrogate
 * survives a UTF-8 file. Jackson reads no object key holding a lone surrogate, so a map with such a
 * key is written as its entries in order, {@code {"$entries":[[key, value], …]}}.
 */
public final class TraceJson {

  /** The value of the {@code format} field. */
  public static final String FORMAT = "traceunit-trace/1";

  private static final String STRING_ESCAPE = "$string";
  private static final String MAP_ESCAPE = "$map";
  private static final String ENTRIES_ESCAPE = "$entries";
  private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "-Infinity");

  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT) // a write that failed half way is not made to look whole
      .characterEscapes(new SurrogateEscapes())
      .build();

  private TraceJson() {}

  /**
   * Writes {@code trace} to {@code out} without naming a test; {@code out} is flushed, not closed.
   *
   * @param trace the trace to write
   * @param out where to write it
   * @throws IOException if writing fails
   */
  public static void write(Trace trace, Writer out) throws IOException {
    write(trace, null, out);
  }

  /**
   * Writes {@code trace}, recorded by the test whose unique id is {@code test} (or null), to {@code out};
   * {@code out} is flushed, not closed.
   *
   * @param trace the trace to write
   * @param test the test's unique id, or null
   * @param out where to write it
   * @throws IllegalArgumentException if an attribute value is of a type a trace cannot hold
   * @throws IOException if writing fails
   */
  public static void write(Trace trace, String test, Writer out) throws IOException {
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(out, "out");
    try (JsonGenerator json = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
      writeTrace(json, trace, test);
    }
  }

  /**
   * A generator of compact JSON with this format's escapes, for a document that embeds traces with
   * {@link #writeTrace}. Closing it returns its buffers and flushes {@code out}, never closes it.
   */
  static JsonGenerator compactGenerator(Writer out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /** Writes {@code trace} as one JSON object, the document {@link #write(Trace, String, Writer)} writes. */
  static void writeTrace(JsonGenerator json, Trace trace, String test) throws IOException {
    json.writeStartObject();
    json.writeStringField("format", FORMAT);
    json.writeStringField("traceId", trace.traceId());
    json.writeStringField("test", test);
    json.writeArrayFieldStart("spans");
    for (RecordedSpan span : trace.spans()) {
      writeSpan(json, span);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("problems");
    for (Problem problem : trace.problems()) {
      json.writeStartObject();
      json.writeStringField("code", problem.code().name());
      json.writeStringField("message", problem.message());
      json.writeNumberField("spanId", problem.spanId());
      writeMap(json, "context", problem.context(), "problem " + problem.code() + " context");
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeNumberField("droppedSpans", trace.droppedSpans());
    json.writeEndObject();
  }

  /**
   * Reads a {@code traceunit-trace/1} document; {@code in} is not closed.
   *
   * @param in the document
   * @return the trace it holds
   * @throws IOException if reading fails, the text is not JSON, or the JSON is not a trace; the
   *     message names the field, e.g. {@code spans[2].durationNanos}, and what it must be
   */
  public static Trace read(Reader in) throws IOException {
    Objects.requireNonNull(in, "in");
    JsonNode root = Reading.MAPPER.readTree(in);
    if (!root.isObject()) {
      throw new IOException("not a " + FORMAT + " document: expected a JSON object but found "
          + (root.isMissingNode() ? "nothing" : root.toString()));
    }
    String format = text(root, "format", "format", false);
    if (!FORMAT.equals(format)) {
      throw new IOException("not a " + FORMAT + " document: format is '" + format + "' but must be '" + FORMAT + "'");
    }
    String traceId = text(root, "traceId", "traceId", false);
    List<RecordedSpan> spans = new ArrayList<>();
    int i = 0;
    for (JsonNode span : array(root, "spans", "spans")) {
      spans.add(readSpan(span, "spans[" + i++ + "]"));
    }
    List<Problem> problems = new ArrayList<>();
    i = 0;
    for (JsonNode problem : array(root, "problems", "problems")) {
      String where = "problems[" + i++ + "]";
      problems.add(new Problem(problemCode(problem, where), text(problem, "message", where + ".message", false),
          whole(problem, "spanId", where + ".spanId"), map(problem, "context", where + ".context")));
    }
    long droppedSpans = whole(root, "droppedSpans", "droppedSpans");
    try {
      return Trace.of(traceId, spans, problems, droppedSpans);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a valid trace: " + e.getMessage(), e);
    }
  }

  // ---- writing

  private static void writeSpan(JsonGenerator json, RecordedSpan span) throws IOException {
    String where = "span " + span.spanId() + " '" + span.name() + "'";
    json.writeStartObject();
    json.writeStringField("traceId", span.traceId());
    json.writeNumberField("spanId", span.spanId());
    json.writeNumberField("parentId", span.parentId());
    json.writeStringField("kind", span.kind().name());
    json.writeStringField("name", span.name());
    json.writeNumberField("startOffsetNanos", span.startOffset().toNanos());
    json.writeStringField("startTime", span.startTime().toString());
    json.writeNumberField("durationNanos", span.duration().toNanos());
    json.writeBooleanField("ended", span.ended());
    json.writeBooleanField("marker", span.marker());
    writeMap(json, "attributes", span.attributes(), where);
    json.writeArrayFieldStart("events");
    for (SpanEvent event : span.events()) {
      json.writeStartObject();
      json.writeStringField("name", event.name());
      json.writeNumberField("offsetNanos", event.offset().toNanos());
      json.writeStringField("time", event.time().toString());
      writeMap(json, "attributes", event.attributes(), where + " event '" + event.name() + "'");
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("links");
    for (SpanLink link : span.links()) {
      json.writeStartObject();
      json.writeStringField("traceId", link.traceId());
      json.writeNumberField("spanId", link.spanId());
      writeMap(json, "attributes", link.attributes(), where + " link");
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeStringField("status", span.status().name());
    if (span.error() == null) {
      json.writeNullField("error");
    } else {
      json.writeObjectFieldStart("error");
      json.writeStringField("type", span.error().type());
      json.writeStringField("message", span.error().message());
      json.writeStringField("stackTrace", span.error().stackTrace());
      json.writeEndObject();
    }
    json.writeStringField("threadName", span.threadName());
    json.writeNumberField("droppedAttributes", span.droppedAttributes());
    json.writeNumberField("droppedEvents", span.droppedEvents());
    json.writeNumberField("droppedLinks", span.droppedLinks());
    json.writeEndObject();
  }

  private static void writeMap(JsonGenerator json, String field, Map<String, ?> map, String where)
      throws IOException {
    json.writeFieldName(field);
    writeMapValue(json, map, where);
  }

  private static void writeMapValue(JsonGenerator json, Map<String, ?> map, String where) throws IOException {
    json.writeStartObject();
    if (hasKeyWithLoneSurrogate(map)) {
      json.writeArrayFieldStart(ENTRIES_ESCAPE);
      for (Map.Entry<String, ?> entry : map.entrySet()) {
        json.writeStartArray();
        json.writeString(entry.getKey());
        writeValue(json, entry.getValue(), where + " '" + entry.getKey() + "'");
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeEndObject();
      return;
    }
    boolean escape = map.size() == 1
        && (map.containsKey(STRING_ESCAPE) || map.containsKey(MAP_ESCAPE) || map.containsKey(ENTRIES_ESCAPE));
    if (escape) {
      json.writeFieldName(MAP_ESCAPE);
      json.writeStartObject();
    }
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      json.writeFieldName(entry.getKey());
      writeValue(json, entry.getValue(), where + " '" + entry.getKey() + "'");
    }
    if (escape) {
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static boolean hasKeyWithLoneSurrogate(Map<String, ?> map) {
    for (String key : map.keySet()) {
      if (hasLoneSurrogate(key)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} holds a surrogate that is not half of a pair, which Jackson reads in no key. */
  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static void writeValue(JsonGenerator json, Object value, String where) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof String) {
      String text = (String) value;
      if (NON_FINITE.contains(text)) {
        json.writeStartObject();
        json.writeStringField(STRING_ESCAPE, text);
        json.writeEndObject();
      } else {
        json.writeString(text);
      }
    } else if (value instanceof Boolean) {
      json.writeBoolean((Boolean) value);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isFinite(number)) {
        json.writeNumber(number);
      } else {
        json.writeString(Double.toString(number));
      }
    } else if (value instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> map = (Map<String, ?>) value;
      writeMapValue(json, map, where);
    } else if (value instanceof List) {
      json.writeStartArray();
      for (Object item : (List<?>) value) {
        writeValue(json, item, where);
      }
      json.writeEndArray();
    } else {
      throw new IllegalArgumentException("value of " + where + " has type " + value.getClass().getName()
          + ", which a trace cannot hold; allowed: String, Long, Double, Boolean, List and Map<String, ?> of these");
    }
  }

  // ---- reading

  private static RecordedSpan readSpan(JsonNode span, String where) throws IOException {
    if (!span.isObject()) {
      throw new IOException(where + " must be an object but was " + span);
    }
    List<SpanEvent> events = new ArrayList<>();
    int i = 0;
    for (JsonNode event : array(span, "events", where + ".events")) {
      String at = where + ".events[" + i++ + "]";
      events.add(new SpanEvent(text(event, "name", at + ".name", false), nanos(event, "offsetNanos", at),
          instant(event, "time", at), map(event, "attributes", at + ".attributes")));
    }
    List<SpanLink> links = new ArrayList<>();
    i = 0;
    for (JsonNode link : array(span, "links", where + ".links")) {
      String at = where + ".links[" + i++ + "]";
      links.add(new SpanLink(text(link, "traceId", at + ".traceId", false), whole(link, "spanId", at + ".spanId"),
          map(link, "attributes", at + ".attributes")));
    }
    JsonNode error = field(span, "error", where + ".error");
    ErrorInfo errorInfo = null;
    if (!error.isNull()) {
      errorInfo = new ErrorInfo(text(error, "type", where + ".error.type", false),
          text(error, "message", where + ".error.message", true),
          text(error, "stackTrace", where + ".error.stackTrace", false));
    }
    String kind = text(span, "kind", where + ".kind", false);
    if (kind.isBlank()) {
      throw new IOException(where + ".kind must be a non-blank string but was '" + kind + "'");
    }
    return new RecordedSpan(
        text(span, "traceId", where + ".traceId", false),
        whole(span, "spanId", where + ".spanId"),
        whole(span, "parentId", where + ".parentId"),
        SpanKind.of(kind),
        text(span, "name", where + ".name", false),
        nanos(span, "startOffsetNanos", where),
        instant(span, "startTime", where),
        nanos(span, "durationNanos", where),
        bool(span, "ended", where + ".ended"),
        bool(span, "marker", where + ".marker"),
        map(span, "attributes", where + ".attributes"),
        events,
        links,
        enumValue(SpanStatus.class, text(span, "status", where + ".status", false), where + ".status"),
        errorInfo,
        text(span, "threadName", where + ".threadName", false),
        count(span, "droppedAttributes", where + ".droppedAttributes"),
        count(span, "droppedEvents", where + ".droppedEvents"),
        count(span, "droppedLinks", where + ".droppedLinks"));
  }

  private static ProblemCode problemCode(JsonNode problem, String where) throws IOException {
    return enumValue(ProblemCode.class, text(problem, "code", where + ".code", false), where + ".code");
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String where) throws IOException {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + " is '" + name + "' but must be one of "
          + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  private static JsonNode field(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = parent.get(name);
    if (node == null) {
      throw new IOException(where + " is missing");
    }
    return node;
  }

  private static String text(JsonNode parent, String name, String where, boolean nullable) throws IOException {
    JsonNode node = field(parent, name, where);
    if (nullable && node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IOException(where + " must be a string but was " + node);
    }
    return node.textValue();
  }

  private static boolean bool(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isBoolean()) {
      throw new IOException(where + " must be true or false but was " + node);
    }
    return node.booleanValue();
  }

  private static long whole(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IOException(where + " must be a whole number that fits a long but was " + node);
    }
    return node.longValue();
  }

  private static int count(JsonNode parent, String name, String where) throws IOException {
    long value = whole(parent, name, where);
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IOException(where + " must be from 0 to " + Integer.MAX_VALUE + " but was " + value);
    }
    return (int) value;
  }

  private static Duration nanos(JsonNode parent, String name, String where) throws IOException {
    return Duration.ofNanos(whole(parent, name, where + "." + name));
  }

  private static Instant instant(JsonNode parent, String name, String where) throws IOException {
    String text = text(parent, name, where + "." + name, false);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IOException(where + "." + name + " must be an ISO-8601 instant such as 2000-01-01T00:00:00Z but was '"
          + text + "'", e);
    }
  }

  private static Map<String, Object> map(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isObject()) {
      throw new IOException(where + " must be an object but was " + node);
    }
    return readMap(node, where);
  }

  private static Map<String, Object> readMap(JsonNode node, String where) throws IOException {
    if (node.size() == 1 && node.has(ENTRIES_ESCAPE)) {
      return readEntries(node.get(ENTRIES_ESCAPE), where + "." + ENTRIES_ESCAPE);
    }
    if (node.size() == 1 && node.has(MAP_ESCAPE)) {
      JsonNode escaped = node.get(MAP_ESCAPE);
      if (!escaped.isObject()) {
        throw new IOException(where + "." + MAP_ESCAPE + " must be an object but was " + escaped);
      }
      node = escaped;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      map.put(entry.getKey(), readValue(entry.getValue(), where + "." + entry.getKey()));
    }
    return map;
  }

  private static Map<String, Object> readEntries(JsonNode entries, String where) throws IOException {
    if (!entries.isArray()) {
      throw new IOException(where + " must be an array of [key, value] pairs but was " + entries);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode entry : entries) {
      String at = where + "[" + i++ + "]";
      if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual()) {
        throw new IOException(at + " must be a [key, value] pair with a string key but was " + entry);
      }
      String key = entry.get(0).textValue();
      if (map.containsKey(key)) {
        throw new IOException(at + " repeats the key '" + key + "'");
      }
      map.put(key, readValue(entry.get(1), at));
    }
    return map;
  }

  private static Object readValue(JsonNode node, String where) throws IOException {
    JsonNodeType type = node.getNodeType();
    switch (type) {
      case NULL:
        return null;
      case BOOLEAN:
        return node.booleanValue();
      case STRING: {
        String text = node.textValue();
        return NON_FINITE.contains(text) ? Double.valueOf(text) : text;
      }
      case NUMBER:
        if (node.isIntegralNumber()) {
          if (!node.canConvertToLong()) {
            throw new IOException(where + " must fit a long but was " + node);
          }
          return node.longValue();
        }
        return node.doubleValue();
      case ARRAY: {
        List<Object> items = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode item : node) {
          items.add(readValue(item, where + "[" + i++ + "]"));
        }
        return items;
      }
      case OBJECT:
        if (node.size() == 1 && node.has(STRING_ESCAPE)) {
          JsonNode escaped = node.get(STRING_ESCAPE);
          if (!escaped.isTextual()) {
            throw new IOException(where + "." + STRING_ESCAPE + " must be a string but was " + escaped);
          }
          return escaped.textValue();
        }
        return readMap(node, where);
      default:
        throw new IOException(where + " must be a string, number, boolean, null, array or object but was " + node);
    }
  }

  private static Iterable<JsonNode> array(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isArray()) {
      throw new IOException(where + " must be an array but was " + node);
    }
    return node;
  }

  /** Holds the mapper, so that writing (every failing test) never pays for creating it. */
  private static final class Reading {
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Escapes surrogates, so text with a lone one can be written to a UTF-8 file and read back. */
  private static final class SurrogateEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] asciiEscapes = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (Character.isSurrogate((char) ch)) {
        return new SerializedString(String.format("\\u%04X", ch));
      }
      return null;
    }
  }
}
