package dev.traceunit.benchmarks;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import dev.traceunit.junit.TraceJson;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The values of a recorded trace's spans in plain arrays (the strings, as the reader shares them,
   * once): what {@link #build} makes a trace of again. Like {@link Document}, the trace is let go.
   */
  @State(Scope.Benchmark)
  public static class SpanValues {
    @Param({"1000", "10000", "100000", "1000000"})
    public int spans;

    String traceId;
    String thread;
    long[] ids;
    long[] parents;
    SpanKind[] kinds;
    String[] names;
    long[] starts;
    long[] durations;
    Instant epoch;
    String[][] keys;
    Object[][] values;

    @Setup(Level.Trial)
    public void extract() {
      Trace trace = SampleTrace.record(spans).snapshot();
      List<RecordedSpan> all = trace.spans();
      traceId = all.get(0).traceId();
      thread = all.get(0).threadName();
      epoch = all.get(0).startTime().minus(all.get(0).startOffset());
      int n = all.size();
      ids = new long[n];
      parents = new long[n];
      kinds = new SpanKind[n];
      names = new String[n];
      starts = new long[n];
      durations = new long[n];
      keys = new String[n][];
      values = new Object[n][];
      for (int i = 0; i < n; i++) {
        RecordedSpan span = all.get(i);
        ids[i] = span.spanId();
        parents[i] = span.parentId();
        kinds[i] = span.kind();
        names[i] = span.name();
        starts[i] = span.startOffset().toNanos();
        durations[i] = span.duration().toNanos();
        keys[i] = span.attributes().keySet().toArray(new String[0]);
        values[i] = span.attributes().values().toArray();
      }
      if (!build().equals(trace)) {
        throw new IllegalStateException("the values of " + spans + " spans do not build the same trace");
      }
      trace = null;
      all = null;
      SampleTrace.settleHeap();
    }

    /** The trace again, from the arrays. */
    Trace build() {
      int n = ids.length;
      List<RecordedSpan> built = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int a = 0; a < keys[i].length; a++) {
          attributes.put(keys[i][a], values[i][a]);
        }
        Duration start = Duration.ofNanos(starts[i]);
        built.add(new RecordedSpan(traceId, ids[i], parents[i], kinds[i], names[i], start, epoch.plus(start),
            Duration.ofNanos(durations[i]), true, false, attributes, List.of(), List.of(), SpanStatus.UNSET, null,
            thread, 0, 0, 0));
      }
      return Trace.of(traceId, built, List.of(), 0);
    }
  }

  /**
   * The floor of {@link #read}: the same trace made from values already in memory, without any
   * parsing: every span, its durations, start time and attributes allocated as a reader must, then
   * indexed. Its growth from 100k to 1M spans is what holding a new million-span trace costs the
   * garbage collector (each young collection during the build copies what is built so far).
   */
  @Benchmark
  public Trace build(SpanValues source) {
    return source.build();
  }
}
