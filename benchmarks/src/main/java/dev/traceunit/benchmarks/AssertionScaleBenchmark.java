package dev.traceunit.benchmarks;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.assertions.SpanAssert;
import dev.traceunit.assertions.SpansAssert;
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

/** Passing assertions on a recorded trace, from a thousand to a million spans. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {SampleTrace.HEAP_MIN, SampleTrace.HEAP_MAX, SampleTrace.PRE_TOUCH})
@State(Scope.Benchmark)
public class AssertionScaleBenchmark {

  @Param({"1000", "10000", "100000", "1000000"})
  public int spans;

  private Trace trace;
  private String shape;

  @Setup(Level.Trial)
  public void record() {
    trace = SampleTrace.record(spans).snapshot();
    shape = SampleTrace.treeShape(spans);
    SampleTrace.settleHeap();
  }

  @Benchmark
  public SpanAssert hasSpan() {
    return assertThat(trace).hasSpan(SampleTrace.ROOT);
  }

  @Benchmark
  public SpansAssert hasTreeShape() {
    return assertThat(trace).hasTreeShape(shape);
  }
}
