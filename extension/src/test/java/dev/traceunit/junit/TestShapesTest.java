package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.mockito.Mockito.when;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/**
 * Every shape of test gets its own trace and every failure its dump: dynamic tests, class-level
 * methods, failures raised after the extension's afterEach, exceptions that refuse suppression.
 */
class TestShapesTest {

  @TempDir
  Path reports;

  private PrintStream realErr;
  private final ByteArrayOutputStream printedErr = new ByteArrayOutputStream();

  @BeforeEach
  void captureStandardError() {
    realErr = System.err;
    System.setErr(new PrintStream(printedErr, true, StandardCharsets.UTF_8));
    Seen.clocks.clear();
  }

  @AfterEach
  void restoreStandardError() {
    System.setErr(realErr);
  }

  private String standardError() {
    return printedErr.toString(StandardCharsets.UTF_8);
  }

  /** What the samples saw, by where they saw it. */
  static final class Seen {
    static final Map<String, MockClock> clocks = new ConcurrentHashMap<>();
  }

  private static void record(String name) {
    Tracing.run(SpanKind.INTERNAL, name, () -> {});
  }

  private static TraceDump dumpIn(Throwable failure) {
    return Arrays.stream(failure.getSuppressed()).filter(TraceDump.class::isInstance).map(TraceDump.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no TraceDump in " + failure, failure));
  }

  private static List<String> names(Trace trace) {
    return trace.spans().stream().map(RecordedSpan::name).toList();
  }

  @Traced(dump = "always")
  static class FactorySample {
    @TestFactory
    Stream<DynamicTest> factory() {
      record("factory.setup");
      return Stream.of(
          dynamicTest("a", () -> record("dyn.a")),
          dynamicTest("b", () -> {
            record("dyn.b");
            throw new AssertionError("b fails");
          }));
    }
  }

  @Test
  void eachDynamicTestHasItsOwnTraceAndTheFactoryKeepsItsSpans() {
    Kit.Run run = Kit.run(reports, FactorySample.class);

    assertThat(run.allReportEntries(TraceExtension.REPORT_ENTRY_KEY)).hasSize(3)
        .anySatisfy(tree -> assertThat(tree).startsWith("trace FactorySample/factory/#1 · 1 span\n").contains("dyn.a")
            .doesNotContain("dyn.b").doesNotContain("factory.setup"))
        .anySatisfy(tree -> assertThat(tree).startsWith("trace FactorySample/factory/#2 · 1 span\n").contains("dyn.b")
            .doesNotContain("dyn.a"))
        .anySatisfy(tree -> assertThat(tree).startsWith("trace FactorySample/factory · 1 span\n")
            .contains("factory.setup").doesNotContain("dyn."));
  }

  @Test
  void aFailingDynamicTestCarriesItsDumpAndPublishesItsFiles() throws Exception {
    Kit.Run run = Kit.run(reports, FactorySample.class);

    TraceDump dump = dumpIn(run.failureOf("b"));
    assertThat(names(dump.trace())).containsExactly("dyn.b");
    assertThat(dump.getMessage()).startsWith("trace FactorySample/factory/#2 · 1 span");
    assertThat(run.filesOf("b")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactlyInAnyOrder("trace.txt", "trace.json");
    Path text = run.filesOf("b").stream().map(f -> f.getPath()).filter(p -> p.endsWith("trace.txt")).findFirst()
        .orElseThrow();
    assertThat(Files.readString(text)).contains("dyn.b").doesNotContain("dyn.a");
    assertThat(run.results.containerEvents().failed().count()).as("the factory and its class do not fail").isZero();
  }

  @ExtendWith(TraceExtension.class)
  static class SetUpFailsSample {
    @BeforeAll
    static void startServer(Spans spans, MockClock clock) {
      Seen.clocks.put("beforeAll", clock);
      Tracing.run(SpanKind.SERVER, "server.start", () -> clock.advanceTime(Duration.ofMillis(5)));
      throw new IllegalStateException("port 8080 in use");
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void aFailingBeforeAllMethodCarriesTheClassTrace() {
    Kit.Run run = Kit.run(reports, SetUpFailsSample.class);

    Throwable failure = run.failureOf("TestShapesTest$SetUpFailsSample");
    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("port 8080 in use");
    TraceDump dump = dumpIn(failure);
    assertThat(dump.getMessage()).isEqualTo("trace SetUpFailsSample · 1 span\n"
        + "└─ server server.start  +0ms  5ms\n");
    assertThat(run.filesOf("TestShapesTest$SetUpFailsSample")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactlyInAnyOrder("trace.txt", "trace.json");
  }

  @Traced(dump = "always")
  static class ClassLevelSample {
    @BeforeAll
    static void seed(MockClock clock) {
      Seen.clocks.put("outer.beforeAll", clock);
      Tracing.run(SpanKind.CLIENT, "db.seed", () -> clock.advanceTime(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop(Spans spans) {
      record("server.stop");
      assertThat(names(spans.snapshot())).containsExactly("db.seed", "server.stop");
    }

    @Test
    void works(Spans spans, MockClock clock) {
      Seen.clocks.put("outer.test", clock);
      record("work");
      assertThat(names(spans.snapshot())).containsExactly("work");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Inner {
      Inner(MockClock clock) {
        Seen.clocks.put("inner.constructor", clock);
        record("inner.constructor");
      }

      @BeforeAll
      void seedInner(Spans spans, MockClock clock) {
        Seen.clocks.put("inner.beforeAll", clock);
        record("inner.seed");
        assertThat(names(spans.snapshot())).containsExactly("inner.constructor", "inner.seed");
      }

      @Test
      void worksInside(Spans spans) {
        record("inner.work");
        assertThat(names(spans.snapshot())).containsExactly("inner.work");
      }
    }
  }

  @Test
  void classLevelMethodsRecordIntoTheirClassTraceOnAClockOfItsOwn() {
    Kit.Run run = Kit.run(reports, ClassLevelSample.class);

    assertThat(run.tests().failed().count()).as("failures: %s", run.tests().failed().list()).isZero();
    assertThat(run.results.containerEvents().failed().count())
        .as("failures: %s", run.results.containerEvents().failed().list()).isZero();
    assertThat(run.allReportEntries(TraceExtension.REPORT_ENTRY_KEY))
        .anySatisfy(tree -> assertThat(tree).isEqualTo("trace ClassLevelSample · 2 spans\n"
            + "├─ client db.seed        +0ms     1000ms\n"
            + "└─ internal server.stop  +1000ms  0ms\n"))
        .anySatisfy(tree -> assertThat(tree).startsWith("trace ClassLevelSample/Inner · 2 spans\n")
            .contains("inner.constructor").contains("inner.seed").doesNotContain("inner.work"));
    assertThat(Seen.clocks.get("outer.test")).isNotSameAs(Seen.clocks.get("outer.beforeAll"));
    assertThat(Seen.clocks.get("outer.test").elapsed()).isEqualTo(Duration.ZERO);
    assertThat(Seen.clocks.get("inner.constructor")).isSameAs(Seen.clocks.get("inner.beforeAll"))
        .isNotSameAs(Seen.clocks.get("outer.beforeAll"));
  }

  @Traced(dump = "always")
  static class ServerSample {
    static final CountDownLatch request = new CountDownLatch(1);
    static Thread worker;

    @BeforeAll
    static void startServer() {
      worker = new Thread(() -> {
        try {
          request.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        record("request.handled");
      }, "server-worker");
      worker.start();
    }

    @Test
    void sendsARequest(Spans spans) throws InterruptedException {
      request.countDown();
      worker.join();
      assertThat(names(spans.snapshot())).isEmpty();
    }
  }

  @Test
  void threadsStartedInBeforeAllRecordIntoTheClassTrace() {
    Kit.Run run = Kit.run(reports, ServerSample.class);

    assertThat(run.tests().failed().count()).as("failures: %s", run.tests().failed().list()).isZero();
    assertThat(run.allReportEntries(TraceExtension.REPORT_ENTRY_KEY))
        .anySatisfy(tree -> assertThat(tree).startsWith("trace ServerSample · 1 span\n").contains("request.handled"));
  }

  @ExtendWith(MockitoExtension.class) // first: its afterEach (strict stubs) runs after traceunit's
  @ExtendWith(TraceExtension.class)
  static class MockitoFirstSample {
    @Mock
    Supplier<String> prices;

    @Test
    void stubsWhatItNeverUses() {
      when(prices.get()).thenReturn("42");
      record("checkout");
    }
  }

  @Test
  void aFailureRaisedByAnExtensionAfterOursStillGetsTheDumpAndFiles() {
    Kit.Run run = Kit.run(reports, MockitoFirstSample.class);

    Throwable failure = run.failure("stubsWhatItNeverUses");
    assertThat(failure.getClass().getSimpleName()).isEqualTo("UnnecessaryStubbingException");
    assertThat(names(dumpIn(failure).trace())).containsExactly("checkout");
    assertThat(run.files("stubsWhatItNeverUses")).extracting(f -> f.getPath().getFileName().toString())
        .containsExactlyInAnyOrder("trace.txt", "trace.json");
  }

  /** An exception that takes no suppressed exceptions, as some frameworks build them. */
  static final class Unsuppressable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsuppressable(String message) {
      super(message, null, false, false);
    }
  }

  @ExtendWith(TraceExtension.class)
  static class UnsuppressableSample {
    @Test
    void failsWithoutSuppression() {
      record("lookup");
      throw new Unsuppressable("cache corrupt");
    }
  }

  @Test
  void aFailureThatRefusesSuppressionHasItsTracePrintedNamingTheTest() {
    Kit.Run run = Kit.run(reports, UnsuppressableSample.class);

    assertThat(run.failure("failsWithoutSuppression").getSuppressed()).isEmpty();
    assertThat(standardError()).contains("traceunit: " + Unsuppressable.class.getName()
            + " takes no suppressed exceptions, so the trace of UnsuppressableSample/failsWithoutSuppression"
            + " is printed here:" + System.lineSeparator()
            + "trace UnsuppressableSample/failsWithoutSuppression · 1 span\n"
            + "└─ internal lookup  +0ms  0ms\n");
    assertThat(run.files("failsWithoutSuppression")).hasSize(2);
  }

  @ExtendWith(TraceExtension.class)
  static class RecursionSample {
    @Test
    void recursesWithoutEnd() {
      descend(0);
    }

    static int descend(int depth) {
      return Tracing.call(SpanKind.INTERNAL, "descend", () -> descend(depth + 1) + 1);
    }
  }

  @Test
  void aStackOverflowThroughThousandsOfSpansIsDumpedAndStoredOnce() throws Exception {
    Kit.Run run = Kit.run(reports, RecursionSample.class);

    Throwable failure = run.failure("recursesWithoutEnd");
    assertThat(failure).isInstanceOf(StackOverflowError.class);
    Optional<TraceDump> dump = Arrays.stream(failure.getSuppressed()).filter(TraceDump.class::isInstance)
        .map(TraceDump.class::cast).findFirst();
    // The JVM's own StackOverflowError may refuse suppressed exceptions: then the dump is printed.
    assertThat(dump.isPresent() || standardError().contains("so the trace of RecursionSample/recursesWithoutEnd"))
        .as("the dump is suppressed in the error or printed; printed: %s", standardError()).isTrue();
    Path json = run.file("recursesWithoutEnd", "trace.json").orElseThrow().getPath();
    Trace trace = TraceJson.read(Files.newBufferedReader(json));
    assertThat(trace.size()).isGreaterThan(1000);
    // Each StackOverflowError object is printed once, by the first span up with room to print it
    // (below it, printing overflowed again: a stand-in says so); the thousands above point at it.
    List<String> stackTraces = trace.spans().stream().filter(s -> s.error() != null).map(s -> s.error().stackTrace())
        .toList();
    long printed = stackTraces.stream().filter(text -> text.startsWith("java.lang.StackOverflowError")
        && !text.contains("(printing it threw ")).count();
    long pointers = stackTraces.stream().filter(text -> text.startsWith("(the same exception as on span ")).count();
    assertThat(stackTraces.size()).isGreaterThan(1000);
    assertThat(printed).isBetween(1L, 20L);
    assertThat(pointers).isGreaterThan(stackTraces.size() - 100L);
    assertThat(trace.spans().stream().filter(s -> s.error() != null).map(s -> s.error().type()).distinct())
        .containsExactly(StackOverflowError.class.getName());
    assertThat(Files.size(json)).isLessThan(20L * 1024 * 1024);
  }
}
