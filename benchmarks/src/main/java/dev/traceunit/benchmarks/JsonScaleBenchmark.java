package dev.traceunit.benchmarks;

import dev.traceunit.core.Trace;
import dev.traceunit.junit.TraceJson;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
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

/** Writing a trace as JSON and reading it back, from a thousand to a million spans. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {SampleTrace.HEAP_MIN, SampleTrace.HEAP_MAX, SampleTrace.PRE_TOUCH})
@State(Scope.Benchmark)
public class JsonScaleBenchmark {

  @Param({"1000", "10000", "100000", "1000000"})
  public int spans;

  private Trace trace;
  private String json;
  /** Reused, so that writing is measured rather than the growth of a fresh buffer. */
  private final StringWriter out = new StringWriter();

  @Setup(Level.Trial)
  public void record() throws IOException {
    trace = SampleTrace.record(spans).snapshot();
    TraceJson.write(trace, out);
    json = out.toString();
    if (!TraceJson.read(new StringReader(json)).equals(trace)) {
      throw new IllegalStateException("the JSON of " + spans + " spans does not read back to the same trace");
    }
    SampleTrace.settleHeap();
  }

  @Benchmark
  public int write() throws IOException {
    out.getBuffer().setLength(0);
    TraceJson.write(trace, out);
    return out.getBuffer().length();
  }

  @Benchmark
  public Trace read() throws IOException {
    return TraceJson.read(new StringReader(json));
  }
}
