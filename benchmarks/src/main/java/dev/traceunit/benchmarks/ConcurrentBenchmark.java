package dev.traceunit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Eight threads recording root spans with three attributes into one shared recorder at once. The
 * score is the average time of one thread's operation, so on fewer than eight cores it includes
 * waiting for a core: compare the recorders with each other, not with the one-thread figures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(8)
public class ConcurrentBenchmark {

  @Benchmark
  public void traceunit(Recorders recorders, Recorders.Pace pace) {
    RootSpanBenchmark.traceunitRoot(pace.nextOrderId());
    if (pace.clearDue()) {
      pace.renewCollector(recorders);
    }
  }

  @Benchmark
  public void otelSdk(Recorders recorders, Recorders.Pace pace) {
    RootSpanBenchmark.otelRoot(recorders.otel, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.otelExporter.reset();
    }
  }

  @Benchmark
  public void micrometer(Recorders recorders, Recorders.Pace pace) {
    RootSpanBenchmark.micrometerRoot(recorders.micrometer, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.clearMicrometer();
    }
  }

  @Benchmark
  public void floor(Recorders recorders, Recorders.Pace pace) {
    RootSpanBenchmark.floorRoot(recorders.floor, pace.nextOrderId());
    if (pace.clearDue()) {
      recorders.floor.clear();
    }
  }
}
