package dev.traceunit.otel;

import dev.traceunit.core.Limits;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.internal.OtlpIds;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fresh OpenTelemetry SDK whose spans land in one {@link SpanCollector}, timed by the collector's
 * clock: one per test, closed after it. Spans are always sampled; the collector's {@link Limits}
 * decide what is kept and report what they cut as problems.
 *
 * <pre>{@code
 * try (TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector)) {
 *   Tracer tracer = otel.getTracer("checkout");
 *   Span span = tracer.spanBuilder("charge").startSpan();
 *   span.end();
 * }
 * }</pre>
 *
 * <p>{@link GlobalOpenTelemetry} is left alone unless {@link Builder#registerGlobal()} asks for it.
 */
public final class TracedOpenTelemetry implements OpenTelemetry, AutoCloseable {

  private final OpenTelemetrySdk sdk;
  private final CollectorSpanProcessor processor;
  private final boolean global;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TracedOpenTelemetry(Builder builder) {
    this.processor = new CollectorSpanProcessor(builder.collector);
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setClock(TimeSourceClock.of(builder.collector.timeSource()))
        .setResource(builder.resource)
        .setSampler(Sampler.alwaysOn())
        .setSpanLimits(spanLimits(builder.collector.limits()))
        .setIdGenerator(new TestIds(OtlpIds.traceId(builder.collector.traceId())))
        .addSpanProcessor(processor)
        .build();
    this.sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider)
        .setPropagators(builder.propagators)
        .build();
    this.global = builder.global;
    if (global) {
      GlobalOpenTelemetry.resetForTest();
      GlobalOpenTelemetry.set(sdk);
    }
  }

  /**
   * One more than the collector keeps, so that what is over its limits reaches the collector and is
   * reported as a problem there (the SDK itself would drop it silently).
   */
  private static SpanLimits spanLimits(Limits limits) {
    return SpanLimits.builder()
        .setMaxNumberOfAttributes(plusOne(limits.maxAttributes()))
        .setMaxNumberOfAttributesPerEvent(plusOne(limits.maxAttributes()))
        .setMaxNumberOfAttributesPerLink(plusOne(limits.maxAttributes()))
        .setMaxNumberOfEvents(plusOne(limits.maxEvents()))
        .setMaxNumberOfLinks(plusOne(limits.maxLinks()))
        .build();
  }

  private static int plusOne(int limit) {
    return limit == Integer.MAX_VALUE ? limit : limit + 1;
  }

  /**
   * Every root span gets the test's trace id (the one {@link dev.traceunit.core.Tracing} spans show
   * OpenTelemetry, and the OTLP dump writes), so both APIs' spans of a test are one trace; span ids
   * are random.
   */
  private static final class TestIds implements IdGenerator {
    private final String traceId;

    TestIds(String traceId) {
      this.traceId = traceId;
    }

    @Override
    public String generateSpanId() {
      return IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
      return traceId;
    }
  }

  /**
   * {@return an SDK recording into {@code collector}, with W3C trace context propagation, not global}
   *
   * @param collector where spans are recorded
   */
  public static TracedOpenTelemetry create(SpanCollector collector) {
    return builder(collector).build();
  }

  /**
   * {@return a builder for an SDK recording into {@code collector}}
   *
   * @param collector where spans are recorded
   */
  public static Builder builder(SpanCollector collector) {
    return new Builder(Objects.requireNonNull(collector, "collector"));
  }

  /**
   * {@return whether making an OpenTelemetry span current also makes its traceunit twin current, so that
   * spans recorded through {@link dev.traceunit.core.Tracing} inside it become its children} True
   * unless something used OpenTelemetry's context before traceunit-otel could wrap it: then call
   * this as early as possible, e.g. in a static initializer of the first test class.
   */
  public static boolean installContextBridge() {
    return ContextBridge.install();
  }

  /** {@return the collector spans are recorded into} */
  public SpanCollector collector() {
    return processor.collector();
  }

  /** {@return the underlying SDK} */
  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return sdk.getTracerProvider();
  }

  @Override
  public MeterProvider getMeterProvider() {
    return sdk.getMeterProvider();
  }

  @Override
  public LoggerProvider getLogsBridge() {
    return sdk.getLogsBridge();
  }

  @Override
  public ContextPropagators getPropagators() {
    return sdk.getPropagators();
  }

  /** Shuts the SDK down and, if it was registered as global, unregisters it. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      sdk.close();
    } finally {
      if (global) {
        GlobalOpenTelemetry.resetForTest();
      }
    }
  }

  @Override
  public String toString() {
    return "TracedOpenTelemetry(" + processor.collector().traceId() + (global ? ", global" : "") + ")";
  }

  /** Settings for a {@link TracedOpenTelemetry}. */
  public static final class Builder {
    private final SpanCollector collector;
    private ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    private Resource resource = Resource.getDefault();
    private boolean global;

    private Builder(SpanCollector collector) {
      this.collector = collector;
    }

    /**
     * How context travels across process boundaries; W3C trace context if not set.
     *
     * @param propagators the propagators
     * @return this builder
     */
    public Builder propagators(ContextPropagators propagators) {
      this.propagators = Objects.requireNonNull(propagators, "propagators");
      return this;
    }

    /**
     * The resource spans are reported with; {@link Resource#getDefault()} if not set.
     *
     * @param resource the resource
     * @return this builder
     */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * Also registers the SDK as {@link GlobalOpenTelemetry} until it is closed, for code that reads
     * the global instance. There is one global instance per JVM: safe only when tests do not run in
     * parallel.
     *
     * @return this builder
     */
    public Builder registerGlobal() {
      this.global = true;
      return this;
    }

    /** {@return the SDK} */
    public TracedOpenTelemetry build() {
      return new TracedOpenTelemetry(this);
    }
  }
}
