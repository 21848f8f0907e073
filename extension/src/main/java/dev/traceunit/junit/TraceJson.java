package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
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
import java.util.HashMap;
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
   * @throws IOException if writing fails
   */
  public static void write(Trace trace, String test, Writer out) throws IOException {
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(out, "out");
    try (JsonGenerator json = JsonSetup.generator(out).useDefaultPrettyPrinter()) {
      writeTrace(json, trace, test);
    }
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
      writeMap(json, "context", problem.context());
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
        if (root.has(field)) {
          throw duplicate(field, "the document");
        }
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
            spans.add(reader.read(parser, i++));
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
            spans.add(reader.read(again, i++));
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
    writeMap(json, "attributes", span.attributes());
    json.writeArrayFieldStart("events");
    for (SpanEvent event : span.events()) {
      json.writeStartObject();
      json.writeStringField("name", event.name());
      json.writeNumberField("offsetNanos", event.offset().toNanos());
      json.writeStringField("time", event.time().toString());
      writeMap(json, "attributes", event.attributes());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("links");
    for (SpanLink link : span.links()) {
      json.writeStartObject();
      json.writeStringField("traceId", link.traceId());
      json.writeNumberField("spanId", link.spanId());
      writeMap(json, "attributes", link.attributes());
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

  private static void writeMap(JsonGenerator json, String field, Map<String, ?> map) throws IOException {
    json.writeFieldName(field);
    JsonValues.writeMap(json, map);
  }

  // ---- reading

  // Each reader takes the node, the field's name and where the node is ("spans[2]", "" at the top)
  // and names the field's path only in an error: building it for every field was most of the cost.

  /**
   * Reads spans straight from the stream, with no tree of JSON nodes: a span's strings, whole
   * numbers, booleans, instants, maps and lists are read as they come, and a string, duration or
   * instant equal to the same field's in the object before is that object's instance again (so a
   * million spans share their trace id, kinds and thread names). Where a value sits is spelled
   * only for an error. A map whose first key is an escape ({@code $string}, {@code $map}, {@code
   * $entries}) is read as a tree and left to the tree readers below, which know the escapes.
   */
  private static final class SpanReader {
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
    private static final int ATTRIBUTES = 15;
    private static final int EVENTS = 16;
    private static final int LINKS = 17;
    private static final int ERROR = 18;

    private final Place spanPlace = new Place(null, "spans", 0);
    private final Shape span = new Shape(spanPlace, START_TIME, "traceId", "spanId", "parentId", "kind", "name", "startOffsetNanos",
        "startTime", "durationNanos", "ended", "marker", "status", "threadName", "droppedAttributes", "droppedEvents",
        "droppedLinks", "attributes", "events", "links", "error");
    private final Shape event = new Shape(new Place(spanPlace, "events", 0), 2, "name", "offsetNanos", "time",
        "attributes");
    private final Shape link = new Shape(new Place(spanPlace, "links", 0), -1, "traceId", "spanId", "attributes");
    private final Shape error = new Shape(new Place(spanPlace, "error", -1), -1, "type", "message", "stackTrace");

    RecordedSpan read(JsonParser parser, int index) throws IOException {
      Place where = spanPlace;
      where.index = index;
      Shape s = span;
      s.read(this, parser);
      String kind = s.text(KIND, where);
      if (kind.isBlank()) {
        throw new IOException(path(where, "kind") + " must be a non-blank string but was '" + kind + "'");
      }
      Object errorInfo = s.present(ERROR, where);
      if (!(errorInfo instanceof ErrorInfo) && !(errorInfo instanceof NullNode)) {
        throw new IOException(path(where, "error") + " must be an object or null but was " + errorInfo);
      }
      return new RecordedSpan(
          s.text(TRACE_ID, where),
          s.whole(SPAN_ID, where),
          s.whole(PARENT_ID, where),
          SpanKind.of(kind),
          s.text(NAME, where),
          s.duration(START_OFFSET, where),
          s.instant(START_TIME, where),
          s.duration(DURATION, where),
          s.bool(ENDED, where),
          s.bool(MARKER, where),
          s.map(ATTRIBUTES, where),
          s.list(EVENTS, where, SpanEvent.class),
          s.list(LINKS, where, SpanLink.class),
          enumValue(SpanStatus.class, s.text(STATUS, where), where, "status"),
          errorInfo instanceof ErrorInfo ? (ErrorInfo) errorInfo : null,
          s.text(THREAD_NAME, where),
          count(s.whole(DROPPED_ATTRIBUTES, where), where, s.names[DROPPED_ATTRIBUTES]),
          count(s.whole(DROPPED_EVENTS, where), where, s.names[DROPPED_EVENTS]),
          count(s.whole(DROPPED_LINKS, where), where, s.names[DROPPED_LINKS]));
    }

    /** The value of a field that is not a string, number or boolean: a span's maps and lists, an error. */
    Object nested(JsonParser parser, JsonToken token, Shape shape, String field) throws IOException {
      switch (field) {
        case "attributes":
          if (token != JsonToken.START_OBJECT) {
            return Reading.MAPPER.readTree(parser); // rejected by Shape.map, naming the value
          }
          return streamObject(parser, shape.attributes, false, shape.scratch, shape.lastValues);
        case "events":
          return token == JsonToken.START_ARRAY ? events(parser) : Reading.MAPPER.readTree(parser);
        case "links":
          return token == JsonToken.START_ARRAY ? links(parser) : Reading.MAPPER.readTree(parser);
        case "error":
          if (token == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
          }
          return token == JsonToken.START_OBJECT ? error(parser) : Reading.MAPPER.readTree(parser);
        default:
          return null; // a scalar
      }
    }

    private List<SpanEvent> events(JsonParser parser) throws IOException {
      List<SpanEvent> events = null;
      Shape e = event;
      Place at = e.place;
      for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
        if (events == null) {
          events = new ArrayList<>(2);
        }
        at.index = events.size();
        if (item != JsonToken.START_OBJECT) {
          throw new IOException(at + " must be an object but was " + Reading.MAPPER.readTree(parser));
        }
        e.read(this, parser);
        events.add(new SpanEvent(e.text(0, at), e.duration(1, at), e.instant(2, at), e.map(3, at)));
      }
      return events == null ? List.of() : events;
    }

    private List<SpanLink> links(JsonParser parser) throws IOException {
      List<SpanLink> links = null;
      Shape l = link;
      Place at = l.place;
      for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
        if (links == null) {
          links = new ArrayList<>(2);
        }
        at.index = links.size();
        if (item != JsonToken.START_OBJECT) {
          throw new IOException(at + " must be an object but was " + Reading.MAPPER.readTree(parser));
        }
        l.read(this, parser);
        links.add(new SpanLink(l.text(0, at), l.whole(1, at), l.map(2, at)));
      }
      return links == null ? List.of() : links;
    }

    private ErrorInfo error(JsonParser parser) throws IOException {
      Shape e = error;
      e.read(this, parser);
      return new ErrorInfo(e.text(0, e.place), e.nullableText(1, e.place), e.text(2, e.place));
    }
  }

  /**
   * The fields of one kind of object (a span, an event, a link, an error), read into arrays that the
   * next object of that kind reuses: a whole number is kept in {@code longs}, marked {@link #LONG}.
   * Its place and its attributes' are reused too (their index set for each object), and so is the
   * map its attributes are read into: the span, event or link built from them freezes a copy of it
   * ({@code Values.freeze}), so it is cleared for the next object.
   */
  private static final class Shape {
    private static final Object LONG = new Object();

    final Place place;
    final Place attributes;
    final Map<String, Object> scratch = new LinkedHashMap<>();
    /** The string value each attribute key had when last read, for objects of this kind. */
    final LastValues lastValues = new LastValues();
    final String[] names;
    private final SerializableString[] quoted;
    /** The field that holds an instant, read from the parser's characters without a string; or -1. */
    private final int instant;
    private final Object[] values;
    private final long[] longs;
    /** The previous object's strings, durations and instants, by field. */
    private final Object[] previous;
    private final long[] previousNanos;

    Shape(Place place, int instant, String... names) {
      this.place = place;
      this.attributes = new Place(place, "attributes", -1);
      this.instant = instant;
      this.names = names;
      this.quoted = new SerializableString[names.length];
      for (int i = 0; i < names.length; i++) {
        quoted[i] = new SerializedString(names[i]);
      }
      this.values = new Object[names.length];
      this.longs = new long[names.length];
      this.previous = new Object[names.length];
      this.previousNanos = new long[names.length];
    }

    /** Reads the fields of the object that starts at the parser; fields of other names are skipped. */
    void read(SpanReader reader, JsonParser parser) throws IOException {
      Arrays.fill(values, null);
      scratch.clear();
      Place where = place;
      int expected = 0;
      while (true) {
        // The fields are usually in the order write() puts them: the parser then matches the expected
        // name's characters in place instead of looking the name up (most of reading a span).
        String field;
        int index;
        if (expected < names.length && parser.nextFieldName(quoted[expected])) {
          index = expected;
          field = names[index];
        } else if (expected < names.length) {
          if (parser.currentToken() != JsonToken.FIELD_NAME) {
            break;
          }
          field = parser.currentName();
          index = indexOf(field);
        } else {
          field = parser.nextFieldName();
          if (field == null) {
            break;
          }
          index = indexOf(field);
        }
        expected = index + 1;
        JsonToken token = parser.nextToken();
        if (index < 0) {
          parser.skipChildren();
          continue;
        }
        if (values[index] != null) {
          throw duplicate(field, where);
        }
        Object nested = reader.nested(parser, token, this, field);
        if (nested != null) {
          values[index] = nested;
        } else if (token == JsonToken.VALUE_STRING && index == instant) {
          Instant written = parseWritten(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
          values[index] = written != null ? written : parser.getText();
        } else if (token == JsonToken.VALUE_STRING) {
          values[index] = string(parser, index);
        } else if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          longs[index] = parser.getLongValue();
          values[index] = LONG;
        } else if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          values[index] = token == JsonToken.VALUE_TRUE;
        } else if (token == JsonToken.VALUE_NULL) {
          values[index] = NullNode.getInstance();
        } else {
          values[index] = Reading.MAPPER.readTree(parser); // a value of the wrong type
        }
      }
    }

    private int indexOf(String field) {
      for (int i = 0; i < names.length; i++) {
        if (names[i] == field) { // Jackson interns field names, so this is the usual match
          return i;
        }
      }
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(field)) {
          return i;
        }
      }
      return -1;
    }

    /** The string at the parser, the previous object's instance if it has the same characters. */
    private String string(JsonParser parser, int index) throws IOException {
      Object before = previous[index];
      if (before instanceof String && isAtParser(parser, (String) before)) {
        return (String) before;
      }
      String text = parser.getText();
      previous[index] = text;
      return text;
    }

    Object present(int index, Place where) throws IOException {
      Object value = values[index];
      if (value == null) {
        throw new IOException(path(where, names[index]) + " is missing");
      }
      return value;
    }

    String text(int index, Place where) throws IOException {
      Object value = present(index, where);
      if (value instanceof String) {
        return (String) value;
      }
      throw new IOException(path(where, names[index]) + " must be a string but was " + json(index));
    }

    String nullableText(int index, Place where) throws IOException {
      return present(index, where) instanceof NullNode ? null : text(index, where);
    }

    long whole(int index, Place where) throws IOException {
      if (present(index, where) == LONG) {
        return longs[index];
      }
      throw new IOException(path(where, names[index]) + " must be a whole number that fits a long but was "
          + json(index));
    }

    boolean bool(int index, Place where) throws IOException {
      Object value = present(index, where);
      if (value instanceof Boolean) {
        return (Boolean) value;
      }
      throw new IOException(path(where, names[index]) + " must be true or false but was " + json(index));
    }

    /** The whole number of nanoseconds in the field as a duration, the previous object's if it is the same. */
    Duration duration(int index, Place where) throws IOException {
      long nanos = whole(index, where);
      if (previous[index] instanceof Duration && previousNanos[index] == nanos) {
        return (Duration) previous[index];
      }
      Duration duration = Duration.ofNanos(nanos);
      previous[index] = duration;
      previousNanos[index] = nanos;
      return duration;
    }

    Instant instant(int index, Place where) throws IOException {
      if (values[index] instanceof Instant) {
        return (Instant) values[index];
      }
      return TraceJson.instant(text(index, where), where.toString(), names[index]);
    }

    Map<String, Object> map(int index, Place where) throws IOException {
      Object value = present(index, where);
      if (value instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
      }
      throw new IOException(path(where, names[index]) + " must be an object but was " + json(index));
    }

    <T> List<T> list(int index, Place where, Class<T> type) throws IOException {
      Object value = present(index, where);
      if (value instanceof List) {
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) value;
        return list;
      }
      throw new IOException(path(where, names[index]) + " must be an array but was " + json(index));
    }

    /** A field's value as the JSON it was read from, for an error message. */
    private String json(int index) {
      Object value = values[index];
      if (value == LONG) {
        return Long.toString(longs[index]);
      }
      return value instanceof JsonNode ? value.toString() : Reading.MAPPER.valueToTree(value).toString();
    }
  }

  /** Where a value is, e.g. {@code spans[2].events[0].attributes}, spelled only when asked. */
  private static final class Place {
    private final Place parent;
    private final String name;
    /** Which item of an array it is, or -1; set again for each item when a place is reused. */
    int index;

    /** The field {@code name} (or, if null, the array item {@code index}) of {@code parent}. */
    Place(Place parent, String name, int index) {
      this.parent = parent;
      this.name = name;
      this.index = index;
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      append(text);
      return text.toString();
    }

    private void append(StringBuilder text) {
      if (parent != null) {
        parent.append(text);
        if (name != null) {
          text.append('.');
        }
      }
      if (name != null) {
        text.append(name);
      }
      if (index >= 0) {
        text.append('[').append(index).append(']');
      }
    }
  }

  /** Whether the string at the parser has the characters of {@code text}, compared in the parser's buffer. */
  private static boolean isAtParser(JsonParser parser, String text) throws IOException {
    int length = parser.getTextLength();
    if (text.length() != length) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < length; i++) {
      if (chars[offset + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The string value of each attribute key as last read: a value equal to it is that instance again,
   * so a million spans with the same statement, URL or method hold it once. Bounded: at most
   * {@value #KEYS} keys, and values up to {@value #LENGTH} characters.
   */
  private static final class LastValues {
    private static final int KEYS = 1024;
    private static final int LENGTH = 1024;
    private final Map<String, String> byKey = new HashMap<>();

    /** The string value at the parser, of attribute {@code key}; a non-finite number's name is that number. */
    Object read(JsonParser parser, String key) throws IOException {
      String before = byKey.get(key);
      if (before != null && isAtParser(parser, before)) {
        return before;
      }
      String text = parser.getText();
      Object value = JsonValues.fromText(text);
      if (value != text) {
        return value; // NaN or an infinity
      }
      if (text.length() <= LENGTH && (before != null || byKey.size() < KEYS)) {
        byKey.put(key, text);
      }
      return text;
    }
  }

  private static IOException duplicate(String field, Object where) {
    return new IOException("Duplicate field '" + field + "' in " + where);
  }

  /**
   * The object whose fields follow at the parser, at {@code where}: a map, or, for a value (not a
   * field that must hold a map), the string of a {@code $string} escape.
   */
  private static Object streamObject(JsonParser parser, Place where, boolean value, Map<String, Object> into,
      LastValues lastValues) throws IOException {
    String key = parser.nextFieldName();
    if (key == null) {
      return Map.of();
    }
    if (JsonValues.isEscape(key)) {
      ObjectNode node = Reading.MAPPER.createObjectNode();
      for (; key != null; key = parser.nextFieldName()) {
        parser.nextToken();
        if (node.has(key)) {
          throw duplicate(key, where);
        }
        node.set(key, Reading.MAPPER.readTree(parser));
      }
      return value ? JsonValues.readValue(node, where.toString(), null) : JsonValues.readMap(node, where.toString());
    }
    Map<String, Object> map = into != null ? into : new LinkedHashMap<>(4);
    for (; key != null; key = parser.nextFieldName()) {
      JsonToken token = parser.nextToken();
      int size = map.size();
      map.put(key, token == JsonToken.VALUE_STRING && lastValues != null ? lastValues.read(parser, key)
          : streamValue(parser, token, where, key));
      if (map.size() == size) {
        throw duplicate(key, where);
      }
    }
    return map;
  }

  /** The value at the parser, found at {@code where} under {@code key} (a map's entry) if not null. */
  private static Object streamValue(JsonParser parser, JsonToken token, Place where, String key) throws IOException {
    switch (token) {
      case VALUE_NULL:
        return null;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_STRING: {
        return JsonValues.fromText(parser.getText());
      }
      case VALUE_NUMBER_INT:
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new IOException(at(where, key) + " must fit a long but was " + parser.getText());
        }
        return parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case START_ARRAY: {
        Place at = key == null ? where : new Place(where, key, -1);
        List<Object> items = new ArrayList<>();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
          items.add(streamValue(parser, item, new Place(at, null, items.size()), null));
        }
        return items;
      }
      case START_OBJECT:
        return streamObject(parser, key == null ? where : new Place(where, key, -1), true, null, null);
      default:
        throw new IOException(at(where, key) + " must be a string, number, boolean, null, array or object but was "
            + Reading.MAPPER.readTree(parser));
    }
  }

  private static String at(Place where, String key) {
    return key == null ? where.toString() : where + "." + key;
  }

  /** The path of field {@code name} of the node at {@code where}. */
  private static String path(Object where, String name) {
    String at = where.toString();
    return at.isEmpty() ? name : at + "." + name;
  }

  private static ProblemCode problemCode(JsonNode problem, String where) throws IOException {
    return enumValue(ProblemCode.class, text(problem, "code", where, false), where, "code");
  }

  /** Field {@code field} of the node at {@code where}, holding {@code name}, as a constant of {@code type}. */
  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, Object where, String field)
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
  private static int count(long value, Object where, String name) throws IOException {
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new IOException(path(where, name) + " must be from 0 to " + Integer.MAX_VALUE + " but was " + value);
    }
    return (int) value;
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
    return parseWritten(text.toCharArray(), 0, text.length());
  }

  /** {@link #parseWritten(String)} of the {@code length} characters from {@code offset}, as the parser holds them. */
  private static Instant parseWritten(char[] text, int offset, int length) {
    if (length < 20 || length == 21 || length > 30 || text[offset + 4] != '-' || text[offset + 7] != '-'
        || text[offset + 10] != 'T' || text[offset + 13] != ':' || text[offset + 16] != ':'
        || text[offset + length - 1] != 'Z' || (length > 20 && text[offset + 19] != '.')) {
      return null;
    }
    int year = digits(text, offset, 4);
    int month = digits(text, offset + 5, 2);
    int day = digits(text, offset + 8, 2);
    int hour = digits(text, offset + 11, 2);
    int minute = digits(text, offset + 14, 2);
    int second = digits(text, offset + 17, 2);
    int nano = length == 20 ? 0 : digits(text, offset + 20, length - 21);
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
  private static int digits(char[] text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text[i];
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
    return JsonValues.readMap(node, path(where, name));
  }

  private static Iterable<JsonNode> array(JsonNode parent, String name, String where) throws IOException {
    JsonNode node = field(parent, name, where);
    if (!node.isArray()) {
      throw new IOException(path(where, name) + " must be an array but was " + node);
    }
    return node;
  }

  /** The mapper, held so that writing never pays for making it. */
  private static final class Reading {
    static final ObjectMapper MAPPER = JsonSetup.mapper();
  }
}
