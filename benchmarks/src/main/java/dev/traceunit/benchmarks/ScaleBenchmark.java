package dev.traceunit.benchmarks;

import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Trace;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Reading a recorded trace as it grows from a thousand to a million spans: each must stay linear. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class ScaleBenchmark {

  @Param({"1000", "10000", "100000", "1000000"})
  public int spans;

  private SpanCollector collector;
  private Trace trace;

  @Setup(Level.Trial)
  public void record() {
    collector = SampleTrace.record(spans);
    trace = collector.snapshot();
  }

  @Benchmark
  public Trace snapshot() {
    return collector.snapshot();
  }

  @Benchmark
  public String render() {
    return trace.render();
  }
}
