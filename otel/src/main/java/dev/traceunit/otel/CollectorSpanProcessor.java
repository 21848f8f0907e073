package dev.traceunit.otel;

import static dev.traceunit.otel.TimeSourceClock.instant;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanBuilder;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.OtlpIds;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.ExceptionEventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records OpenTelemetry spans into a traceunit {@link SpanCollector}, in one tree with the spans
 * recorded through {@link Tracing}: an OpenTelemetry span started while a traceunit span is current
 * becomes its child, and (with the context bridge, see {@link TracedOpenTelemetry}) a traceunit span
 * started while an OpenTelemetry span is current becomes that span's child.
 *
 * <p>A span is recorded when it starts, with its kind, name, start time, attributes and links; its
 * later attributes, events (each at its own timestamp), recorded exceptions (as traceunit errors),
 * status, final name and end time are recorded when it ends. Register it with the tracer provider
 * whose clock is {@link TimeSourceClock} over the collector's time source, as
 * {@link TracedOpenTelemetry} does, and close it with the provider.
 */
public final class CollectorSpanProcessor implements SpanProcessor {

  /** The attribute that carries an OpenTelemetry status description. */
  public static final String STATUS_DESCRIPTION = "otel.status_description";

  /**
   * Processors not shut down yet: where the context bridge looks up bridged spans. One whose
   * collector has finished is dropped at the next look-up, so an SDK that is never closed does not
   * keep its collector for the rest of the JVM.
   */
  private static final Set<CollectorSpanProcessor> LIVE = ConcurrentHashMap.newKeySet();

  private final SpanCollector collector;
  /** The collector's trace id as OpenTelemetry spells it: the trace id of every span of the test. */
  private final String otlpTraceId;
  /**
   * The spans recorded, by trace and span id. Ended ones stay while the collector is open: a link, an
   * explicit parent or a wrapped context may name a span after it ended.
   */
  private final ConcurrentHashMap<String, Bridged> spans = new ConcurrentHashMap<>();

  /**
   * A processor recording into {@code collector}.
   *
   * @param collector where spans are recorded
   */
  public CollectorSpanProcessor(SpanCollector collector) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.otlpTraceId = OtlpIds.traceId(collector.traceId());
    ContextBridge.install();
    LIVE.add(this);
  }

  /** {@return the collector spans are recorded into} */
  public SpanCollector collector() {
    return collector;
  }

  /**
   * A span started with the OpenTelemetry API and its traceunit twin, with the name and attributes
   * applied at start: at end only what changed since is applied, so a problem found at start (an
   * attribute over the limit, a key too long) is reported and counted once.
   */
  private record Bridged(SpanHandle handle, String startName, Map<String, Object> startAttributes) {}

  /** The traceunit handle of {@code span}: a Tracing span seen as one, or one a live processor recorded. */
  static SpanHandle handleFor(Span span) {
    SpanHandle tracing = TracingSpan.handleOf(span);
    return tracing != null ? tracing : handleFor(span.getSpanContext());
  }

  /** The traceunit handle of a span this processor or another live one recorded, or null. */
  static SpanHandle handleFor(SpanContext context) {
    if (context == null || !context.isValid() || LIVE.isEmpty()) {
      return null;
    }
    String key = key(context);
    for (CollectorSpanProcessor processor : LIVE) {
      if (processor.collector.isFinished()) {
        LIVE.remove(processor);
        processor.spans.clear();
        continue;
      }
      Bridged bridged = processor.spans.get(key);
      if (bridged != null) {
        return bridged.handle;
      }
    }
    return null;
  }

  private static String key(SpanContext context) {
    return context.getTraceId() + context.getSpanId();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    SpanData data = span.toSpanData();
    Map<String, Object> attributes = toMap(data.getAttributes());
    SpanBuilder builder = Tracing.span(data.getName())
        .kind(SpanKind.of(data.getKind().name()))
        .attributes(attributes)
        .startTime(instant(data.getStartEpochNanos()));
    for (LinkData link : data.getLinks()) {
      builder.link(toLink(link));
    }
    SpanHandle parent = parentOf(parentContext);
    SpanHandle handle;
    if (parent != null) {
      handle = builder.parent(parent).startAsync();
    } else {
      try (Scope ignored = collector.activate()) {
        handle = builder.noParent().startAsync();
      }
    }
    spans.put(key(span.getSpanContext()), new Bridged(handle, data.getName(), attributes));
  }

  /**
   * The traceunit parent of a span started in {@code parentContext}: the OpenTelemetry parent, or,
   * when the span took the current context implicitly, whichever of that parent and the current
   * traceunit span started later (the innermost: a descendant always starts after its ancestor).
   */
  private SpanHandle parentOf(Context parentContext) {
    Span otelParent = Span.fromContextOrNull(parentContext);
    SpanHandle fromOtel = otelParent == null ? null : ownHandle(otelParent);
    if (parentContext != Context.current()) {
      return fromOtel; // an explicit parent, or none (setNoParent)
    }
    SpanHandle current = Tracing.current();
    if (!current.isRecording() || !current.traceId().equals(collector.traceId())) {
      return fromOtel;
    }
    return fromOtel == null || current.spanId() > fromOtel.spanId() ? current : fromOtel;
  }

  /** The handle of an OpenTelemetry span of this collector or of a Tracing span seen as one, or null. */
  private SpanHandle ownHandle(Span span) {
    SpanHandle tracing = TracingSpan.handleOf(span);
    if (tracing != null) {
      return tracing.traceId().equals(collector.traceId()) ? tracing : null;
    }
    return ownHandle(span.getSpanContext());
  }

  private SpanHandle ownHandle(SpanContext context) {
    Bridged bridged = context.isValid() ? spans.get(key(context)) : null;
    return bridged == null ? null : bridged.handle;
  }

  private SpanLink toLink(LinkData link) {
    SpanHandle target = ownHandle(link.getSpanContext());
    Map<String, Object> attributes = toMap(link.getAttributes());
    if (target != null) {
      return target.link().withAttributes(attributes);
    }
    SpanContext context = link.getSpanContext();
    long spanId = context.isValid() ? Long.parseUnsignedLong(context.getSpanId(), 16) : 0;
    if (context.getTraceId().equals(otlpTraceId)) {
      return new SpanLink(collector.traceId(), spanId, attributes); // a Tracing span of this test
    }
    return new SpanLink(context.getTraceId(), spanId, attributes);
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    Bridged bridged = spans.get(key(span.getSpanContext()));
    if (bridged == null) {
      return;
    }
    SpanHandle handle = bridged.handle;
    SpanData data = span.toSpanData();
    if (!data.getName().equals(bridged.startName)) {
      handle.rename(data.getName());
    }
    Map<String, Object> changed = new LinkedHashMap<>(toMap(data.getAttributes()));
    changed.entrySet().removeIf(entry -> entry.getValue().equals(bridged.startAttributes.get(entry.getKey())));
    if (!changed.isEmpty()) {
      handle.attributes(changed);
    }
    for (EventData event : data.getEvents()) {
      if (event instanceof ExceptionEventData) {
        handle.error(((ExceptionEventData) event).getException(), instant(event.getEpochNanos()));
      } else {
        handle.event(event.getName(), toMap(event.getAttributes()), instant(event.getEpochNanos()));
      }
    }
    StatusData status = data.getStatus();
    applyStatus(handle, status.getStatusCode(), status.getDescription());
    handle.end(instant(data.getEndEpochNanos()));
  }

  /** An OpenTelemetry status on a traceunit span: OK, or ERROR with its description; UNSET changes nothing. */
  static void applyStatus(SpanHandle handle, StatusCode code, String description) {
    if (code == StatusCode.OK) {
      handle.status(SpanStatus.OK);
    } else if (code == StatusCode.ERROR) {
      handle.status(SpanStatus.ERROR);
      if (description != null && !description.isEmpty()) {
        handle.attribute(STATUS_DESCRIPTION, description);
      }
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Stops serving look-ups for this processor's spans; spans ending later are not recorded. */
  @Override
  public CompletableResultCode shutdown() {
    LIVE.remove(this);
    spans.clear();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "CollectorSpanProcessor(" + collector.traceId() + ")";
  }

  // ---- attribute values: OpenTelemetry's typed values to traceunit's JSON-like ones

  static Map<String, Object> toMap(Attributes attributes) {
    if (attributes.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((key, value) -> {
      Object converted = key.getType() == AttributeType.VALUE ? fromValue((Value<?>) value) : value;
      if (converted != null) {
        out.put(key.getKey(), converted);
      }
    });
    return out;
  }

  /** A {@link Value} as String, Long, Double, Boolean, a list or a map; bytes as Base64, empty as null. */
  private static Object fromValue(Value<?> value) {
    switch (value.getType()) {
      case ARRAY: {
        List<Object> list = new ArrayList<>();
        for (Object element : (List<?>) value.getValue()) {
          Object converted = fromValue((Value<?>) element);
          if (converted != null) {
            list.add(converted);
          }
        }
        return list;
      }
      case KEY_VALUE_LIST: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Object entry : (List<?>) value.getValue()) {
          KeyValue keyValue = (KeyValue) entry;
          Object converted = fromValue(keyValue.getValue());
          if (converted != null) {
            map.put(keyValue.getKey(), converted);
          }
        }
        return map;
      }
      case BYTES: {
        ByteBuffer bytes = ((ByteBuffer) value.getValue()).asReadOnlyBuffer();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return Base64.getEncoder().encodeToString(copy);
      }
      case EMPTY:
        return null;
      default:
        return value.getValue();
    }
  }
}
