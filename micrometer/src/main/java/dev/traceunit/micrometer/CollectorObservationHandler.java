package dev.traceunit.micrometer;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanBuilder;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Records Micrometer Observations as traceunit spans, on the collector's clock. The span's name is
 * the Observation's name (stable and low-cardinality: what tests look up); its contextual name is the
 * attribute {@value #CONTEXTUAL_NAME}; key values are attributes, and the keys of the high-cardinality
 * ones are listed in {@value #HIGH_CARDINALITY_KEYS}. Events are recorded at the collector's time,
 * errors as traceunit errors, and while an Observation's scope is open its span is the current one,
 * so spans started inside (through {@link Tracing} or OpenTelemetry) become its children. An
 * Observation never stopped stays open and is reported as {@code SPAN_NOT_ENDED} under its name.
 *
 * <pre>{@code
 * ObservationRegistry registry = CollectorObservationHandler.newRegistry(collector);
 * Observation.createNotStarted("order.place", registry).observe(() -> orders.place(order));
 * assertThat(collector).hasSpan("order.place");
 * }</pre>
 *
 * <p>A sending Observation (an HTTP client's) adds the header {@value #PARENT_HEADER} to its carrier,
 * and a receiving one (an HTTP server's) that finds it hangs under the sender's span, in the sender's
 * trace: so a request a test sends to an application in the same JVM is recorded in that test, on
 * whatever server thread serves it, even when tests run in parallel.
 */
public final class CollectorObservationHandler implements ObservationHandler<Observation.Context> {

  /** The attribute holding an Observation's contextual name, when it has one. */
  public static final String CONTEXTUAL_NAME = "micrometer.contextual_name";

  /** The attribute listing the keys of an Observation's high-cardinality key values, when it has any. */
  public static final String HIGH_CARDINALITY_KEYS = "micrometer.high_cardinality_keys";

  /** The header a sending Observation passes to a receiving one in the same JVM. */
  public static final String PARENT_HEADER = "traceunit-parent";

  /**
   * Spans of sending Observations not stopped yet, by the value of their {@value #PARENT_HEADER}. Weak:
   * a sender never stopped (reported as {@code SPAN_NOT_ENDED}) does not keep its test's trace alive.
   */
  private static final Map<String, WeakReference<SpanHandle>> SENDERS = new ConcurrentHashMap<>();
  private static final int PURGE_EVERY = 1024;
  private static final AtomicLong NEXT_SENDER = new AtomicLong();

  /** The scopes this handler opened on the calling thread, innermost last. */
  private static final ThreadLocal<ArrayDeque<OpenScope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

  /** Null for a handler that records into whichever test is running on the thread. */
  private final SpanCollector collector;

  private CollectorObservationHandler(SpanCollector collector) {
    this.collector = collector;
  }

  /**
   * {@return a handler recording into {@code collector}: an Observation with no recorded parent is a root
   * there, whatever the calling thread records into}
   *
   * @param collector where Observations are recorded
   */
  public static CollectorObservationHandler forCollector(SpanCollector collector) {
    return new CollectorObservationHandler(Objects.requireNonNull(collector, "collector"));
  }

  /**
   * {@return a handler recording into the test running where each Observation starts: under its parent
   * Observation, else under the sender a {@value #PARENT_HEADER} names, else in the calling thread's
   * collector (or the fallback collector)} With no test running it records nothing. This is the
   * handler the Spring Boot auto-configuration adds to the application's registry.
   */
  public static CollectorObservationHandler forRunningTest() {
    return new CollectorObservationHandler(null);
  }

  /**
   * {@return a fresh registry whose Observations are recorded into {@code collector}}
   *
   * @param collector where Observations are recorded
   */
  public static ObservationRegistry newRegistry(SpanCollector collector) {
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(forCollector(collector));
    return registry;
  }

  /** An Observation's span, kept in its context under the handler that recorded it (two handlers on one registry keep apart). */
  private record Recorded(SpanHandle span, String senderKey) {}

  /** A scope this handler opened for an Observation on this thread. */
  private record OpenScope(Observation.Context context, Scope scope) {}

  @Override
  public boolean supportsContext(Observation.Context context) {
    return true;
  }

  @Override
  public void onStart(Observation.Context context) {
    SpanBuilder builder = Tracing.span(nameOf(context)).kind(kindOf(context)).attributes(attributesOf(context));
    SpanHandle span = start(builder, parentOf(context));
    if (!span.isRecording()) {
      return;
    }
    String senderKey = context instanceof SenderContext ? propagate((SenderContext<?>) context, span) : null;
    context.put(this, new Recorded(span, senderKey));
  }

  private SpanHandle start(SpanBuilder builder, SpanHandle parent) {
    if (parent != null) {
      return builder.parent(parent).startAsync();
    }
    if (collector == null) {
      return builder.startAsync(); // the calling thread's test, if any
    }
    try (Scope ignored = collector.activate()) {
      return builder.noParent().startAsync();
    }
  }

  /**
   * The recorded parent of an Observation: its parent Observation's span or, when a traceunit span
   * made current inside that one started later, that span (the innermost); for a receiver, the
   * sender its header names; else the current span of this thread when it belongs to this handler's
   * collector; else null.
   */
  private SpanHandle parentOf(Observation.Context context) {
    SpanHandle fromObservation = spanOf(context.getParentObservation());
    SpanHandle current = Tracing.current();
    boolean currentCounts = current.isRecording() && (collector == null || current.traceId().equals(collector.traceId()));
    if (fromObservation != null) {
      boolean innermostIsCurrent = currentCounts && current.traceId().equals(fromObservation.traceId())
          && current.spanId() > fromObservation.spanId();
      return innermostIsCurrent ? current : fromObservation;
    }
    if (context instanceof ReceiverContext) {
      SpanHandle sender = senderOf((ReceiverContext<?>) context);
      if (sender != null) {
        return sender;
      }
    }
    return currentCounts ? current : null;
  }

  private SpanHandle spanOf(ObservationView observation) {
    if (observation == null) {
      return null;
    }
    Recorded recorded = observation.getContextView().get(this);
    return recorded == null ? null : recorded.span;
  }

  private static <C> String propagate(SenderContext<C> context, SpanHandle span) {
    C carrier = context.getCarrier();
    if (carrier == null) {
      return null;
    }
    long number = NEXT_SENDER.incrementAndGet();
    if (number % PURGE_EVERY == 0) {
      SENDERS.values().removeIf(reference -> reference.get() == null);
    }
    String key = "tu-" + number;
    SENDERS.put(key, new WeakReference<>(span));
    try {
      context.getSetter().set(carrier, PARENT_HEADER, key);
    } catch (RuntimeException e) {
      SENDERS.remove(key); // a carrier that takes no headers: the receiver falls back to its thread
      return null;
    }
    return key;
  }

  private static <C> SpanHandle senderOf(ReceiverContext<C> context) {
    C carrier = context.getCarrier();
    if (carrier == null) {
      return null;
    }
    try {
      String key = context.getGetter().get(carrier, PARENT_HEADER);
      WeakReference<SpanHandle> sender = key == null ? null : SENDERS.get(key.trim());
      return sender == null ? null : sender.get();
    } catch (RuntimeException e) {
      return null; // a carrier that cannot be read: the receiver falls back to its thread
    }
  }

  @Override
  public void onError(Observation.Context context) {
    Recorded recorded = context.get(this);
    Throwable error = context.getError();
    if (recorded != null && error != null) {
      recorded.span.error(error); // core describes an exception whose message or text throws, never throws itself
    }
  }

  @Override
  public void onEvent(Observation.Event event, Observation.Context context) {
    Recorded recorded = context.get(this);
    if (recorded == null) {
      return;
    }
    String name = read(event::getName);
    String contextual = read(event::getContextualName);
    Map<String, Object> attributes = contextual == null || contextual.equals(name)
        ? Map.of() : Map.of(CONTEXTUAL_NAME, contextual);
    // At the collector's time, not the event's wall time; a name that could not be read is core's INVALID_NAME.
    recorded.span.event(name, attributes);
  }

  /** A name the application's own object gives, or null when asking for it throws. */
  private static String read(Supplier<String> name) {
    try {
      return name.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void onScopeOpened(Observation.Context context) {
    Recorded recorded = context.get(this);
    if (recorded != null) {
      SCOPES.get().addLast(new OpenScope(context, recorded.span.activate()));
    }
  }

  @Override
  public void onScopeClosed(Observation.Context context) {
    ArrayDeque<OpenScope> scopes = SCOPES.get();
    if (scopes.stream().anyMatch(open -> open.context == context)) {
      // Micrometer puts back the Observation current before this scope, past scopes opened later and
      // still open: the thread's span goes back with it, so no span of a closed scope stays current.
      OpenScope closing;
      do {
        closing = scopes.pollLast();
        closing.scope.close();
      } while (closing.context != context);
    }
    if (scopes.isEmpty()) {
      SCOPES.remove();
    }
  }

  @Override
  public void onStop(Observation.Context context) {
    Recorded recorded = context.get(this);
    if (recorded == null) {
      return;
    }
    if (recorded.senderKey != null) {
      SENDERS.remove(recorded.senderKey);
    }
    Map<String, Object> attributes = attributesOf(context); // conventions often add key values at stop
    if (!attributes.isEmpty()) {
      recorded.span.attributes(attributes);
    }
    recorded.span.end();
  }

  private static String nameOf(Observation.Context context) {
    String name = context.getName();
    return name != null ? name : context.getContextualName();
  }

  private static SpanKind kindOf(Observation.Context context) {
    Kind kind = context instanceof SenderContext ? ((SenderContext<?>) context).getKind()
        : context instanceof ReceiverContext ? ((ReceiverContext<?>) context).getKind() : null;
    return kind == null ? SpanKind.INTERNAL : SpanKind.of(kind.name());
  }

  private static Map<String, Object> attributesOf(Observation.Context context) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    String contextual = context.getContextualName();
    if (contextual != null) {
      attributes.put(CONTEXTUAL_NAME, contextual);
    }
    for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
      attributes.put(keyValue.getKey(), keyValue.getValue());
    }
    List<String> highCardinality = new ArrayList<>();
    for (KeyValue keyValue : context.getHighCardinalityKeyValues()) {
      attributes.put(keyValue.getKey(), keyValue.getValue());
      highCardinality.add(keyValue.getKey());
    }
    if (!highCardinality.isEmpty()) {
      attributes.put(HIGH_CARDINALITY_KEYS, highCardinality);
    }
    return attributes;
  }

  @Override
  public String toString() {
    return "CollectorObservationHandler(" + (collector == null ? "running test" : collector.traceId()) + ")";
  }
}
