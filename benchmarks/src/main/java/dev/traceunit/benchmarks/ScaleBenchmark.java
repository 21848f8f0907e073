package dev.traceunit.benchmarks;

import dev.traceunit.core.RecordedSpan;
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

  /**
   * The floor of every operation above: one plain loop over the trace's spans that reads what any
   * of them must read of each (its ids, name, kind, start offset and attributes), and nothing more.
   * From 100k to 1M spans its time grows with the cache misses of walking a million objects
   * scattered through the heap, which no operation that reads them can grow less than.
   */
  @Benchmark
  public long spanWalk() {
    long sum = 0;
    for (RecordedSpan span : trace.spans()) {
      sum += span.spanId() + span.parentId() + span.name().length() + span.kind().hashCode()
          + span.startOffset().getNano() + span.attributes().size();
    }
    return sum;
  }
}
