package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.Traced;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A passing test with a million spans, within the default limits, in a JVM of 384 MB with the HTML
 * report on: the report may have to leave the trace out, but the run goes on to the next test.
 */
class SmallHeapReportTest {

  /** Small enough that the report's tree of the trace does not fit, large enough for the trace itself. */
  static final int HEAP_MB = 384;

  @TempDir
  Path temp;

  @Traced
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class MillionSpansSample {
    @Test
    @Order(1)
    void recordsAMillionSpans() {
      try (SpanHandle root = Tracing.start("root")) {
        for (int i = 0; i < 999_999; i++) {
          Tracing.startAsync("child").end();
        }
      }
    }

    @Test
    @Order(2)
    void runsAfterIt() {
      System.out.println("the next test ran");
    }
  }

  /** The forked JVM's main: runs the sample with the report on and prints the summary. */
  public static void main(String[] args) {
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(MillionSpansSample.class))
        .configurationParameter("traceunit.report.dir", args[0])
        .build(), summary);
    TestExecutionSummary result = summary.getSummary();
    System.out.println("succeeded " + result.getTestsSucceededCount() + " failed " + result.getTestsFailedCount());
    result.getFailures().forEach(failure -> System.out.println("failure: " + failure.getException()));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aMillionSpanTraceInA512MbJvmNeverStopsTheRun() throws IOException, InterruptedException {
    Path output = temp.resolve("output.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Xmx" + HEAP_MB + "m", "-cp", System.getProperty("java.class.path"),
        SmallHeapReportTest.class.getName(), temp.resolve("report").toString()))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    long start = System.nanoTime();
    assertThat(process.waitFor(4, TimeUnit.MINUTES)).isTrue();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(printed).isZero();
    assertThat(printed).contains("the next test ran").contains("succeeded 2 failed 0")
        .doesNotContain("OutOfMemoryError\n\tat");
    Path page = temp.resolve("report").resolve("index.html");
    boolean reported = Files.exists(page);
    boolean treeLeftOut = reported && Files.readString(page, StandardCharsets.UTF_8).contains("left out of the report");
    Runs.figures("small heap: 1M-span passing test in -Xmx" + HEAP_MB + "m with the report on: 2 of 2 tests passed in " + seconds
        + " s; report " + (reported ? "written" + (treeLeftOut ? ", its text tree left out with a note" : "")
            : "left out with a note: "
            + printed.lines().filter(line -> line.startsWith("traceunit:")).findFirst().orElse("(no note)")));
  }
}
