package dev.traceunit.benchmarks;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A parent made current, a child under it with one event: two spans an operation. Each recorder
 * is used the way its users write it; OpenTelemetry and Micrometer do not make the child current,
 * traceunit's try-with-resources does (which costs it a little more).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParentChildBenchmark {

  @Benchmark
  public void traceunit(Recorders recorders, Recorders.Retained pace) {
    try (SpanHandle parent = Tracing.start("checkout")) {
      try (SpanHandle child = Tracing.start("payment.call")) {
        child.event("retry.scheduled");
      }
    }
    if (pace.clearDue()) {
      pace.renewCollector(recorders);
    }
  }

  @Benchmark
  public void otelSdk(Recorders recorders, Recorders.Retained pace) {
    io.opentelemetry.api.trace.Span parent = recorders.otel.spanBuilder("checkout").startSpan();
    try (io.opentelemetry.context.Scope scope = parent.makeCurrent()) {
      io.opentelemetry.api.trace.Span child = recorders.otel.spanBuilder("payment.call").startSpan();
      child.addEvent("retry.scheduled");
      child.end();
    } finally {
      parent.end();
    }
    if (pace.clearDue()) {
      recorders.otelExporter.reset();
    }
  }

  @Benchmark
  public void micrometer(Recorders recorders, Recorders.Retained pace) {
    Tracer tracer = recorders.micrometer;
    Span parent = tracer.nextSpan().name("checkout").start();
    try (Tracer.SpanInScope scope = tracer.withSpan(parent)) {
      Span child = tracer.nextSpan().name("payment.call").start();
      child.event("retry.scheduled");
      child.end();
    } finally {
      parent.end();
    }
    if (pace.clearDue()) {
      recorders.clearMicrometer();
    }
  }

  @Benchmark
  public void floor(Recorders recorders, Recorders.Retained pace) {
    Floor floor = recorders.floor;
    Floor.Span parent = floor.start("checkout", null);
    Floor.Span child = floor.start("payment.call", parent);
    child.event("retry.scheduled");
    floor.end(child);
    floor.end(parent);
    if (pace.clearDue()) {
      floor.clear();
    }
  }

  /** The floor made thread-safe (see {@link SafeFloor}). */
  @Benchmark
  public void floorThreadSafe(Recorders recorders, Recorders.Retained pace) {
    SafeFloor floor = recorders.safeFloor;
    SafeFloor.Span parent = floor.start("checkout", null);
    SafeFloor.Span child = floor.start("payment.call", parent);
    child.event("retry.scheduled");
    floor.end(child);
    floor.end(parent);
    if (pace.clearDue()) {
      floor.clear();
    }
  }
}
