package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
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
  void theReportListsEveryTestWithItsClassStatusSpansProblemsAndWhereItFailed() throws IOException {
    ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    List<JsonNode> tests = ReportRun.tests(dir);
    assertThat(tests).extracting(t -> t.get("name").asText())
        .containsExactlyInAnyOrder("rendersTheReviewPage(MockClock)", "paysOnce(MockClock)");
    JsonNode failed = test(tests, "rendersTheReviewPage(MockClock)");
    assertThat(failed.get("class").asText()).isEqualTo("ReportRun$ShopSample");
    assertThat(failed.get("className").asText()).isEqualTo(ReportRun.ShopSample.class.getName());
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("failure").asText()).isEqualTo("error");
    assertThat(failed.get("spans").asInt()).isEqualTo(4);
    assertThat(failed.get("errors").asInt()).isEqualTo(1);
    assertThat(failed.get("open").asInt()).isEqualTo(1);
    assertThat(failed.get("names")).extracting(JsonNode::asText)
        .containsExactly(ReportRun.INJECTED_NAME, "summarize", "stock.lookup", "render.call");
    assertThat(failed.get("message").asText())
        .isEqualTo("java.lang.IllegalStateException: review page broke: " + ReportRun.INJECTED_ATTRIBUTE);
    assertThat(failed.get("source").asText())
        .startsWith(ReportRun.ShopSample.class.getName() + ".rendersTheReviewPage(ReportRun.java:");
    assertThat(failed.get("problems").get(0).asText()).startsWith("SCOPE_CLOSED_OUT_OF_ORDER");
    JsonNode passed = test(tests, "paysOnce(MockClock)");
    assertThat(passed.get("status").asText()).isEqualTo("SUCCESSFUL");
    assertThat(passed.get("failure").asText()).isEmpty();
    assertThat(passed.get("spans").asInt()).isEqualTo(2);
    assertThat(passed.get("problems")).isEmpty();
    assertThat(passed.get("classId")).isEqualTo(failed.get("classId"));
  }

  @Test
  void theFailuresStackTraceIsWholeAndTheDumpsTreeIsNotRepeatedInIt() throws IOException {
    ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    JsonNode failed = test(ReportRun.tests(dir), "rendersTheReviewPage(MockClock)");
    String stack = ReportRun.traceOf(dir, failed).get("stack").asText();
    assertThat(stack).startsWith("java.lang.IllegalStateException: review page broke: " + ReportRun.INJECTED_ATTRIBUTE + "\n")
        .contains("\tat " + failed.get("source").asText())
        .contains("Suppressed: dev.traceunit.junit.TraceDump: trace ShopSample/rendersTheReviewPage")
        .doesNotContain("\u2514\u2500"); // the tree's guides: the page shows the tree beside it
    assertThat(ReportRun.traceOf(dir, test(ReportRun.tests(dir), "paysOnce(MockClock)")).get("stack").asText()).isEmpty();
  }

  static JsonNode test(List<JsonNode> tests, String name) {
    return tests.stream().filter(t -> t.get("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no test " + name + " in " + tests));
  }

  @Test
  void dynamicTestsAndAClassTraceHaveRowsOfTheirOwn() throws IOException {
    ReportRun.run(dir, Map.of(), TestShapesTest.FactorySample.class, TestShapesTest.SetUpFailsSample.class);

    List<String> rows = new ArrayList<>();
    ReportRun.tests(dir)
        .forEach(test -> rows.add(test.get("name").asText() + " " + test.get("status").asText() + " " + test.get("spans")));
    assertThat(rows).containsExactlyInAnyOrder(
        "(class) FAILED 1",
        "factory() SUCCESSFUL 1",
        "factory() › b FAILED 1",
        "factory() › a SUCCESSFUL 1");
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
  void eachTestCarriesItsPlaceInTheTestPlanSoThePageOrdersThemWhateverOrderTheyFinishedIn() throws IOException {
    ReportRun.run(dir, Map.of("junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"), OrderSample.class);

    List<JsonNode> tests = new ArrayList<>(ReportRun.tests(dir));
    tests.sort(java.util.Comparator.comparingInt(test -> test.get("order").asInt())); // as the page sorts them
    assertThat(tests).extracting(test -> test.get("class").asText() + " › " + test.get("name").asText())
        .containsExactly("TraceReportTest$OrderSample › a()", "TraceReportTest$OrderSample › b()",
            "TraceReportTest$OrderSample › c()");
    for (int i = 0; i < 3; i++) {
      assertThat(tests.get(i).get("status").asText()).isEqualTo("SUCCESSFUL");
      assertThat(ReportRun.traceOf(dir, tests.get(i)).get("tree").asText()).contains("internal " + "abc".charAt(i));
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
    String again = printedWithNoOtherRun(() -> ReportRun.run(dir.resolve("failing"), Map.of(), ReportRun.ShopSample.class));
    assertThat(again).as("a second failing run of the same build").isEmpty();
    String otherBuild = printedWithNoOtherRun(() -> ReportRun.run(dir.resolve("failing"),
        Map.of(ConfigKeys.REPORT_BUILD.name(), "next"), ReportRun.ShopSample.class));
    assertThat(otherBuild).as("the first failing run of the next build").startsWith("traceunit report: ");
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
  void eachTraceIsKeptWholeWithItsTextTreeAndOtlp() throws IOException {
    ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    JsonNode failed = test(ReportRun.tests(dir), "rendersTheReviewPage(MockClock)");
    JsonNode data = ReportRun.traceOf(dir, failed);
    assertThat(data.get("id").asText()).isEqualTo(failed.get("id").asText());
    Trace trace = TraceJson.read(new StringReader(data.get("json").asText()));
    assertThat(trace.spans()).extracting(s -> s.name())
        .containsExactly(ReportRun.INJECTED_NAME, "summarize", "stock.lookup", "render.call");
    assertThat(trace.spans().get(0).attributes()).containsEntry("comment", ReportRun.INJECTED_ATTRIBUTE)
        .containsEntry("line.separators", "a\u2028b\u2029c");
    assertThat(data.get("tree").asText()).isEqualTo(trace.render());
    StringWriter otlp = new StringWriter();
    OtlpJson.write(trace, failed.get("id").asText(), otlp);
    assertThat(data.get("otlp").asText()).isEqualTo(otlp.toString());
  }

  @Test
  void untrustedTextStaysInTheDataFilesAndThePageRunsOnlyItsOwnScript() throws IOException {
    String page = ReportRun.run(dir, Map.of(), ReportRun.ShopSample.class);

    assertThat(page).doesNotContain(ReportRun.INJECTED_ATTRIBUTE).doesNotContain("alert(");
    // the run list and the page's own script
    assertThat(count(page, "(?i)<script")).isEqualTo(2).isEqualTo(count(page, "(?i)</script"));
    assertThat(page).containsPattern("script-src 'self' 'sha256-[A-Za-z0-9+/=]+'\">");
    assertThat(resource("report.js")).doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML")
        .doesNotContain("document.write").doesNotContain("eval(");
  }

  @Test
  void runsOfOneBuildShareThePageAndANewBuildReplacesThem() throws IOException {
    Map<String, String> first = Map.of(ConfigKeys.REPORT_BUILD.name(), "first");
    ReportRun.run(dir, first, ReportRun.ShopSample.class); // as one fork of a build
    ReportRun.run(dir, first, GreenSample.class); // and another

    assertThat(ReportRun.tests(dir)).extracting(t -> t.get("name").asText())
        .containsExactlyInAnyOrder("rendersTheReviewPage(MockClock)", "paysOnce(MockClock)", "passes()");
    assertThat(ReportRun.runs(dir)).hasSize(2).allSatisfy(run -> {
      assertThat(run.get("build").asText()).isEqualTo("named first");
      assertThat(Instant.parse(run.get("started").asText())).isBeforeOrEqualTo(Instant.parse(run.get("finished").asText()));
    });

    ReportRun.run(dir, Map.of(ConfigKeys.REPORT_BUILD.name(), "second"), GreenSample.class);
    assertThat(ReportRun.tests(dir)).extracting(t -> t.get("name").asText()).containsExactly("passes()");
    try (var runs = Files.list(dir.resolve("runs"))) {
      assertThat(runs).hasSize(1);
    }
  }

  @Test
  void onRequestTheBuildIsOneOtlpFileWithATracePerTestUnderARunAndClassTree() throws IOException {
    Map<String, String> otlp = Map.of(ConfigKeys.REPORT_OTLP.name(), "true", ConfigKeys.REPORT_BUILD.name(), "one");
    ReportRun.run(dir, otlp, ReportRun.ShopSample.class);
    ReportRun.run(dir, otlp, GreenSample.class);

    io.opentelemetry.proto.trace.v1.TracesData data =
        StrictOtlp.parse(Files.readString(dir.resolve(TraceReportPage.RUN_OTLP)));
    List<io.opentelemetry.proto.trace.v1.Span> all = data.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream()).toList();
    List<io.opentelemetry.proto.trace.v1.Span> runs = all.stream().filter(s -> s.getName().equals("test run")).toList();
    assertThat(runs).hasSize(2);
    io.opentelemetry.proto.trace.v1.Span render = all.stream()
        .filter(s -> s.getName().equals("rendersTheReviewPage(MockClock)")).findFirst().orElseThrow();
    io.opentelemetry.proto.trace.v1.Span shopClass = all.stream()
        .filter(s -> s.getSpanId().equals(render.getParentSpanId()) && s.getTraceId().equals(render.getTraceId()))
        .findFirst().orElseThrow();
    assertThat(shopClass.getName()).isEqualTo("ReportRun$ShopSample");
    assertThat(shopClass.getParentSpanId()).isEqualTo(runs.stream().filter(r -> r.getTraceId().equals(render.getTraceId()))
        .findFirst().orElseThrow().getSpanId());
    assertThat(render.getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(render.getLinksCount()).isEqualTo(1);
    io.opentelemetry.proto.trace.v1.Span linked = all.stream()
        .filter(s -> s.getTraceId().equals(render.getLinks(0).getTraceId()) && s.getSpanId().equals(render.getLinks(0).getSpanId()))
        .findFirst().orElseThrow();
    assertThat(linked.getName()).as("the root of the test's own trace").isEqualTo(ReportRun.INJECTED_NAME);
    assertThat(all.stream().map(s -> s.getTraceId()).distinct()).as("3 test traces and 2 run trees").hasSize(5);

    ReportRun.run(dir, Map.of(ConfigKeys.REPORT_BUILD.name(), "two"), GreenSample.class);
    assertThat(dir.resolve(TraceReportPage.RUN_OTLP)).as("a build that does not ask for it").doesNotExist();
  }

  @Test
  void theSameRunsGiveTheSamePage() throws IOException {
    for (String build : List.of("a", "b")) { // one line: the failures' stack traces name it
      ReportRun.run(dir.resolve(build), Map.of(ConfigKeys.REPORT_BUILD.name(), build), ReportRun.ShopSample.class, GreenSample.class);
    }

    assertThat(dir.resolve("b/index.html")).hasSameTextualContentAs(dir.resolve("a/index.html"));
    // Stack traces are left out: the JVM's reflection frames change as a method is called more often.
    List<JsonNode> a = ReportRun.tests(dir.resolve("a"));
    List<JsonNode> b = ReportRun.tests(dir.resolve("b"));
    assertThat(b).extracting(t -> t.get("id").asText() + t.get("file") + t.get("at"))
        .isEqualTo(a.stream().map(t -> t.get("id").asText() + t.get("file") + t.get("at")).toList());
    for (int i = 0; i < a.size(); i++) {
      assertThat(ReportRun.traceOf(dir.resolve("b"), b.get(i)).get("tree"))
          .isEqualTo(ReportRun.traceOf(dir.resolve("a"), a.get(i)).get("tree"));
    }
  }

  @Test
  void aClassLevelTraceIsListedWithItsClass() throws IOException {
    ReportRun.run(dir, Map.of(), ClassTraceSample.class);

    List<JsonNode> tests = ReportRun.tests(dir);
    JsonNode classTrace = tests.stream().filter(t -> t.get("kind").asText().equals("class")).findFirst().orElseThrow();
    JsonNode method = test(tests, "passes()");
    assertThat(classTrace.get("classId")).isEqualTo(method.get("classId"));
    assertThat(classTrace.get("id").asText()).isEqualTo(method.get("classId").asText());
    assertThat(classTrace.get("names")).extracting(JsonNode::asText).containsExactly("seed.database");
  }

  /** Hands a class-level trace to the report as the extension does for @BeforeAll and @AfterAll. */
  static final class OffersAClassTrace implements org.junit.jupiter.api.extension.AfterAllCallback {
    @Override
    public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
      dev.traceunit.core.SpanCollector collector = new dev.traceunit.core.SpanCollector(context.getUniqueId(),
          dev.traceunit.core.TimeSource.system(), dev.traceunit.core.Limits.defaults());
      try (var scope = collector.activate()) {
        Tracing.run("seed.database", () -> {});
      }
      TraceReportListener.offer(context.getUniqueId(), collector.finish());
    }
  }

  @ExtendWith({TraceExtension.class, OffersAClassTrace.class})
  static class ClassTraceSample {
    @Test
    void passes() {
      Tracing.run("step", () -> {});
    }
  }

  @Test
  void reportFalseWritesNothing() throws IOException {
    assertThat(ReportRun.run(dir, Map.of(ConfigKeys.REPORT.name(), "false"), ReportRun.ShopSample.class)).isNull();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aBadReportValueWritesNoReportAndFailsTheTracedTestsLikeABadSetting() throws IOException {
    // The listener reads the value with the same key and parser as the extension, which fails each test with it.
    assertThat(ReportRun.run(dir, Map.of(ConfigKeys.REPORT_OTLP.name(), "yes"), ReportRun.ShopSample.class)).isNull();
    assertThat(dir).isEmptyDirectory();
    assertThat(Kit.run(dir, Map.of(ConfigKeys.REPORT_OTLP.name(), "yes"), ReportRun.ShopSample.class).results
        .testEvents().failed().stream().map(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("")))
        .isNotEmpty().containsOnly("traceunit.report.otlp is 'yes' but must be true or false");
  }

  @Test
  void aRunWithoutTracedTestsWritesNoReport() throws IOException {
    assertThat(ReportRun.run(dir, Map.of(), UntracedSample.class)).isNull();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theReportFollowsJUnitsOutputDirectoryWhenNoFolderIsConfigured() throws IOException {
    ReportRun.run(dir, Map.of(ConfigKeys.REPORT_DIR.name(), "", "junit.platform.reporting.output.dir",
        dir.resolve("build").toString()), ReportRun.ShopSample.class);

    assertThat(dir.resolve("build/traceunit-report/index.html")).isRegularFile();
    try (var files = Files.walk(dir.resolve("build/traceunit-report"))) {
      assertThat(files).as("no parts or temporary files are left").map(f -> f.getFileName().toString())
          .noneMatch(name -> name.endsWith(".tmp") || name.startsWith(TraceReportPage.PART_PREFIX));
    }
  }

  @Test
  void testsRunningInParallelEachGetTheirOwnTraceInTheReport() throws IOException {
    ReportRun.run(dir, Map.of("junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent"), ParallelSample.class);

    List<JsonNode> tests = ReportRun.tests(dir);
    assertThat(tests).hasSize(8);
    for (JsonNode test : tests) {
      Trace trace = TraceJson.read(new StringReader(ReportRun.traceOf(dir, test).get("json").asText()));
      assertThat(trace.spans()).hasSize(1);
      assertThat(test.get("name").asText()).isEqualTo(trace.spans().get(0).name() + "()");
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
