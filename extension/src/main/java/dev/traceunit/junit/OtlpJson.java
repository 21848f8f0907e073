package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.OtlpIds;
import dev.traceunit.core.internal.Values;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

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
 * open span ends at the snapshot and carries {@code traceunit.open=true}, a marker {@code
 * traceunit.marker=true}, every span its thread as {@code thread.name}; these are added only where
 * the span has no attribute of that key (the span's own attributes win), so every key is written
 * once. The trace's problems are the resource attribute {@code traceunit.problems}.
 *
 * <p>Spans recorded through {@code Tracing} are under the instrumentation scope {@value
 * #TRACEUNIT_SCOPE}; spans the OpenTelemetry bridge recorded (module traceunit-otel) keep their own
 * scope, name and version (e.g. {@code io.opentelemetry.okhttp-3.0}), one {@code scopeSpans} entry
 * per scope, traceunit's first, then by name. The SDK's resource attributes are the resource's,
 * its {@code service.name} included, followed by traceunit's own ({@code service.name=traceunit}
 * only where no SDK names a service); of a trace with spans from several SDKs, the resource holds
 * all their attributes, the first SDK's value winning. The attributes that carried scope and
 * resource in the trace ({@code otel.scope.name}, {@code otel.scope.version}, {@code otel.resource})
 * are not repeated on the spans.
 *
 * <p>Strict OTLP readers want UTF-8: an unpaired surrogate in any text becomes U+FFFD (trace.json
 * keeps it exactly), so any {@code Writer} will do, {@code Files.newBufferedWriter} included.
 */
public final class OtlpJson {

  /** The attribute that keeps the name of a custom span kind. */
  public static final String KIND_ATTRIBUTE = "traceunit.kind";
  /** The attribute that says a span was still open when the trace was taken. */
  public static final String OPEN_ATTRIBUTE = "traceunit.open";
  /** The attribute that marks a marker span (zero duration, a point in the tree). */
  public static final String MARKER_ATTRIBUTE = "traceunit.marker";
  /** The thread a span started on, OpenTelemetry's semantic-convention key. */
  public static final String THREAD_ATTRIBUTE = "thread.name";
  /** The instrumentation scope of the spans recorded through {@code Tracing}. */
  public static final String TRACEUNIT_SCOPE = "dev.traceunit";

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
    Map<String, Object> sdkResource = new LinkedHashMap<>();
    Map<ScopeKey, List<RecordedSpan>> scopes = new TreeMap<>();
    for (RecordedSpan span : trace.spans()) {
      if (span.attributes().get(OtlpIds.RESOURCE) instanceof Map<?, ?> resource) {
        resource.forEach((key, value) -> sdkResource.putIfAbsent(String.valueOf(key), value));
      }
      scopes.computeIfAbsent(ScopeKey.of(span), key -> new ArrayList<>()).add(span);
    }
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("service.name", "traceunit");
    own.put("traceunit.trace.id", trace.traceId());
    if (test != null) {
      own.put("traceunit.test", test);
    }
    if (!trace.problems().isEmpty()) {
      own.put("traceunit.problems", trace.problems().stream().map(Problem::toString).toList());
    }
    if (trace.droppedSpans() > 0) {
      own.put("traceunit.dropped_spans", trace.droppedSpans());
    }
    JsonGenerator json = JsonSetup.generator(out);
    json.writeStartObject();
    json.writeArrayFieldStart("resourceSpans");
    json.writeStartObject();
    json.writeObjectFieldStart("resource");
    json.writeFieldName("attributes");
    keyValues(json, sdkResource, own);
    json.writeEndObject();
    json.writeArrayFieldStart("scopeSpans");
    if (scopes.isEmpty()) {
      scopes.put(ScopeKey.TRACEUNIT, List.of());
    }
    for (Map.Entry<ScopeKey, List<RecordedSpan>> scope : scopes.entrySet()) {
      json.writeStartObject();
      json.writeObjectFieldStart("scope");
      json.writeStringField("name", text(scope.getKey().name));
      if (scope.getKey().version != null) {
        json.writeStringField("version", text(scope.getKey().version));
      }
      json.writeEndObject();
      json.writeArrayFieldStart("spans");
      for (RecordedSpan span : scope.getValue()) {
        writeSpan(json, traceId, span);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    json.flush();
  }

  /**
   * The instrumentation scope of a span: the one the OpenTelemetry bridge recorded in its
   * attributes, or traceunit's own. Ordered with traceunit's first, then by name and version.
   */
  private record ScopeKey(String name, String version) implements Comparable<ScopeKey> {
    static final ScopeKey TRACEUNIT = new ScopeKey(TRACEUNIT_SCOPE, null);

    static ScopeKey of(RecordedSpan span) {
      if (!(span.attributes().get(OtlpIds.SCOPE_NAME) instanceof String name)) {
        return TRACEUNIT;
      }
      return new ScopeKey(name, span.attributes().get(OtlpIds.SCOPE_VERSION) instanceof String version ? version : null);
    }

    @Override
    public int compareTo(ScopeKey other) {
      return ORDER.compare(this, other);
    }

    private static final Comparator<ScopeKey> ORDER = Comparator
        .comparing((ScopeKey key) -> !key.equals(TRACEUNIT))
        .thenComparing(ScopeKey::name)
        .thenComparing(ScopeKey::version, Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  /** The span's attributes without those that carry its scope and resource, which OTLP has places for. */
  private static Map<String, Object> exportedAttributes(RecordedSpan span) {
    Map<String, Object> attributes = span.attributes();
    boolean scope = attributes.get(OtlpIds.SCOPE_NAME) instanceof String;
    boolean version = scope && attributes.get(OtlpIds.SCOPE_VERSION) instanceof String;
    boolean resource = attributes.get(OtlpIds.RESOURCE) instanceof Map;
    if (!scope && !resource) {
      return attributes; // the usual case: nothing copied
    }
    Map<String, Object> exported = new LinkedHashMap<>(attributes);
    if (scope) {
      exported.remove(OtlpIds.SCOPE_NAME);
    }
    if (version) {
      exported.remove(OtlpIds.SCOPE_VERSION);
    }
    if (resource) {
      exported.remove(OtlpIds.RESOURCE);
    }
    return exported;
  }

  /**
   * {@return the OTLP trace id of a traceunit trace id: 32 lower-case hex digits, the same on every run}
   *
   * @param traceunitTraceId a traceunit trace id
   */
  static String traceId(String traceunitTraceId) {
    return OtlpIds.traceId(traceunitTraceId);
  }

  /**
   * {@return the OTLP span id of a traceunit span id: 16 lower-case hex digits}
   *
   * @param traceunitSpanId a traceunit span id
   */
  static String spanId(long traceunitSpanId) {
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
    json.writeStringField("name", text(span.name()));
    json.writeNumberField("kind", kind(span.kind()));
    json.writeStringField("startTimeUnixNano", Long.toUnsignedString(start));
    json.writeStringField("endTimeUnixNano", Long.toUnsignedString(unixNanos(span.startTime(), span.duration())));
    // traceunit's own attributes come after the span's, each only where the span has no attribute of that key
    Map<String, Object> own = new LinkedHashMap<>();
    if (!span.kind().isStandard()) {
      own.put(KIND_ATTRIBUTE, span.kind().name());
    }
    own.put(THREAD_ATTRIBUTE, span.threadName());
    if (!span.ended()) {
      own.put(OPEN_ATTRIBUTE, true);
    }
    if (span.marker()) {
      own.put(MARKER_ATTRIBUTE, true);
    }
    json.writeFieldName("attributes");
    keyValues(json, exportedAttributes(span), own);
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
      json.writeFieldName("attributes");
      keyValues(json, link.attributes(), Map.of());
      json.writeEndObject();
    }
    json.writeEndArray();
    writeCount(json, "droppedLinksCount", span.droppedLinks());
    json.writeObjectFieldStart("status");
    if (span.status() == SpanStatus.ERROR) {
      json.writeStringField("message", text(error == null ? "" : error.message() == null ? error.type() : error.message()));
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
    json.writeStringField("name", text(name));
    json.writeFieldName("attributes");
    keyValues(json, attributes, Map.of());
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

  /**
   * An array of key-values with unique keys: {@code map}'s entries, then those of {@code own} whose
   * key {@code map} does not have. Two keys that differ only in unpaired surrogates would be equal
   * once those are replaced; the later one gets a {@code " (2)"}-style suffix.
   */
  private static void keyValues(JsonGenerator json, Map<?, ?> map, Map<String, Object> own) throws IOException {
    json.writeStartArray();
    Set<String> written = null;
    int index = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      String clean = text(key);
      if (written != null || !clean.equals(key)) {
        if (written == null) { // the first key text() changed: from here on, keys are checked
          written = new HashSet<>();
          int before = 0;
          for (Object earlier : map.keySet()) {
            if (before++ == index) {
              break;
            }
            written.add(String.valueOf(earlier)); // unchanged by text(), or written would exist
          }
        }
        String unique = clean;
        for (int n = 2; !written.add(unique); n++) {
          unique = clean + " (" + n + ")";
        }
        clean = unique;
      }
      keyValue(json, clean, entry.getValue());
      index++;
    }
    for (Map.Entry<String, Object> entry : own.entrySet()) {
      if (!map.containsKey(entry.getKey()) && (written == null || !written.contains(entry.getKey()))) {
        keyValue(json, entry.getKey(), entry.getValue());
      }
    }
    json.writeEndArray();
  }

  /**
   * {@code text} with every unpaired surrogate replaced by U+FFFD, as a UTF-8 encoder does: OTLP
   * strings are UTF-8, and strict readers (protobuf, Go's protojson) refuse anything else.
   */
  static String text(String text) {
    int i = 0;
    while (i < text.length() && !Character.isSurrogate(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text; // the usual case: no surrogate at all, nothing copied
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  private static void keyValue(JsonGenerator json, String key, Object value) throws IOException {
    json.writeStartObject();
    json.writeStringField("key", text(key));
    json.writeFieldName("value");
    anyValue(json, value);
    json.writeEndObject();
  }

  private static void anyValue(JsonGenerator json, Object value) throws IOException {
    if (value != null && !(value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double || value instanceof List || value instanceof Map)) {
      // Not of the model (an attribute of a link never added to a span): as the collector would store it.
      value = Values.normalize(value);
    }
    json.writeStartObject();
    if (value instanceof Boolean b) {
      json.writeBooleanField("boolValue", b);
    } else if (value instanceof Long) {
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
      json.writeFieldName("values");
      keyValues(json, map, Map.of());
      json.writeEndObject();
    } else if (value != null) {
      json.writeStringField("stringValue", text(value.toString()));
    }
    json.writeEndObject(); // null: an empty AnyValue
  }
}
