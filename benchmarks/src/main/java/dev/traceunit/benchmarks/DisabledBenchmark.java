package dev.traceunit.benchmarks;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The root-span workload when nothing records: traceunit with no collector active on the thread
 * (and no fallback), OpenTelemetry's no-op tracer, Micrometer's {@code Tracer.NOOP}. This is what
 * instrumented production code pays outside tests.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DisabledBenchmark {

  private final io.opentelemetry.api.trace.Tracer otelNoop = OpenTelemetry.noop().getTracer("traceunit-benchmarks");
  private long orderId = 100_000;

  @Benchmark
  public void traceunit() {
    RootSpanBenchmark.traceunitRoot(++orderId);
  }

  @Benchmark
  public void otelNoop() {
    RootSpanBenchmark.otelRoot(otelNoop, ++orderId);
  }

  @Benchmark
  public void micrometerNoop() {
    RootSpanBenchmark.micrometerRoot(Tracer.NOOP, ++orderId);
  }
}
