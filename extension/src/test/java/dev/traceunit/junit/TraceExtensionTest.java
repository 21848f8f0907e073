package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;

class TraceExtensionTest {

  @TempDir
  Path reports;

  @ExtendWith(TraceExtension.class)
  static class CheckoutSample {
    @Test
    void paysOnce(MockClock clock) {
      checkout(clock);
    }

    @Test
    void expectsTwoPaymentCalls(MockClock clock) {
      checkout(clock);
      throw new AssertionError("expected 2 payment calls but found 1");
    }

    static void checkout(MockClock clock) {
      try (SpanHandle checkout = Tracing.start(SpanKind.SERVER, "checkout")) {
        checkout.attribute("order", 42);
        clock.advanceTime(Duration.ofMillis(10));
        Tracing.run(SpanKind.CLIENT, "payment.call", () -> clock.advanceTime(Duration.ofMillis(120)));
      }
    }
  }

  private static final String CHECKOUT_TREE = "trace CheckoutSample/expectsTwoPaymentCalls · 2 spans\n"
      + "└─ server checkout         +0ms   130ms  order=42\n"
      + "   └─ client payment.call  +10ms  120ms\n";

  @Test
  void aPassingTestPublishesNothing() {
    Kit.Run run = Kit.run(reports, CheckoutSample.class);

    assertThat(run.status("paysOnce")).isEqualTo(Status.SUCCESSFUL);
    assertThat(run.reportEntries("paysOnce", TraceExtension.REPORT_ENTRY_KEY)).isEmpty();
    assertThat(run.files("paysOnce")).isEmpty();
  }

  @Test
  void aFailingTestKeepsItsExceptionAndCarriesTheTreeAsSuppressedDump() {
    Kit.Run run = Kit.run(reports, CheckoutSample.class);

    Throwable failure = run.failure("expectsTwoPaymentCalls");
    assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("expected 2 payment calls but found 1");
    assertThat(failure.getSuppressed()).hasSize(1);
    Throwable dump = failure.getSuppressed()[0];
    assertThat(dump).isInstanceOf(TraceDump.class).hasMessage(CHECKOUT_TREE);
    assertThat(dump.getStackTrace()).isEmpty();
    assertThat(((TraceDump) dump).trace().named("payment.call")).hasSize(1);
  }

  @Test
  void aFailingTestPublishesTheTreeAsReportEntryAndTheTraceAsFiles() throws IOException {
    Kit.Run run = Kit.run(reports, CheckoutSample.class);

    assertThat(run.reportEntries("expectsTwoPaymentCalls", "traceunit.trace")).containsExactly(CHECKOUT_TREE);
    assertThat(run.files("expectsTwoPaymentCalls")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactly("trace.txt", "trace.json");
    Kit.Published text = run.file("expectsTwoPaymentCalls", "trace.txt").orElseThrow();
    if (JUnitLine.atLeast(5, 12)) { // 5.10 and 5.11 publish no files, hence no media types
      assertThat(text.getMediaType()).hasValue("text/plain; charset=UTF-8");
    }
    assertThat(text.getPath()).hasContent(CHECKOUT_TREE);
    Kit.Published json = run.file("expectsTwoPaymentCalls", "trace.json").orElseThrow();
    if (JUnitLine.atLeast(5, 12)) {
      assertThat(json.getMediaType()).hasValue("application/json");
    }
    try (Reader in = Files.newBufferedReader(json.getPath(), StandardCharsets.UTF_8)) {
      Trace trace = TraceJson.read(in);
      assertThat(trace.render()).isEqualTo(CHECKOUT_TREE);
      assertThat(trace.spans().get(0).startTime()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    }
    assertThat(Files.readString(json.getPath())).contains(
        "\"test\" : \"[engine:junit-jupiter]/[class:dev.traceunit.junit.TraceExtensionTest$CheckoutSample]"
            + "/[method:expectsTwoPaymentCalls(dev.traceunit.clock.MockClock)]\"");
  }

  @ExtendWith(TraceExtension.class)
  static class LifecycleSample {
    static final List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Spans spans, MockClock clock, SpanCollector collector) {
      seen.addAll(Arrays.asList(spans, clock, collector));
      Tracing.run("setUp", () -> clock.advanceTime(Duration.ofMillis(1)));
    }

    @Test
    void records(Spans spans, MockClock clock, SpanCollector collector) {
      seen.addAll(Arrays.asList(spans, clock, collector));
      Tracing.run("test", () -> {});
    }

    @AfterEach
    void tearDown(Spans spans, MockClock clock, SpanCollector collector) {
      seen.addAll(Arrays.asList(spans, clock, collector));
      Tracing.run("tearDown", () -> {});
    }
  }

  @Test
  void beforeEachTestAndAfterEachShareOneCollectorAndClockPerTest() {
    LifecycleSample.seen.clear();

    Kit.Run run = Kit.run(reports, LifecycleSample.class);

    assertThat(run.status("records")).isEqualTo(Status.SUCCESSFUL);
    List<Object> seen = LifecycleSample.seen;
    assertThat(seen).hasSize(9);
    for (int i = 3; i < 9; i += 3) {
      assertThat(seen.get(i)).isSameAs(seen.get(0));
      assertThat(seen.get(i + 1)).isSameAs(seen.get(1));
      assertThat(seen.get(i + 2)).isSameAs(seen.get(0));
    }
    SpanCollector collector = (SpanCollector) seen.get(0);
    assertThat(collector.isFinished()).isTrue();
    assertThat(collector.snapshot().spans()).extracting(s -> s.name()).containsExactly("setUp", "test", "tearDown");
    assertThat(collector.traceId()).isEqualTo("LifecycleSample/records");
    assertThat(((MockClock) seen.get(1)).instant()).isEqualTo(Instant.parse("2000-01-01T00:00:00.001Z"));
  }

  @Test
  void aSpanRecordedAfterTheTestIsNotInItsTrace() {
    LifecycleSample.seen.clear();
    Kit.run(reports, LifecycleSample.class);
    SpanCollector collector = (SpanCollector) LifecycleSample.seen.get(0);

    try (var scope = collector.activate()) {
      Tracing.run("late", () -> {});
    }

    assertThat(collector.snapshot().named("late")).isEmpty();
    assertThat(collector.orphanedSpans()).isEqualTo(1);
  }

  @ExtendWith(TraceExtension.class)
  static class ProblemSample {
    @Test
    void leavesASpanOpen() {
      Tracing.startAsync("never.ended");
    }

    @Test
    void leavesASpanOpenAndFails() {
      Tracing.startAsync("never.ended");
      throw new IllegalStateException("boom");
    }

    @Test
    void leavesASpanOpenAndIsSkipped() {
      Tracing.startAsync("never.ended");
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "not today");
    }
  }

  private static final String OPEN_TREE = "trace ProblemSample/leavesASpanOpen · 1 span · 1 problem\n"
      + "└─ internal never.ended  +0ms  OPEN\n"
      + "problems:\n"
      + "  SPAN_NOT_ENDED  span 1 never.ended was still open when the test ended\n";

  @Test
  void inStrictModeAPassingTestWithProblemsFailsWithCodesAndTree() {
    Kit.Run run = Kit.run(reports, ProblemSample.class);

    Throwable failure = run.failure("leavesASpanOpen");
    assertThat(failure).isInstanceOf(TraceProblemsError.class)
        .hasMessage("the test passed, but its trace has 1 problem: SPAN_NOT_ENDED\n" + OPEN_TREE
            + "Fix the instrumentation, or report problems without failing: traceunit.strict=false");
    assertThat(failure.getStackTrace()).isEmpty();
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(((TraceProblemsError) failure).problems()).extracting(p -> p.code().name()).containsExactly("SPAN_NOT_ENDED");
    assertThat(run.reportEntries("leavesASpanOpen", "traceunit.trace")).containsExactly(OPEN_TREE);
    assertThat(run.files("leavesASpanOpen")).hasSize(2);
  }

  @Test
  void aFailingTestWithProblemsKeepsItsOwnExceptionAndShowsTheProblemsInTheDump() {
    Kit.Run run = Kit.run(reports, ProblemSample.class);

    Throwable failure = run.failure("leavesASpanOpenAndFails");
    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(TraceDump.class)
        .extracting(Throwable::getMessage).asString().contains("SPAN_NOT_ENDED  span 1 never.ended");
  }

  @Test
  void aSkippedTestIsNeitherFailedForProblemsNorDumped() {
    Kit.Run run = Kit.run(reports, ProblemSample.class);

    assertThat(run.status("leavesASpanOpenAndIsSkipped")).isEqualTo(Status.ABORTED);
    assertThat(run.files("leavesASpanOpenAndIsSkipped")).isEmpty();
  }

  @Test
  void withStrictModeOffProblemsAreReportedOnlyWhenTheTestFails() {
    Kit.Run run = Kit.run(reports, config("traceunit.strict", "false"), ProblemSample.class);

    assertThat(run.status("leavesASpanOpen")).isEqualTo(Status.SUCCESSFUL);
    assertThat(run.reportEntries("leavesASpanOpen", "traceunit.trace")).isEmpty();
    assertThat(run.failure("leavesASpanOpenAndFails").getSuppressed()).hasSize(1);
  }

  @Test
  void dumpAlwaysPublishesPassingTestsWithoutAddingAnException() {
    Kit.Run run = Kit.run(reports, config("traceunit.dump", "always"), CheckoutSample.class);

    assertThat(run.status("paysOnce")).isEqualTo(Status.SUCCESSFUL);
    assertThat(run.reportEntries("paysOnce", "traceunit.trace")).singleElement().asString()
        .startsWith("trace CheckoutSample/paysOnce · 2 spans\n");
    assertThat(run.files("paysOnce")).hasSize(2);
    assertThat(run.failure("expectsTwoPaymentCalls").getSuppressed()).hasSize(1);
  }

  @Test
  void dumpNeverLeavesAFailureAsItIs() {
    Kit.Run run = Kit.run(reports, config("traceunit.dump", "never"), CheckoutSample.class, ProblemSample.class);

    assertThat(run.failure("expectsTwoPaymentCalls").getSuppressed()).isEmpty();
    assertThat(run.reportEntries("expectsTwoPaymentCalls", "traceunit.trace")).isEmpty();
    assertThat(run.files("expectsTwoPaymentCalls")).isEmpty();
    assertThat(run.failure("leavesASpanOpen")).isInstanceOf(TraceProblemsError.class);
    assertThat(run.files("leavesASpanOpen")).isEmpty();
  }

  @Test
  void dumpFormatsChooseTheFiles() {
    Kit.Run run = Kit.run(reports, config("traceunit.dump.formats", " json "), CheckoutSample.class);

    assertThat(run.files("expectsTwoPaymentCalls")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactly("trace.json");
    assertThat(run.reportEntries("expectsTwoPaymentCalls", "traceunit.trace")).hasSize(1);
  }

  @ExtendWith(TraceExtension.class)
  static class FailingSetUpSample {
    @BeforeEach
    void setUp() {
      Tracing.run("connect", () -> {});
      throw new IllegalStateException("no database");
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void aFailingBeforeEachCarriesTheDumpOfWhatItRecorded() {
    Kit.Run run = Kit.run(reports, FailingSetUpSample.class);

    Throwable failure = run.failure("neverRuns");
    assertThat(failure).hasMessage("no database");
    assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage).asString()
        .contains("internal connect");
  }

  static Map<String, String> config(String... keysAndValues) {
    Map<String, String> config = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      config.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return config;
  }
}
