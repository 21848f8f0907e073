package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
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
    // Streamed: each span is read as a small tree of its own and dropped once it is a RecordedSpan,
    // so a million-span document never stands in memory as one tree of JSON nodes.
    try (JsonParser parser = Reading.MAPPER.createParser(in)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IOException("not a " + FORMAT + " document: expected a JSON object but found "
            + (first == null ? "nothing" : Reading.MAPPER.readTree(parser).toString()));
      }
      ObjectNode root = Reading.MAPPER.createObjectNode();
      List<RecordedSpan> spans = null;
      List<JsonNode> spansBeforeFormat = null;
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        if (!field.equals("spans") || value != JsonToken.START_ARRAY) {
          root.set(field, Reading.MAPPER.readTree(parser));
          continue;
        }
        root.putArray(field); // marks it present; the spans themselves are kept apart
        boolean formatChecked = root.has("format");
        if (formatChecked) {
          checkFormat(root);
          spans = new ArrayList<>();
        } else {
          spansBeforeFormat = new ArrayList<>();
        }
        SpanReader reader = new SpanReader();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (formatChecked) {
            spans.add(reader.read(parser, "spans[" + i++ + "]"));
          } else {
            spansBeforeFormat.add(Reading.MAPPER.readTree(parser));
          }
        }
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new IOException("Trailing token (" + trailing + ") after the trace: a " + FORMAT
            + " document is one JSON object");
      }
      checkFormat(root);
      String traceId = text(root, "traceId", "", false);
      array(root, "spans", "");
      if (spans == null) {
        spans = new ArrayList<>();
        SpanReader reader = new SpanReader();
        int i = 0;
        for (JsonNode span : spansBeforeFormat) {
          try (JsonParser again = span.traverse(Reading.MAPPER)) {
            again.nextToken();
            spans.add(reader.read(again, "spans[" + i++ + "]"));
          }
        }
      }
      List<Problem> problems = new ArrayList<>();
      int i = 0;
      for (JsonNode problem : array(root, "problems", "")) {
        String where = "problems[" + i++ + "]";
        problems.add(new Problem(problemCode(problem, where), text(problem, "message", where, false),
            whole(problem, "spanId", where), map(problem, "context", where)));
      }
      long droppedSpans = whole(root, "droppedSpans", "");
      try {
        return Trace.of(traceId, spans, problems, droppedSpans);
      } catch (IllegalArgumentException e) {
        throw new IOException("not a valid trace: " + e.getMessage(), e);
      }
    }
  }

  private static void checkFormat(JsonNode root) throws IOException {
    String format = text(root, "format", "", false);
    if (!FORMAT.equals(format)) {
      throw new IOException("not a " + FORMAT + " document: format is '" + format + "' but must be '" + FORMAT + "'");
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

  // Each reader takes the node, the field's name and where the node is ("spans[2]", "" at the top)
  // and names the field's path only in an error: building it for every field was most of the cost.

  /**
   * Reads spans from the stream. A span's strings, whole numbers and booleans are read as they
   * come (a string equal to the same field's in the span before is that span's string again, so a
   * million spans share their trace id, kinds and thread names); its maps and lists, and any value
   * of an unexpected type, are read as trees and checked by the tree readers below.
   */
  private static final class SpanReader {
    private static final String[] SCALARS = {"traceId", "spanId", "parentId", "kind", "name", "startOffsetNanos",
        "startTime", "durationNanos", "ended", "marker", "status", "threadName", "droppedAttributes", "droppedEvents",
        "droppedLinks"};
    private static final Map<String, Integer> INDEX = new java.util.HashMap<>();

    static {
      for (int i = 0; i < SCALARS.length; i++) {
        INDEX.put(SCALARS[i], i);
      }
    }

    private static final int TRACE_ID = 0;
    private static final int SPAN_ID = 1;
    private static final int PARENT_ID = 2;
    private static final int KIND = 3;
    private static final int NAME = 4;
    private static final int START_OFFSET = 5;
    private static final int START_TIME = 6;
    private static final int DURATION = 7;
    private static final int ENDED = 8;
    private static final int MARKER = 9;
    private static final int STATUS = 10;
    private static final int THREAD_NAME = 11;
    private static final int DROPPED_ATTRIBUTES = 12;
    private static final int DROPPED_EVENTS = 13;
    private static final int DROPPED_LINKS = 14;

    private final String[] previous = new String[SCALARS.length];

    RecordedSpan read(JsonParser parser, String where) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new IOException(where + " must be an object but was " + Reading.MAPPER.readTree(parser));
      }
      Object[] values = new Object[SCALARS.length];
      ObjectNode nested = Reading.MAPPER.createObjectNode();
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken token = parser.nextToken();
        Integer index = INDEX.get(field);
        if (index == null) {
          nested.set(field, Reading.MAPPER.readTree(parser));
        } else if (token == JsonToken.VALUE_STRING) {
          values[index] = string(parser, index);
        } else if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          values[index] = parser.getLongValue();
        } else if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          values[index] = token == JsonToken.VALUE_TRUE;
        } else {
          values[index] = Reading.MAPPER.readTree(parser);
        }
      }
      List<SpanEvent> events = new ArrayList<>();
      int i = 0;
      for (JsonNode event : array(nested, "events", where)) {
        String at = where + ".events[" + i++ + "]";
        events.add(new SpanEvent(text(event, "name", at, false), nanos(event, "offsetNanos", at),
            instant(event, "time", at), map(event, "attributes", at)));
      }
      List<SpanLink> links = new ArrayList<>();
      i = 0;
      for (JsonNode link : array(nested, "links", where)) {
        String at = where + ".links[" + i++ + "]";
        links.add(new SpanLink(text(link, "traceId", at, false), whole(link, "spanId", at),
            map(link, "attributes", at)));
      }
      JsonNode error = field(nested, "error", where);
      ErrorInfo errorInfo = null;
      if (!error.isNull()) {
        String at = where + ".error";
        errorInfo = new ErrorInfo(text(error, "type", at, false), text(error, "message", at, true),
            text(error, "stackTrace", at, false));
      }
      String kind = textField(values, KIND, where);
      if (kind.isBlank()) {
        throw new IOException(path(where, "kind") + " must be a non-blank string but was '" + kind + "'");
      }
      return new RecordedSpan(
          textField(values, TRACE_ID, where),
          wholeField(values, SPAN_ID, where),
          wholeField(values, PARENT_ID, where),
          SpanKind.of(kind),
          textField(values, NAME, where),
          Duration.ofNanos(wholeField(values, START_OFFSET, where)),
          instant(textField(values, START_TIME, where), where, SCALARS[START_TIME]),
          Duration.ofNanos(wholeField(values, DURATION, where)),
          boolField(values, ENDED, where),
          boolField(values, MARKER, where),
          map(nested, "attributes", where),
          events,
          links,
          enumValue(SpanStatus.class, textField(values, STATUS, where), where, "status"),
          errorInfo,
          textField(values, THREAD_NAME, where),
          count(wholeField(values, DROPPED_ATTRIBUTES, where), where, SCALARS[DROPPED_ATTRIBUTES]),
          count(wholeField(values, DROPPED_EVENTS, where), where, SCALARS[DROPPED_EVENTS]),
          count(wholeField(values, DROPPED_LINKS, where), where, SCALARS[DROPPED_LINKS]));
    }

    /** The string at the parser, the previous span's instance if it has the same characters. */
    private String string(JsonParser parser, int index) throws IOException {
      String before = previous[index];
      int length = parser.getTextLength();
      if (before != null && before.length() == length) {
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int i = 0;
        while (i < length && chars[offset + i] == before.charAt(i)) {
          i++;
        }
        if (i == length) {
          return before;
        }
      }
      String text = parser.getText();
      previous[index] = text;
      return text;
    }

    private static Object present(Object[] values, int index, String where) throws IOException {
      Object value = values[index];
      if (value == null) {
        throw new IOException(path(where, SCALARS[index]) + " is missing");
      }
      return value;
    }

    private static String textField(Object[] values, int index, String where) throws IOException {
      Object value = present(values, index, where);
      if (value instanceof String) {
        return (String) value;
      }
      throw new IOException(path(where, SCALARS[index]) + " must be a string but was " + json(value));
    }

    private static long wholeField(Object[] values, int index, String where) throws IOException {
      Object value = present(values, index, where);
      if (value instanceof Long) {
        return (Long) value;
      }
      throw new IOException(path(where, SCALARS[index]) + " must be a whole number that fits a long but was "
          + json(value));
    }

    private static boolean boolField(Object[] values, int index, String where) throws IOException {
      Object value = present(values, index, where);
      if (value instanceof Boolean) {
        return (Boolean) value;
      }
      throw new IOException(path(where, SCALARS[index]) + " must be true or false but was " + json(value));
    }

    /** A value as the JSON it was read from, for an error message. */
    private static String json(Object value) {
      return value instanceof JsonNode ? value.toString() : Reading.MAPPER.valueToTree(value).toString();
    }
  }

  /** The path of field {@code name} of the node at {@code where}. */
  private static String path(String where, String name) {
    return where.isEmpty() ? name : where + "." + name;
  }

  private static ProblemCode problemCode(JsonNode problem, String where) throws IOException {
    return enumValue(ProblemCode.class, text(problem, "code", where, false), where, "code");
  }

  /** Field {@code field} of the node at {@code where}, holding {@code name}, as a constant of {@code type}. */
  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String where, String field)
      throws IOException {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IOException(path(where, field) + " is '" + name + "' but must be one of "
          + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  private static JsonNode field(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = parent.get(name);
    if (node == null) {
      throw new IOException(path(where, name) + " is missing");
    }
    return node;
  }

  private static String text(JsonNode parent, String name, String where, boolean nullable) throws IOException {
    JsonNode node = field(parent, name, where);
    if (nullable && node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IOException(path(where, name) + " must be a string but was " + node);
    }
    return node.textValue();
  }

  private static long whole(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IOException(path(where, name) + " must be a whole number that fits a long but was " + node);
    }
    return node.longValue();
  }

  /** {@code value}, read from field {@code name} of the node at {@code where}, as a count. */
  private static int count(long value, String where, String name) throws IOException {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IOException(path(where, name) + " must be from 0 to " + Integer.MAX_VALUE + " but was " + value);
    }
    return (int) value;
  }

  private static Duration nanos(JsonNode parent, String name, String where) throws IOException {
    return Duration.ofNanos(whole(parent, name, where));
  }

  private static Instant instant(JsonNode parent, String name, String where) throws IOException {
    return instant(text(parent, name, where, false), where, name);
  }

  /** {@code text}, read from field {@code name} of the node at {@code where}, as an instant. */
  private static Instant instant(String text, String where, String name) throws IOException {
    Instant written = parseWritten(text);
    if (written != null) {
      return written;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IOException(path(where, name) + " must be an ISO-8601 instant such as 2000-01-01T00:00:00Z but was '"
          + text + "'", e);
    }
  }

  /**
   * An instant in the form {@link Instant#toString()} writes for the years 0000 to 9999, read
   * without a formatter (the formatter was the slowest part of reading a span); null for any other
   * text, which {@link Instant#parse} then reads or rejects.
   */
  static Instant parseWritten(String text) {
    int length = text.length();
    if (length < 20 || length == 21 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z'
        || (length > 20 && text.charAt(19) != '.')) {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int nano = length == 20 ? 0 : digits(text, 20, length - 21);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || nano < 0) {
      return null;
    }
    for (int i = length - 21; i < 9 && length > 20; i++) {
      nano *= 10;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nano);
  }

  /** The number written with {@code count} decimal digits from {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static Map<String, Object> map(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isObject()) {
      throw new IOException(path(where, name) + " must be an object but was " + node);
    }
    return readMap(node, path(where, name));
  }

  private static Map<String, Object> readMap(JsonNode node, String where) throws IOException {
    if (node.isEmpty()) {
      return Map.of();
    }
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
      map.put(entry.getKey(), readValue(entry.getValue(), where, entry.getKey()));
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
      map.put(key, readValue(entry.get(1), at, null));
    }
    return map;
  }

  /**
   * The value of {@code node}, found at {@code where}, under {@code key} if not null (a map's entry);
   * the path is built only for an error or a container.
   */
  private static Object readValue(JsonNode node, String where, String key) throws IOException {
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
            throw new IOException(at(where, key) + " must fit a long but was " + node);
          }
          return node.longValue();
        }
        return node.doubleValue();
      case ARRAY: {
        String at = at(where, key);
        List<Object> items = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode item : node) {
          items.add(readValue(item, at + "[" + i++ + "]", null));
        }
        return items;
      }
      case OBJECT:
        if (node.size() == 1 && node.has(STRING_ESCAPE)) {
          JsonNode escaped = node.get(STRING_ESCAPE);
          if (!escaped.isTextual()) {
            throw new IOException(at(where, key) + "." + STRING_ESCAPE + " must be a string but was " + escaped);
          }
          return escaped.textValue();
        }
        return readMap(node, at(where, key));
      default:
        throw new IOException(at(where, key) + " must be a string, number, boolean, null, array or object but was "
            + node);
    }
  }

  private static String at(String where, String key) {
    return key == null ? where : where + "." + key;
  }

  private static Iterable<JsonNode> array(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isArray()) {
      throw new IOException(path(where, name) + " must be an array but was " + node);
    }
    return node;
  }

  /** Holds the mapper, so that writing (every failing test) never pays for creating it. */
  private static final class Reading {
    // Reads one value at a time from a streamed document; read() itself refuses trailing tokens.
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
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
