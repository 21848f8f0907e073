package dev.traceunit.benchmarks;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.TimeSource;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The four recorders, each set up the way its own documentation sets it up for tests, shared by
 * the threads of a benchmark. Every recorder keeps what it records in memory, so each is cleared
 * after a number of operations of a thread ({@link Pace#retained}); all pay that clearing alike.
 */
@State(Scope.Benchmark)
public class Recorders {

  static final String ROUTE = "/orders/{id}";
  static final String ROUTE_KEY = "http.route";
  static final String ORDER_KEY = "order.id";
  static final String HIT_KEY = "cache.hit";
  // OpenTelemetry's fast path: keys made once, as its instrumentation does.
  static final AttributeKey<String> OTEL_ROUTE = AttributeKey.stringKey(ROUTE_KEY);
  static final AttributeKey<Long> OTEL_ORDER = AttributeKey.longKey(ORDER_KEY);
  static final AttributeKey<Boolean> OTEL_HIT = AttributeKey.booleanKey(HIT_KEY);

  SpanCollector collector;
  InMemorySpanExporter otelExporter;
  SdkTracerProvider otelProvider;
  Tracer otel;
  SimpleTracer micrometer;
  Floor floor;
  SafeFloor safeFloor;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    collector = new SpanCollector();
    otelExporter = InMemorySpanExporter.create();
    otelProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(otelExporter)).build();
    otel = otelProvider.get("traceunit-benchmarks");
    micrometer = new SimpleTracer();
    floor = new Floor(params.getThreads() > 1 ? new ConcurrentLinkedQueue<>() : new ArrayList<>());
    safeFloor = new SafeFloor();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    otelProvider.close();
  }

  /**
   * Empties Micrometer's recorder. {@code SimpleTracer} also binds every span it creates in a
   * static map that nothing ever empties; left alone, that map grows by millions of entries during
   * a run and Micrometer's figures would measure the map, not the recording. We empty it too.
   */
  void clearMicrometer() {
    micrometer.getSpans().clear();
    MICROMETER_CONTEXTS.clear();
  }

  private static final Map<?, ?> MICROMETER_CONTEXTS = micrometerContexts();

  private static Map<?, ?> micrometerContexts() {
    try {
      Field field = SimpleTracer.class.getDeclaredField("traceContextToSpans");
      field.setAccessible(true);
      return (Map<?, ?>) field.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("SimpleTracer no longer has the static map this benchmark empties", e);
    }
  }

  /**
   * Per thread: the collector activated on this thread, and a count to clear the recorders by. A
   * test keeps every span it records, so the one-thread benchmarks run at two retentions
   * ({@link Retained}); the eight-thread one keeps 1,024 a thread.
   */
  @State(Scope.Thread)
  public static class Pace {
    /** Operations of a thread between two clears of the recorders. */
    int retained = 1024;

    private dev.traceunit.core.Scope activation;
    private SpanCollector active;
    private int operations;
    private long orderId = 100_000;

    @Setup(Level.Trial)
    public void activate(Recorders recorders) {
      active = recorders.collector;
      activation = active.activate();
    }

    /**
     * Clears traceunit as a test run does: a fresh collector, activated on this thread in place of
     * the full one. The first thread to clear makes it; the others move to it when they clear.
     */
    void renewCollector(Recorders recorders) {
      activation.close();
      synchronized (recorders) {
        if (recorders.collector == active) {
          recorders.collector = new SpanCollector();
        }
        active = recorders.collector;
      }
      activation = active.activate();
    }

    @TearDown(Level.Trial)
    public void deactivate() {
      activation.close();
    }

    /** An order id that is not in the boxing cache, as real ids are not. */
    long nextOrderId() {
      return ++orderId;
    }

    /** True once every {@link #retained} operations. */
    boolean clearDue() {
      if (++operations < retained) {
        return false;
      }
      operations = 0;
      return true;
    }
  }

  /** A {@link Pace} at the retention of the trial: 1,024, and 10,000 operations between clears. */
  public static class Retained extends Pace {
    @Param({"1024", "10000"})
    public int retention;

    @Setup(Level.Trial)
    public void retain() {
      retained = retention;
    }
  }

  /**
   * A collector on a test's {@link MockClock}, read through the collector's time source exactly as
   * the extension builds it for every test, active on the benchmark's thread.
   */
  @State(Scope.Thread)
  public static class MockClockRecording {
    private MockClock clock;
    private dev.traceunit.core.Scope activation;

    /** Takes the thread's pace, so that this collector is activated after (inside) the shared one. */
    @Setup(Level.Trial)
    public void activate(Retained pace) {
      clock = MockClock.create();
      renewCollector();
    }

    /** A fresh collector on the same clock, activated in place of the last one (as a new test's). */
    void renewCollector() {
      if (activation != null) {
        activation.close();
      }
      SpanCollector collector = new SpanCollector("t-mock", TimeSource.of(clock::nanoTime, clock::instant),
          Limits.defaults());
      activation = collector.activate();
    }

    @TearDown(Level.Trial)
    public void deactivate() {
      activation.close();
    }
  }
}
