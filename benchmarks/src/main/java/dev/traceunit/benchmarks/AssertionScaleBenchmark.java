package dev.traceunit.benchmarks;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.assertions.SpanAssert;
import dev.traceunit.assertions.SpansAssert;
import dev.traceunit.assertions.spi.SnapshotContext;
import dev.traceunit.core.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Passing assertions on a recorded trace, from a thousand to a million spans: a name look-up, the
 * tree's shape, and the comparison with a snapshot file (written once in the setup, then read and
 * compared by each operation as a test run does: the file, the trace's snapshot text, equal).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {SampleTrace.HEAP_MIN, SampleTrace.HEAP_MAX, SampleTrace.PRE_TOUCH})
@State(Scope.Benchmark)
public class AssertionScaleBenchmark {

  private static final String TEST_CLASS = "dev.traceunit.benchmarks.SnapshotScale";

  @Param({"1000", "10000", "100000", "1000000"})
  public int spans;

  private Trace trace;
  private String shape;
  private Path snapshots;
  private String thread;

  @Setup(Level.Trial)
  public void record() throws IOException {
    trace = SampleTrace.record(spans).snapshot();
    shape = SampleTrace.treeShape(spans);
    thread = trace.spans().get(0).threadName();
    snapshots = Files.createTempDirectory("traceunit-benchmark-snapshots");
    try (SnapshotContext writing = snapshotTest()) {
      assertThat(trace).matchesSnapshot(); // there is none yet: written, and (missing passes) no failure
    }
    if (!Files.exists(SnapshotContext.classDir(snapshots, TEST_CLASS).resolve(SnapshotContext.fileName("scale", null)))) {
      throw new IllegalStateException("the snapshot of " + spans + " spans was not written under " + snapshots);
    }
    SampleTrace.settleHeap();
  }

  /** The test {@code matchesSnapshot} sees: its file under {@link #snapshots}, masked as the extension masks. */
  private SnapshotContext snapshotTest() {
    return SnapshotContext.enter(snapshots, TEST_CLASS, "scale", thread, false, true, t -> t.redaction().apply(t));
  }

  @TearDown(Level.Trial)
  public void deleteSnapshots() throws IOException {
    try (Stream<Path> files = Files.walk(snapshots)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Benchmark
  public SpanAssert hasSpan() {
    return assertThat(trace).hasSpan(SampleTrace.ROOT);
  }

  @Benchmark
  public SpansAssert hasTreeShape() {
    return assertThat(trace).hasTreeShape(shape);
  }

  /** The trace against its snapshot file, equal: what {@code matchesSnapshot()} costs a passing test. */
  @Benchmark
  public SpansAssert matchesSnapshot() {
    try (SnapshotContext test = snapshotTest()) {
      return assertThat(trace).matchesSnapshot();
    }
  }
}
