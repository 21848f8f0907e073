package dev.traceunit.junit;

import static dev.traceunit.junit.TraceExtensionTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.ConsoleHandler;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult.Status;

/**
 * Output capture. Every run here prints into a quiet stream put in place of System.out and
 * System.err, so the build log stays clean, and checks that this stream is back afterwards.
 */
class OutputCaptureTest {

  @TempDir
  Path reports;

  private PrintStream realOut;
  private PrintStream realErr;
  private final ByteArrayOutputStream printedOut = new ByteArrayOutputStream();
  private final ByteArrayOutputStream printedErr = new ByteArrayOutputStream();
  private PrintStream quietOut;
  private PrintStream quietErr;

  @BeforeEach
  void quiet() {
    realOut = System.out;
    realErr = System.err;
    quietOut = new PrintStream(printedOut, true, StandardCharsets.UTF_8);
    quietErr = new PrintStream(printedErr, true, StandardCharsets.UTF_8);
    System.setOut(quietOut);
    System.setErr(quietErr);
    Samples.collectors.clear();
  }

  @AfterEach
  void loud() {
    System.setOut(realOut);
    System.setErr(realErr);
  }

  @Traced(captureOutput = "true", strict = "false")
  static class Samples {
    static final Map<String, SpanCollector> collectors = new ConcurrentHashMap<>();

    @BeforeEach
    void keep(SpanCollector collector, org.junit.jupiter.api.TestInfo info) {
      collectors.put(info.getTestMethod().orElseThrow().getName(), collector);
    }

    @Test
    void printsInsideAndOutsideSpans() {
      System.out.println("before any span");
      try (SpanHandle work = Tracing.start("work")) {
        System.out.print("par");
        System.out.print("tial");
        System.out.println(" line");
        System.err.println("to stderr");
      }
    }

    @Test
    void printsFromAThreadItStarts() throws InterruptedException {
      try (SpanHandle fanOut = Tracing.start("fan-out")) {
        Thread worker = new Thread(() -> {
          try (SpanHandle task = Tracing.start("task")) {
            System.out.println("from the worker");
          }
        });
        worker.start();
        worker.join();
      }
    }

    @Test
    void leavesALineUnfinished() {
      System.out.print("no newline at the end");
    }

    @Test
    @Traced(maxValueLength = 16)
    void printsALongLine() {
      System.out.println("x".repeat(100));
    }

    @Test
    void failsAfterPrinting() {
      System.out.println("about to fail");
      throw new IllegalStateException("boom");
    }

    @Test
    void logsThroughJavaUtilLogging() {
      Logger logger = Logger.getLogger("traceunit.capture.sample");
      ConsoleHandler handler = new ConsoleHandler(); // takes System.err now: the capturing stream
      logger.setUseParentHandlers(false);
      logger.addHandler(handler);
      try (SpanHandle span = Tracing.start("jul")) {
        logger.info("hello from jul");
        handler.flush();
      } finally {
        logger.removeHandler(handler);
      }
    }
  }

  @Traced(strict = "false")
  static class NotCapturingSample {
    static SpanCollector collector;

    @Test
    void prints(SpanCollector spans) {
      collector = spans;
      System.out.println("not captured");
    }
  }

  private static List<SpanEvent> logEvents(RecordedSpan span) {
    return span.events().stream().filter(e -> e.name().equals("log")).toList();
  }

  private static Trace trace(String method) {
    return Samples.collectors.get(method).snapshot();
  }

  @Test
  void aLineWithoutCurrentSpanBecomesALogMarkerAndLinesInASpanBecomeItsLogEventsWithPartsJoined() {
    Kit.Run run = Kit.run(reports, Samples.class);

    assertThat(run.status("printsInsideAndOutsideSpans")).isEqualTo(Status.SUCCESSFUL);
    Trace trace = trace("printsInsideAndOutsideSpans");
    RecordedSpan marker = trace.named("log").get(0);
    assertThat(marker.marker()).isTrue();
    assertThat(marker.isRoot()).isTrue();
    assertThat(marker.attributes()).containsExactly(Map.entry("stream", "stdout"), Map.entry("text", "before any span"));
    RecordedSpan work = trace.named("work").get(0);
    assertThat(logEvents(work)).extracting(SpanEvent::attributes).containsExactly(
        Map.of("stream", "stdout", "text", "partial line"),
        Map.of("stream", "stderr", "text", "to stderr"));
    assertThat(trace.problems()).isEmpty();
    assertThat(printedOut.toString(StandardCharsets.UTF_8)).contains("before any span\npartial line\n");
    assertThat(printedErr.toString(StandardCharsets.UTF_8)).contains("to stderr");
  }

  @Test
  void aLinePrintedByAThreadTheTestStartedGoesToThatThreadsCurrentSpan() {
    Kit.Run run = Kit.run(reports, Samples.class);

    assertThat(run.status("printsFromAThreadItStarts")).isEqualTo(Status.SUCCESSFUL);
    RecordedSpan task = trace("printsFromAThreadItStarts").named("task").get(0);
    assertThat(logEvents(task)).singleElement().extracting(e -> e.attributes().get("text")).isEqualTo("from the worker");
  }

  @Test
  void anUnfinishedLineIsRecordedWhenTheTestEnds() {
    Kit.run(reports, Samples.class);

    assertThat(trace("leavesALineUnfinished").named("log")).singleElement()
        .extracting(s -> s.attributes().get("text")).isEqualTo("no newline at the end");
  }

  @Test
  void aLineLongerThanTheValueLimitIsTruncatedWithAProblem() {
    Kit.run(reports, Samples.class);

    Trace trace = trace("printsALongLine");
    assertThat((String) trace.named("log").get(0).attributes().get("text")).startsWith("x".repeat(16)).contains("truncated");
    assertThat(trace.problems()).extracting(p -> p.code()).containsExactly(ProblemCode.VALUE_TRUNCATED);
    assertThat(printedOut.toString(StandardCharsets.UTF_8)).contains("x".repeat(100));
  }

  @Test
  void aFailingTestKeepsItsExceptionAndTheStreamsAreRestored() {
    Kit.Run run = Kit.run(reports, Samples.class);

    assertThat(run.failure("failsAfterPrinting")).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(System.out).isSameAs(quietOut);
    assertThat(System.err).isSameAs(quietErr);
    assertThat(run.failure("failsAfterPrinting").getSuppressed()[0].getMessage()).contains("text=about to fail");
  }

  @Test
  void javaUtilLoggingConsoleHandlerCreatedDuringTheTestIsCaptured() {
    Kit.run(reports, Samples.class);

    RecordedSpan jul = trace("logsThroughJavaUtilLogging").named("jul").get(0);
    assertThat(logEvents(jul)).anySatisfy(event -> assertThat(event.attributes())
        .containsEntry("stream", "stderr").containsEntry("text", "INFO: hello from jul"));
  }

  @Test
  void withoutCaptureNothingIsRecordedAndTheStreamIsNeverReplaced() {
    Kit.run(reports, NotCapturingSample.class);

    assertThat(NotCapturingSample.collector.snapshot().spans()).isEmpty();
    assertThat(printedOut.toString(StandardCharsets.UTF_8)).contains("not captured");
    assertThat(System.out).isSameAs(quietOut);
  }

  @Test
  void aBadCaptureSettingFailsNamingTheKey() {
    Kit.Run run = Kit.run(reports, config("traceunit.capture.output", "yes"), NotCapturingSample.class);

    assertThat(run.failure("prints")).hasMessage("traceunit.capture.output is 'yes' but must be true or false");
  }

  @Traced(captureOutput = "true")
  @Execution(ExecutionMode.CONCURRENT)
  static class ParallelSample {
    static final Map<Integer, SpanCollector> collectors = new ConcurrentHashMap<>();

    @RepeatedTest(200)
    void printsItsOwnNumberFromTwoThreads(RepetitionInfo repetition, SpanCollector collector) throws InterruptedException {
      int n = repetition.getCurrentRepetition();
      collectors.put(n, collector);
      Thread other = new Thread(() -> {
        for (int i = 0; i < 20; i++) {
          System.out.println("test " + n + " worker line " + i);
        }
      });
      other.start();
      for (int i = 0; i < 20; i++) {
        System.out.print("test " + n + " ");
        System.out.println("main line " + i);
      }
      other.join();
    }
  }

  @Test
  void underParallelExecutionEveryLineGoesToTheTraceOfTheTestThatPrintedIt() {
    ParallelSample.collectors.clear();
    Kit.Run run = Kit.run(reports, config("junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"), ParallelSample.class);

    assertThat(run.tests().succeeded().count()).isEqualTo(200);
    for (int n = 1; n <= 200; n++) {
      List<String> texts = new ArrayList<>();
      for (RecordedSpan log : ParallelSample.collectors.get(n).snapshot().named("log")) {
        texts.add((String) log.attributes().get("text"));
      }
      String own = "test " + n + " ";
      assertThat(texts).hasSize(40).allSatisfy(text -> assertThat(text).startsWith(own));
    }
    assertThat(System.out).isSameAs(quietOut);
  }
}
