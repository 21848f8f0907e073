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
@Fork(value = 1, jvmArgsAppend = {SampleTrace.HEAP_MIN, SampleTrace.HEAP_MAX, SampleTrace.PRE_TOUCH})
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
    SampleTrace.settleHeap();
  }

  /** A snapshot of a finished recording, as every assertion takes one: ended spans are copied once. */
  @Benchmark
  public Trace snapshot() {
    return collector.snapshot();
  }

  /** The first snapshot after recording, which copies every span: one shot on a fresh recording. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public Trace firstSnapshot(Fresh fresh) {
    return fresh.collector.snapshot();
  }

  /** A recording made anew before every measured first snapshot. */
  @State(Scope.Thread)
  public static class Fresh {
    SpanCollector collector;

    @Setup(Level.Iteration)
    public void record(ScaleBenchmark scale) {
      collector = null;
      collector = SampleTrace.record(scale.spans);
      SampleTrace.settleHeap();
    }
  }

  @Benchmark
  public String render() {
    return trace.render();
  }
}
