package dev.traceunit.benchmarks;

import static dev.traceunit.benchmarks.Recorders.HIT_KEY;
import static dev.traceunit.benchmarks.Recorders.ORDER_KEY;
import static dev.traceunit.benchmarks.Recorders.OTEL_HIT;
import static dev.traceunit.benchmarks.Recorders.OTEL_ORDER;
import static dev.traceunit.benchmarks.Recorders.OTEL_ROUTE;
import static dev.traceunit.benchmarks.Recorders.ROUTE;
import static dev.traceunit.benchmarks.Recorders.ROUTE_KEY;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import io.micrometer.tracing.Span;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** One root span with three attributes (a string, a long, a boolean), started and ended. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RootSpanBenchmark {

  @Benchmark
  public void traceunit(Recorders recorders, Recorders.Retained pace) {
    traceunitRoot(pace.nextOrderId());
    if (pace.clearDue()) {
      pace.renewCollector(recorders);
    }
  }

  /**
   * traceunit as a test records: under the test's mock clock, through the collector's time source.
   * Compared with the floor on the system clock (which reads {@code System.nanoTime()} twice).
   */
  @Benchmark
  public void traceunitMockClock(Recorders.MockClockRecording recording, Recorders.Retained pace) {
    traceunitRoot(pace.nextOrderId());
    if (pace.clearDue()) {
      recording.renewCollector();
    }
  }

  @Benchmark
  public void otelSdk(Recorders recorders, Recorders.Retained pace) {
    otelRoot(recorders.otel, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.otelExporter.reset();
    }
  }

  @Benchmark
  public void micrometer(Recorders recorders, Recorders.Retained pace) {
    micrometerRoot(recorders.micrometer, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.clearMicrometer();
    }
  }

  @Benchmark
  public void floor(Recorders recorders, Recorders.Retained pace) {
    floorRoot(recorders.floor, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.floor.clear();
    }
  }

  /** The floor made thread-safe (see {@link SafeFloor}): what safety alone costs. */
  @Benchmark
  public void floorThreadSafe(Recorders recorders, Recorders.Retained pace) {
    safeFloorRoot(recorders.safeFloor, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.safeFloor.clear();
    }
  }

  static void traceunitRoot(long orderId) {
    try (SpanHandle span = Tracing.start("checkout")) {
      span.attribute(ROUTE_KEY, ROUTE);
      span.attribute(ORDER_KEY, orderId);
      span.attribute(HIT_KEY, true);
    }
  }

  static void otelRoot(io.opentelemetry.api.trace.Tracer tracer, long orderId) {
    io.opentelemetry.api.trace.Span span = tracer.spanBuilder("checkout").startSpan();
    span.setAttribute(OTEL_ROUTE, ROUTE);
    span.setAttribute(OTEL_ORDER, orderId);
    span.setAttribute(OTEL_HIT, true);
    span.end();
  }

  static void micrometerRoot(io.micrometer.tracing.Tracer tracer, long orderId) {
    Span span = tracer.nextSpan().name("checkout").start();
    span.tag(ROUTE_KEY, ROUTE);
    span.tag(ORDER_KEY, orderId);
    span.tag(HIT_KEY, true);
    span.end();
  }

  static void floorRoot(Floor floor, long orderId) {
    Floor.Span span = floor.start("checkout", null);
    span.key1 = ROUTE_KEY;
    span.value1 = ROUTE;
    span.key2 = ORDER_KEY;
    span.value2 = orderId;
    span.key3 = HIT_KEY;
    span.value3 = Boolean.TRUE;
    floor.end(span);
  }

  static void safeFloorRoot(SafeFloor floor, long orderId) {
    SafeFloor.Span span = floor.start("checkout", null);
    span.attribute(ROUTE_KEY, ROUTE);
    span.attribute(ORDER_KEY, orderId);
    span.attribute(HIT_KEY, Boolean.TRUE);
    floor.end(span);
  }
}
