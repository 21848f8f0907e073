package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanListener;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceDump;
import dev.traceunit.junit.TraceExtension;
import dev.traceunit.junit.TraceJson;
import dev.traceunit.junit.TraceProblemsError;
import dev.traceunit.junit.Traced;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Faults injected into the extension's path: in every case the test's own outcome and exception
 * stay what the test made them, and the fault is reported where a user looks.
 */
class FaultTest {

  static final AtomicInteger faults = new AtomicInteger();

  @TempDir
  Path temp;

  @AfterAll
  static void figures() {
    Runs.figures("faults: " + faults.get() + " injected, each reported, no test outcome or exception changed");
  }

  /** The sample's failure: what the test itself threw. */
  static final class PaymentDeclined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PaymentDeclined() {
      super("payment declined");
    }
  }

  @ExtendWith(TraceExtension.class)
  static class Sample {
    @Test
    void passes() {
      Tracing.run("checkout", () -> {});
    }

    @Test
    void fails() {
      Tracing.run("checkout", () -> {});
      throw new PaymentDeclined();
    }
  }

  private static Throwable failure(TestExecutionResult result) {
    assertThat(result.getStatus()).isEqualTo(Status.FAILED);
    return result.getThrowable().orElseThrow();
  }

  private static TraceDump dumpOf(Throwable failure) {
    return Arrays.stream(failure.getSuppressed()).filter(TraceDump.class::isInstance).map(TraceDump.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no TraceDump on " + failure));
  }

  // ---- a throwing SpanListener

  @ExtendWith(TraceExtension.class)
  static class ListenerSample {
    static final SpanListener THROWING = new SpanListener() {
      @Override
      public void onEnd(RecordedSpan span) {
        throw new IllegalStateException("listener broke");
      }
    };

    @Test
    @Traced(strict = "false", dump = "always")
    void passes(SpanCollector collector) {
      collector.addListener(THROWING);
      Tracing.run("checkout", () -> {});
    }

    @Test
    void fails(SpanCollector collector) {
      collector.addListener(THROWING);
      Tracing.run("checkout", () -> {});
      throw new PaymentDeclined();
    }
  }

  @Test
  void aThrowingListenerNeverChangesTheOutcomeAndIsReportedAsAProblem() {
    faults.addAndGet(2);
    EngineExecutionResults results = Runs.run(Runs.into(temp), Map.of(), ListenerSample.class);

    assertThat(Runs.result(results, "passes").getStatus()).isEqualTo(Status.SUCCESSFUL);
    assertThat(results.allEvents().reportingEntryPublished().stream()
        .map(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs()
            .get(TraceExtension.REPORT_ENTRY_KEY)))
        .anySatisfy(tree -> assertThat(tree).contains("LISTENER_FAILED"));
    Throwable failure = failure(Runs.result(results, "fails"));
    assertThat(failure).isInstanceOf(PaymentDeclined.class).hasMessage("payment declined");
    assertThat(dumpOf(failure).trace().problems()).extracting(p -> p.code()).containsExactly(ProblemCode.LISTENER_FAILED);
  }

  // ---- an unwritable report directory, and publishFile that throws

  @Test
  void anUnwritableReportDirectoryKeepsTheFailureAndAddsWhatCouldNotBePublished() throws IOException {
    faults.incrementAndGet();
    Path notADirectory = Files.writeString(temp.resolve("reports"), "a file, not a directory");
    EngineExecutionResults results = Runs.run(Runs.into(notADirectory), Map.of(), Sample.class);

    assertThat(Runs.result(results, "passes").getStatus()).isEqualTo(Status.SUCCESSFUL);
    Throwable failure = failure(Runs.result(results, "fails"));
    assertThat(failure).isInstanceOf(PaymentDeclined.class).hasMessage("payment declined");
    assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
        .anySatisfy(message -> assertThat(message).startsWith("traceunit could not publish trace.txt"))
        .anySatisfy(message -> assertThat(message).startsWith("traceunit could not publish trace.json"));
    assertThat(dumpOf(failure).getMessage()).contains("checkout");
  }

  @Test
  void aPublishFileThatThrowsKeepsTheFailureAndAddsWhatCouldNotBePublished() {
    faults.incrementAndGet();
    OutputDirectoryCreator throwing = new OutputDirectoryCreator() {
      @Override
      public Path getRootDirectory() {
        return temp;
      }

      @Override
      public Path createOutputDirectory(TestDescriptor descriptor) {
        throw new IllegalStateException("report storage is gone");
      }
    };
    EngineExecutionResults results = Runs.run(throwing, Map.of(), Sample.class);

    assertThat(Runs.result(results, "passes").getStatus()).isEqualTo(Status.SUCCESSFUL);
    Throwable failure = failure(Runs.result(results, "fails"));
    assertThat(failure).isInstanceOf(PaymentDeclined.class);
    assertThat(failure.getSuppressed()).hasSizeGreaterThanOrEqualTo(2)
        .filteredOn(t -> !(t instanceof TraceDump))
        .allSatisfy(t -> assertThat(t).hasMessageStartingWith("traceunit could not publish")
            .hasRootCauseMessage("report storage is gone"));
  }

  // ---- a JSON writer failure

  @Test
  void aJsonWriterFailureInTheDumpKeepsTheFailureAndTheTextDump() {
    faults.incrementAndGet();
    // trace.json already exists as a directory: the JSON writer cannot open it, the text dump is fine.
    OutputDirectoryCreator blocked = new OutputDirectoryCreator() {
      @Override
      public Path getRootDirectory() {
        return temp;
      }

      @Override
      public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(descriptor.getUniqueId().toString().replaceAll("[^A-Za-z0-9]+", "_")));
        Files.createDirectories(dir.resolve("trace.json"));
        return dir;
      }
    };
    EngineExecutionResults results = Runs.run(blocked, Map.of(), Sample.class);

    Throwable failure = failure(Runs.result(results, "fails"));
    assertThat(failure).isInstanceOf(PaymentDeclined.class).hasMessage("payment declined");
    assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
        .anySatisfy(message -> assertThat(message).startsWith("traceunit could not publish trace.json"))
        .noneSatisfy(message -> assertThat(message).startsWith("traceunit could not publish trace.txt"));
    assertThat(results.allEvents().fileEntryPublished().count()).isEqualTo(1);
  }

  @Test
  void aWriterThatFailsMidwayGivesTheCallerAnIOExceptionAndNothingElse() {
    faults.incrementAndGet();
    Trace trace = new SpanCollector().snapshot();
    Writer failing = new Writer() {
      @Override
      public void write(char[] buffer, int offset, int length) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void flush() throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void close() {}
    };
    assertThatThrownBy(() -> TraceJson.write(trace, failing)).isInstanceOf(IOException.class).hasMessageContaining("disk full");
  }

  // ---- a trace over the span limit

  @ExtendWith(TraceExtension.class)
  @Traced(maxSpans = 100)
  static class LimitSample {
    @Test
    void passes() {
      for (int i = 0; i < 150; i++) {
        Tracing.run("step", () -> {});
      }
    }

    @Test
    void fails() {
      passes();
      throw new PaymentDeclined();
    }
  }

  @Test
  void aTraceOverTheSpanLimitKeepsTheFailureAndCountsTheDroppedSpans() {
    faults.addAndGet(2);
    EngineExecutionResults results = Runs.run(Runs.into(temp), Map.of(), LimitSample.class);

    Throwable failure = failure(Runs.result(results, "fails"));
    assertThat(failure).isInstanceOf(PaymentDeclined.class);
    Trace dumped = dumpOf(failure).trace();
    assertThat(dumped.size()).isEqualTo(100);
    assertThat(dumped.droppedSpans()).isEqualTo(50);
    assertThat(dumped.problems()).extracting(p -> p.code()).containsExactly(ProblemCode.SPAN_LIMIT);
    // A passing test: strict mode reports the cut as the failure, with the tree.
    assertThat(failure(Runs.result(results, "passes"))).isInstanceOf(TraceProblemsError.class).hasMessageContaining("SPAN_LIMIT");
  }

  // ---- threads left recording after their test ended

  @ExtendWith(TraceExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class LeftoverSample {
    static final CountDownLatch recording = new CountDownLatch(1);
    static final CountDownLatch firstEnded = new CountDownLatch(1);
    static final CountDownLatch leftoverDone = new CountDownLatch(1);
    static volatile SpanCollector first;
    static volatile SpanCollector second;
    static Thread leftover;

    @Test
    @Order(1)
    void leavesAThreadRecording(SpanCollector collector) throws InterruptedException {
      first = collector;
      leftover = new Thread(() -> {
        try {
          Tracing.run("before-end", () -> {});
          recording.countDown();
          firstEnded.await(30, TimeUnit.SECONDS);
          for (int i = 0; i < 100; i++) {
            try (SpanHandle span = Tracing.start("leftover")) {
              span.attribute("i", i);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          leftoverDone.countDown();
        }
      });
      leftover.start();
      assertThat(recording.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Order(2)
    void runsNext(SpanCollector collector) throws InterruptedException {
      second = collector;
      firstEnded.countDown();
      assertThat(leftoverDone.await(30, TimeUnit.SECONDS)).isTrue();
      Tracing.run("own-work", () -> {});
    }
  }

  @Test
  void spansOfAThreadLeftRunningAreCountedAsOrphansAndNeverReachTheNextTest() throws InterruptedException {
    faults.incrementAndGet();
    EngineExecutionResults results = Runs.run(Runs.into(temp), Map.of(), LeftoverSample.class);
    LeftoverSample.leftover.join();

    assertThat(Runs.result(results, "leavesAThreadRecording").getStatus()).isEqualTo(Status.SUCCESSFUL);
    assertThat(Runs.result(results, "runsNext").getStatus()).isEqualTo(Status.SUCCESSFUL);
    assertThat(LeftoverSample.first.orphanedSpans()).isEqualTo(100);
    assertThat(LeftoverSample.first.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("before-end");
    assertThat(LeftoverSample.second.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("own-work");
  }
}
