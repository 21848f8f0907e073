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

/**
 * Writing a trace as JSON and reading it back, from a thousand to a million spans. Each keeps only
 * what it needs live through its trial: writing the trace and a reused buffer, reading the
 * document alone (as a test reading a file has no million-span trace beside it). Holding the trace,
 * its document and the writer's buffer (about 2 GB at a million spans) through the read made every
 * old-generation collection of the read scan them too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {SampleTrace.HEAP_MIN, SampleTrace.HEAP_MAX, SampleTrace.PRE_TOUCH})
public class JsonScaleBenchmark {

  /** A recorded trace and the buffer it is written into. */
  @State(Scope.Benchmark)
  public static class Recorded {
    @Param({"1000", "10000", "100000", "1000000"})
    public int spans;

    Trace trace;
    /** Reused, so that writing is measured rather than the growth of a fresh buffer. */
    final StringWriter out = new StringWriter();

    @Setup(Level.Trial)
    public void record() throws IOException {
      trace = SampleTrace.record(spans).snapshot();
      TraceJson.write(trace, out);
      SampleTrace.settleHeap();
    }
  }

  /** The JSON document of a recorded trace, checked to read back to it; the trace itself is let go. */
  @State(Scope.Benchmark)
  public static class Document {
    @Param({"1000", "10000", "100000", "1000000"})
    public int spans;

    String json;

    @Setup(Level.Trial)
    public void write() throws IOException {
      Trace trace = SampleTrace.record(spans).snapshot();
      StringWriter out = new StringWriter();
      TraceJson.write(trace, out);
      json = out.toString();
      out = null;
      if (!TraceJson.read(new StringReader(json)).equals(trace)) {
        throw new IllegalStateException("the JSON of " + spans + " spans does not read back to the same trace");
      }
      // Let go before the collection below: an interpreted frame keeps its locals alive to its end.
      trace = null;
      SampleTrace.settleHeap();
    }
  }

  @Benchmark
  public int write(Recorded recorded) throws IOException {
    recorded.out.getBuffer().setLength(0);
    TraceJson.write(recorded.trace, recorded.out);
    return recorded.out.getBuffer().length();
  }

  @Benchmark
  public Trace read(Document document) throws IOException {
    return TraceJson.read(new StringReader(document.json));
  }
}
