package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class TraceReportTest {

  @TempDir
  Path dir;

  @Test
  void theReportListsFailedTestsFirstWithStatusSpansAndProblems() throws IOException {
    String page = ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    JsonNode tests = ReportRun.json(page, "traceunit-tests").get("tests");
    assertThat(tests).hasSize(2);
    JsonNode failed = tests.get(0);
    assertThat(failed.get("name").asText()).isEqualTo("ReportRun$ShopSample › rendersTheReviewPage(MockClock)");
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("spans").asInt()).isEqualTo(4);
    assertThat(failed.get("errors").asInt()).isEqualTo(1);
    assertThat(failed.get("open").asInt()).isEqualTo(1);
    assertThat(failed.get("message").asText())
        .isEqualTo("java.lang.IllegalStateException: review page broke: " + ReportRun.INJECTED_ATTRIBUTE);
    assertThat(failed.get("problems").get(0).asText()).startsWith("SCOPE_CLOSED_OUT_OF_ORDER");
    JsonNode passed = tests.get(1);
    assertThat(passed.get("status").asText()).isEqualTo("SUCCESSFUL");
    assertThat(passed.get("spans").asInt()).isEqualTo(2);
    assertThat(passed.get("problems")).isEmpty();
  }

  /** Its tests run at the same time and finish in the reverse of their names' order. */
  @ExtendWith(TraceExtension.class)
  @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
  static class OrderSample {
    static final java.util.concurrent.CountDownLatch B_FINISHED = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.CountDownLatch C_FINISHED = new java.util.concurrent.CountDownLatch(1);

    @Test
    void a() throws InterruptedException {
      Tracing.run("a", () -> {});
      assertThat(B_FINISHED.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("b finished").isTrue();
    }

    @Test
    void b() throws InterruptedException {
      Tracing.run("b", () -> {});
      assertThat(C_FINISHED.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("c finished").isTrue();
      B_FINISHED.countDown();
    }

    @Test
    void c() {
      Tracing.run("c", () -> {});
      C_FINISHED.countDown();
    }
  }

  @Test
  void theReportListsTestsByNameWhateverOrderTheyFinishedInAndNumbersTheirTracesSo() throws IOException {
    String page = ReportRun.run(dir, Map.of("junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"), OrderSample.class);

    JsonNode tests = ReportRun.json(page, "traceunit-tests").get("tests");
    List<String> names = new ArrayList<>();
    tests.forEach(test -> names.add(test.get("name").asText() + " #" + test.get("trace").asInt()));
    tests.forEach(test -> assertThat(test.get("status").asText()).as(test.get("name").asText()).isEqualTo("SUCCESSFUL"));
    assertThat(names).containsExactly("TraceReportTest$OrderSample › a() #0", "TraceReportTest$OrderSample › b() #1",
        "TraceReportTest$OrderSample › c() #2");
    for (int i = 0; i < 3; i++) {
      assertThat(ReportRun.json(page, "trace-" + i).get("tree").asText()).contains("internal " + "abc".charAt(i));
    }
  }

  @ExtendWith(TraceExtension.class)
  static class GreenSample {
    @Test
    void passes() {
      Tracing.run("step", () -> {});
    }
  }

  /** A test that runs the failing ShopSample in a run of its own, as traceunit's own tests do. */
  static class RunsTestsSample {
    static Path innerDir;

    @Test
    void runsAFailingTestInside() throws IOException {
      ReportRun.run(innerDir, Map.of(), ReportRun.ShopSample.class);
    }
  }

  @Test
  void theReportsAddressIsPrintedOnlyForARunWithAFailedTracedTestThatNoOtherRunStarted() throws IOException {
    String failing = printedWithNoOtherRun(() -> ReportRun.run(dir.resolve("failing"), Map.of(), ReportRun.ShopSample.class));
    String green = printedWithNoOtherRun(() -> ReportRun.run(dir.resolve("green"), Map.of(), GreenSample.class));
    RunsTestsSample.innerDir = dir.resolve("inner");
    String nested = printedWithNoOtherRun(() -> ReportRun.run(dir.resolve("outer"), Map.of(), RunsTestsSample.class));

    assertThat(failing).isEqualTo("traceunit report: " + dir.resolve("failing").resolve("index.html").toUri()
        + System.lineSeparator());
    assertThat(green).isEmpty();
    assertThat(dir.resolve("green").resolve("index.html")).exists();
    assertThat(nested).isEmpty();
    assertThat(dir.resolve("inner").resolve("index.html")).exists();
  }

  @ExtendWith(TraceExtension.class)
  static class LosesASpanSample {
    @Test
    void handsAnUnwrappedTaskToAPool() throws Exception {
      ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "lost-pool"));
      try {
        pool.submit(() -> Tracing.run("lost.work", () -> {})).get(10, TimeUnit.SECONDS);
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void aRunInWhichASpanWasRecordedInNoTestEndsWithOneLineSayingSoEvenWhenGreen() throws IOException {
    // Parallel execution: no fallback, so the unwrapped task's span is recorded in no test.
    String printed = printedWithNoOtherRun(() -> ReportRun.run(dir.resolve("lost"), Map.of(
        "junit.jupiter.execution.parallel.enabled", "true", "traceunit.strict", "false"), LosesASpanSample.class));

    assertThat(printed).isEqualTo("traceunit: 1 span was recorded in no test, from 1 thread (first: thread"
        + " 'lost-pool', span 'lost.work', a pool thread started while LosesASpanSample/handsAnUnwrappedTaskToAPool"
        + " ran, running a task with no captured context); hand tasks to pools through Tracing.wrap"
        + System.lineSeparator());
  }

  private interface Run {
    void run() throws IOException;
  }

  /** What a run printed to System.out, run as if no other run were going on in this JVM. */
  private static String printedWithNoOtherRun(Run run) throws IOException {
    Set<TraceReportListener> outer = Set.copyOf(TraceReportListener.ACTIVE);
    TraceReportListener.ACTIVE.removeAll(outer);
    PrintStream before = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setOut(before);
      TraceReportListener.ACTIVE.addAll(outer);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void thePageIsReadableByEveryoneLikeAnyBuildOutput() throws IOException {
    ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    Path page;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      page = files.filter(f -> f.getFileName().toString().equals("index.html")).findFirst().orElseThrow();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.getFileStore(page).supportsFileAttributeView("posix"), "a POSIX file system");
    assertThat(java.nio.file.Files.getPosixFilePermissions(page))
        .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
            java.nio.file.attribute.PosixFilePermission.GROUP_READ);
  }

  @Test
  void eachTraceIsEmbeddedWholeWithItsTextTree() throws IOException {
    String page = ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    JsonNode failed = ReportRun.json(page, "traceunit-tests").get("tests").get(0);
    JsonNode embedded = ReportRun.json(page, "trace-" + failed.get("trace").asInt());
    Trace trace = TraceJson.read(new StringReader(embedded.get("trace").toString()));
    assertThat(trace.spans()).extracting(s -> s.name())
        .containsExactly(ReportRun.INJECTED_NAME, "summarize", "stock.lookup", "render.call");
    assertThat(trace.spans().get(0).attributes()).containsEntry("comment", ReportRun.INJECTED_ATTRIBUTE)
        .containsEntry("line.separators", "a\u2028b\u2029c");
    assertThat(embedded.get("tree").asText()).isEqualTo(trace.render());
  }

  @Test
  void untrustedTextCannotCloseTheScriptOrBecomeMarkup() throws IOException {
    String page = ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    assertThat(page).doesNotContain("<img").doesNotContain("alert(2)</script>")
        .doesNotContain("\u2028").doesNotContain("\u2029")
        .contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(2)");
    assertThat(count(page, "(?i)<script")).isEqualTo(count(page, "(?i)</script"));
    // one list, two traces, the page's own script
    assertThat(count(page, "(?i)<script")).isEqualTo(4);
    assertThat(page).containsPattern("script-src 'sha256-[A-Za-z0-9+/=]+'");
    assertThat(resource("report.js")).doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML")
        .doesNotContain("document.write").doesNotContain("eval(");
  }

  @Test
  void reportFalseWritesNothing() throws IOException {
    assertThat(ReportRun.run(dir, Map.of(TraceReportListener.ENABLED_KEY, "false"), ReportRun.ShopSample.class)).isNull();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aRunWithoutTracedTestsWritesNoReport() throws IOException {
    assertThat(ReportRun.run(dir, Map.of(), UntracedSample.class)).isNull();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theReportFollowsJUnitsOutputDirectoryWhenNoFolderIsConfigured() throws IOException {
    ReportRun.run(dir, Map.of(TraceReportListener.DIR_KEY, "", "junit.platform.reporting.output.dir",
        dir.resolve("build").toString()), ReportRun.ShopSample.class);

    assertThat(dir.resolve("build/traceunit-report/index.html")).isRegularFile();
    try (var files = Files.list(dir.resolve("build/traceunit-report"))) {
      assertThat(files).as("no parts or temporary files are left").hasSize(1);
    }
  }

  @Test
  void testsRunningInParallelEachGetTheirOwnTraceInTheReport() throws IOException {
    String page = ReportRun.run(dir, Map.of("junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent"), ParallelSample.class);

    JsonNode tests = ReportRun.json(page, "traceunit-tests").get("tests");
    assertThat(tests).hasSize(8);
    for (JsonNode test : tests) {
      JsonNode spans = ReportRun.json(page, "trace-" + test.get("trace").asInt()).get("trace").get("spans");
      assertThat(spans).hasSize(1);
      assertThat(test.get("name").asText()).contains(spans.get(0).get("name").asText() + "(");
    }
  }

  @Test
  void anOuterRunIgnoresTracesOfTestsItDoesNotRun(TestInfo info) {
    // This test runs under the module's own launcher, whose listener is active: a trace offered
    // for a test outside its plan must not be kept (it would never be collected).
    TraceReportListener.offer("[engine:junit-jupiter]/[class:Nowhere]/[method:none()]",
        Trace.of("Nowhere/none", List.of(), List.of(), 0));
    assertThat(info.getTestMethod()).isPresent();
  }

  static class UntracedSample {
    @Test
    void passes() {
      assertThat(1 + 1).isEqualTo(2);
    }
  }

  @Traced
  static class ParallelSample {
    @Test void a() { Tracing.run("a", () -> {}); }
    @Test void b() { Tracing.run("b", () -> {}); }
    @Test void c() { Tracing.run("c", () -> {}); }
    @Test void d() { Tracing.run("d", () -> {}); }
    @Test void e() { Tracing.run("e", () -> {}); }
    @Test void f() { Tracing.run("f", () -> {}); }
    @Test void g() { Tracing.run("g", () -> {}); }
    @Test void h() { Tracing.run("h", () -> {}); }
  }

  private static int count(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    List<Integer> found = new ArrayList<>();
    while (matcher.find()) {
      found.add(matcher.start());
    }
    return found.size();
  }

  private static String resource(String name) throws IOException {
    try (var in = TraceReportPage.class.getResourceAsStream("/dev/traceunit/junit/report/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
