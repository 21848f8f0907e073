package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.OtlpIds;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link Trace} as an OpenTelemetry OTLP/JSON {@code TracesData} document, which Jaeger,
 * Grafana Tempo and otel-desktop-viewer import.
 *
 * <pre>{@code
 * try (Writer out = Files.newBufferedWriter(Path.of("trace.otlp.json"))) {
 *   OtlpJson.write(spans.snapshot(), out);
 * }
 * }</pre>
 *
 * <p>Ids are derived, so the same test gives the same document on every run: the trace id is the
 * first 16 bytes of the SHA-256 of traceunit's trace id, a span id is traceunit's span id (1, 2,
 * 3…) as 16 hex digits. Times are the spans' wall-clock start plus their monotonic duration, in
 * unix nanoseconds (the mock clock's time in tests). The five standard kinds map to OTLP's; a
 * custom kind becomes {@code SPAN_KIND_INTERNAL} with the attribute {@value #KIND_ATTRIBUTE}. An
 * open span ends at the snapshot and carries {@code traceunit.open=true}; the trace's problems are
 * the resource attribute {@code traceunit.problems}.
 */
public final class OtlpJson {

  /** The attribute that keeps the name of a custom span kind. */
  public static final String KIND_ATTRIBUTE = "traceunit.kind";

  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private OtlpJson() {}

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
   * Writes {@code trace}, recorded by the test whose unique id is {@code test} (or null), to
   * {@code out}; {@code out} is flushed, not closed.
   *
   * @param trace the trace to write
   * @param test the test's unique id, or null
   * @param out where to write it
   * @throws IOException if writing fails
   */
  public static void write(Trace trace, String test, Writer out) throws IOException {
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(out, "out");
    String traceId = traceId(trace.traceId());
    JsonGenerator json = FACTORY.createGenerator(out);
    json.writeStartObject();
    json.writeArrayFieldStart("resourceSpans");
    json.writeStartObject();
    json.writeObjectFieldStart("resource");
    json.writeArrayFieldStart("attributes");
    keyValue(json, "service.name", "traceunit");
    keyValue(json, "traceunit.trace.id", trace.traceId());
    if (test != null) {
      keyValue(json, "traceunit.test", test);
    }
    if (!trace.problems().isEmpty()) {
      keyValue(json, "traceunit.problems", trace.problems().stream().map(Problem::toString).toList());
    }
    if (trace.droppedSpans() > 0) {
      keyValue(json, "traceunit.dropped_spans", trace.droppedSpans());
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeArrayFieldStart("scopeSpans");
    json.writeStartObject();
    json.writeObjectFieldStart("scope");
    json.writeStringField("name", "dev.traceunit");
    json.writeEndObject();
    json.writeArrayFieldStart("spans");
    for (RecordedSpan span : trace.spans()) {
      writeSpan(json, traceId, span);
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    json.flush();
  }

  /**
   * {@return the OTLP trace id of a traceunit trace id: 32 lower-case hex digits, the same on every run}
   *
   * @param traceunitTraceId a traceunit trace id
   */
  public static String traceId(String traceunitTraceId) {
    return OtlpIds.traceId(traceunitTraceId);
  }

  /**
   * {@return the OTLP span id of a traceunit span id: 16 lower-case hex digits}
   *
   * @param traceunitSpanId a traceunit span id
   */
  public static String spanId(long traceunitSpanId) {
    return OtlpIds.spanId(traceunitSpanId);
  }

  private static void writeSpan(JsonGenerator json, String traceId, RecordedSpan span) throws IOException {
    long start = unixNanos(span.startTime(), Duration.ZERO);
    json.writeStartObject();
    json.writeStringField("traceId", traceId);
    json.writeStringField("spanId", spanId(span.spanId()));
    if (!span.isRoot()) {
      json.writeStringField("parentSpanId", spanId(span.parentId()));
    }
    json.writeStringField("name", span.name());
    json.writeNumberField("kind", kind(span.kind()));
    json.writeStringField("startTimeUnixNano", Long.toUnsignedString(start));
    json.writeStringField("endTimeUnixNano", Long.toUnsignedString(unixNanos(span.startTime(), span.duration())));
    json.writeArrayFieldStart("attributes");
    for (Map.Entry<String, Object> attribute : span.attributes().entrySet()) {
      keyValue(json, attribute.getKey(), attribute.getValue());
    }
    if (!span.kind().isStandard()) {
      keyValue(json, KIND_ATTRIBUTE, span.kind().name());
    }
    keyValue(json, "thread.name", span.threadName());
    if (!span.ended()) {
      keyValue(json, "traceunit.open", true);
    }
    if (span.marker()) {
      keyValue(json, "traceunit.marker", true);
    }
    json.writeEndArray();
    writeCount(json, "droppedAttributesCount", span.droppedAttributes());
    json.writeArrayFieldStart("events");
    boolean exceptionEvent = false;
    for (SpanEvent event : span.events()) {
      exceptionEvent |= event.name().equals("exception");
      writeEvent(json, unixNanos(span.startTime(), event.offset()), event.name(), event.attributes());
    }
    ErrorInfo error = span.error();
    if (error != null && !exceptionEvent) {
      // The event limit cut the exception event, or a bridged tracer set the error alone.
      writeEvent(json, unixNanos(span.startTime(), span.duration()), "exception", exceptionAttributes(error));
    }
    json.writeEndArray();
    writeCount(json, "droppedEventsCount", span.droppedEvents());
    json.writeArrayFieldStart("links");
    for (SpanLink link : span.links()) {
      json.writeStartObject();
      json.writeStringField("traceId", traceId(link.traceId()));
      json.writeStringField("spanId", spanId(link.spanId()));
      json.writeArrayFieldStart("attributes");
      for (Map.Entry<String, Object> attribute : link.attributes().entrySet()) {
        keyValue(json, attribute.getKey(), attribute.getValue());
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    writeCount(json, "droppedLinksCount", span.droppedLinks());
    json.writeObjectFieldStart("status");
    if (span.status() == SpanStatus.ERROR) {
      json.writeStringField("message", error == null ? "" : error.message() == null ? error.type() : error.message());
      json.writeNumberField("code", 2);
    } else if (span.status() == SpanStatus.OK) {
      json.writeNumberField("code", 1);
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static Map<String, Object> exceptionAttributes(ErrorInfo error) {
    return error.message() == null
        ? Map.of("exception.type", error.type(), "exception.stacktrace", error.stackTrace())
        : Map.of("exception.type", error.type(), "exception.message", error.message(),
            "exception.stacktrace", error.stackTrace());
  }

  private static void writeEvent(JsonGenerator json, long time, String name, Map<String, Object> attributes)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("timeUnixNano", Long.toUnsignedString(time));
    json.writeStringField("name", name);
    json.writeArrayFieldStart("attributes");
    for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
      keyValue(json, attribute.getKey(), attribute.getValue());
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeCount(JsonGenerator json, String field, int count) throws IOException {
    if (count > 0) {
      json.writeNumberField(field, count);
    }
  }

  /** OTLP's enum values, which OTLP/JSON writes as numbers. */
  private static int kind(SpanKind kind) {
    if (kind == SpanKind.SERVER) {
      return 2;
    } else if (kind == SpanKind.CLIENT) {
      return 3;
    } else if (kind == SpanKind.PRODUCER) {
      return 4;
    } else if (kind == SpanKind.CONSUMER) {
      return 5;
    }
    return 1; // SPAN_KIND_INTERNAL, also for custom kinds
  }

  /**
   * {@code time + offset} in nanoseconds since the epoch; times before 1970 are pinned to 0 (OTLP's
   * fixed64 has none) and times after 2262 (beyond a signed long of nanoseconds) to its maximum.
   */
  static long unixNanos(Instant time, Duration offset) {
    Instant at = time.plus(offset);
    if (at.getEpochSecond() < 0) {
      return 0;
    }
    try {
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    } catch (ArithmeticException beyond2262) {
      return Long.MAX_VALUE;
    }
  }

  private static void keyValue(JsonGenerator json, String key, Object value) throws IOException {
    json.writeStartObject();
    json.writeStringField("key", key);
    json.writeFieldName("value");
    anyValue(json, value);
    json.writeEndObject();
  }

  private static void anyValue(JsonGenerator json, Object value) throws IOException {
    json.writeStartObject();
    if (value instanceof Boolean b) {
      json.writeBooleanField("boolValue", b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      json.writeStringField("intValue", value.toString()); // int64: a string in proto3 JSON
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        json.writeNumberField("doubleValue", d);
      } else {
        json.writeStringField("doubleValue", Double.toString(d)); // "NaN", "Infinity", "-Infinity"
      }
    } else if (value instanceof List<?> list) {
      json.writeObjectFieldStart("arrayValue");
      json.writeArrayFieldStart("values");
      for (Object item : list) {
        anyValue(json, item);
      }
      json.writeEndArray();
      json.writeEndObject();
    } else if (value instanceof Map<?, ?> map) {
      json.writeObjectFieldStart("kvlistValue");
      json.writeArrayFieldStart("values");
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        keyValue(json, String.valueOf(entry.getKey()), entry.getValue());
      }
      json.writeEndArray();
      json.writeEndObject();
    } else if (value != null) {
      json.writeStringField("stringValue", value.toString());
    }
    json.writeEndObject(); // null: an empty AnyValue
  }
}
