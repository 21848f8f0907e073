package dev.traceunit.junit;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.assertions.SiblingOrder;
import dev.traceunit.assertions.Snapshot;
import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult.Status;

/** matchesSnapshot through the JUnit Platform: the files a run writes and what the next run makes of them. */
class SnapshotTest {

  @TempDir
  Path dir;

  /** What the sample records; each test sets it before a run. */
  static volatile int attempt = 1;
  static volatile boolean shippingFirst;

  @AfterEach
  void resetSample() {
    attempt = 1;
    shippingFirst = false;
  }

  @ExtendWith(TraceExtension.class)
  static class CheckoutSample {
    @Test
    void pays(Spans spans, MockClock clock) {
      try (SpanHandle checkout = Tracing.span("checkout").kind(SpanKind.SERVER).attribute("order", 42).start()) {
        try (SpanHandle call = Tracing.span("payment.call").kind(SpanKind.CLIENT).attribute("attempt", attempt)
            .start()) {
          clock.advanceTime(Duration.ofMillis(120));
          call.event("retry.scheduled", Map.of("delay", "2s"));
        }
      }
      assertThat(spans).matchesSnapshot();
    }

    @Test
    void paysTheSubtree(Spans spans) {
      Tracing.run(SpanKind.SERVER, "checkout",
          () -> Tracing.run(SpanKind.CLIENT, "payment.call", () -> Tracing.current().attribute("attempt", attempt)));
      assertThat(spans).hasRootSpan("checkout").child("payment.call").matchesSnapshot(Snapshot.named("call"));
    }
  }

  @Test
  void theFirstRunWritesTheSnapshotAndFailsSayingWhereAndTheSecondPasses() throws Exception {
    Kit.Run first = run(CheckoutSample.class);
    Path file = dir.resolve("dev/traceunit/junit/SnapshotTest/CheckoutSample/pays.trace.txt");
    assertThat(first.failure("pays")).hasMessageContaining("there was none yet: it was written to\n  " + file);
    assertThat(Files.readString(file)).isEqualTo("""
        # traceunit snapshot of dev.traceunit.junit.SnapshotTest$CheckoutSample pays
        span checkout [server]  +0ms  120ms
          attr order = 42
          span payment.call [client]  +0ms  120ms
            attr attempt = 1
            event retry.scheduled  +120ms
              attr delay = "2s"
        """);

    Kit.Run second = run(CheckoutSample.class);
    assertThat(second.status("pays")).isEqualTo(Status.SUCCESSFUL);
    assertThat(second.status("paysTheSubtree")).isEqualTo(Status.SUCCESSFUL);
    assertThat(Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest/CheckoutSample/paysTheSubtree.call.trace.txt")))
        .endsWith("span payment.call [client]  +0ms  0ms\n  attr attempt = 1\n");
  }

  @Test
  void aChangedAttributeFailsWithTheDifferenceMarkedAndWritesTheNewVersionBeside() throws Exception {
    run(CheckoutSample.class);
    Path file = dir.resolve("dev/traceunit/junit/SnapshotTest/CheckoutSample/pays.trace.txt");
    String written = Files.readString(file);

    attempt = 2;
    Kit.Run changed = run(CheckoutSample.class);

    assertThat(changed.failure("pays").getMessage())
        .contains("Expecting trace CheckoutSample/pays\n  to match its snapshot " + file,
            "1 difference was found (the first is marked):\n"
                + "▶ checkout > payment.call: attribute attempt changed: 1 → 2\n",
            "The new version was written to\n  " + file + ".new");
    assertThat(changed.failure("paysTheSubtree").getMessage())
        .contains("▶ payment.call: attribute attempt changed: 1 → 2");
    assertThat(Files.readString(file)).isEqualTo(written);
    assertThat(Files.readString(Path.of(file + ".new"))).isEqualTo(written.replace("attempt = 1", "attempt = 2"));
  }

  @Test
  void theUpdateModeRewritesTheSnapshotsAndTheTestsPass() throws Exception {
    run(CheckoutSample.class);
    attempt = 2;
    run(CheckoutSample.class); // fails, leaves pays.trace.txt.new

    Kit.Run update = run(Map.of("traceunit.snapshots.update", "true"), CheckoutSample.class);

    assertThat(update.status("pays")).isEqualTo(Status.SUCCESSFUL);
    Path file = dir.resolve("dev/traceunit/junit/SnapshotTest/CheckoutSample/pays.trace.txt");
    assertThat(Files.readString(file)).contains("attr attempt = 2");
    assertThat(Path.of(file + ".new")).doesNotExist();
    assertThat(run(CheckoutSample.class).status("pays")).isEqualTo(Status.SUCCESSFUL);
  }

  @Test
  void withMissingSetToPassARunThatWritesSnapshotsPasses() {
    Kit.Run first = run(Map.of("traceunit.snapshots.missing", "pass"), CheckoutSample.class);
    assertThat(first.status("pays")).isEqualTo(Status.SUCCESSFUL);
    assertThat(dir.resolve("dev/traceunit/junit/SnapshotTest/CheckoutSample/pays.trace.txt")).exists();
  }

  @Test
  void aMissingSettingThatIsNeitherFailNorPassFailsNamingKeyValueAndWhatIsAllowed() {
    Kit.Run run = run(Map.of("traceunit.snapshots.missing", "write"), CheckoutSample.class);
    assertThat(run.failure("pays")).hasMessage("traceunit.snapshots.missing is 'write' but must be fail or pass");
  }

  @ExtendWith(TraceExtension.class)
  static class FanOutSample {
    @Test
    void fansOut(Spans spans) {
      fanOut();
      assertThat(spans).matchesSnapshot(Snapshot.named("strict"));
    }

    @Test
    void fansOutAsASet(Spans spans) {
      fanOut();
      assertThat(spans).matchesSnapshot(Snapshot.named("set").siblings(SiblingOrder.ANY).ignoringFields("threadName"));
      assertThat(spans).hasTreeShape("""
          prepare
            inventory.reserve
            shipping.quote
          """, SiblingOrder.ANY);
    }

    /** Two pool threads start their spans at the same instant; which starts first is up to the threads. */
    private static void fanOut() {
      List<String> calls = shippingFirst ? List.of("shipping.quote", "inventory.reserve")
          : List.of("inventory.reserve", "shipping.quote");
      ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(2));
      try (SpanHandle prepare = Tracing.start("prepare")) {
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<Future<Object>> tasks = calls.stream().map(name -> pool.submit(() -> {
          try (SpanHandle call = Tracing.start(SpanKind.CLIENT, name)) {
            bothStarted.countDown();
            bothStarted.await(5, TimeUnit.SECONDS);
          }
          return (Object) name;
        })).toList();
        for (Future<Object> task : tasks) {
          task.get(5, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void concurrentSiblingsPassAsASetWhereStrictStartOrderSeesThemMove() throws Exception {
    run(FanOutSample.class);
    shippingFirst = true; // now shipping.quote is submitted first and runs on the pool's first thread

    Kit.Run second = run(FanOutSample.class);

    assertThat(second.status("fansOutAsASet")).isEqualTo(Status.SUCCESSFUL);
    assertThat(second.failure("fansOut").getMessage()).contains("but 3 differences were found (the first is marked):\n"
        + "▶ prepare > inventory.reserve: thread changed: pool-thread-1 → pool-thread-2\n"
        + "  prepare: span shipping.quote [client] moved: it was 2nd of 2, now 1st of 2\n"
        + "  prepare > shipping.quote: thread changed: pool-thread-2 → pool-thread-1\n");
    assertThat(Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest/FanOutSample/fansOutAsASet.set.trace.txt")))
        .isEqualTo("""
            # traceunit snapshot of dev.traceunit.junit.SnapshotTest$FanOutSample fansOutAsASet (set)
            # ignoring fields: threadName
            # siblings in any order
            span prepare  +0ms  0ms
              span inventory.reserve [client]  +0ms  0ms
              span shipping.quote [client]  +0ms  0ms
            """);
  }

  @Test
  void snapshotFilesNoTestUsedAreReportedAtTheEndOfTheRunAndKept() throws Exception {
    run(Map.of("traceunit.snapshots.missing", "pass"), CheckoutSample.class);
    Path classDir = dir.resolve("dev/traceunit/junit/SnapshotTest/CheckoutSample");
    Files.writeString(classDir.resolve("refunds.trace.txt"), "span refund\n");
    Files.writeString(classDir.resolve("pays.before-retry.trace.txt"), "span checkout\n");

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      run(CheckoutSample.class);
    } finally {
      System.setOut(out);
    }

    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(
        "traceunit: 2 snapshot files look obsolete (no test used it in this run); delete or rename it:\n"
            + "  " + classDir.resolve("pays.before-retry.trace.txt") + "  (test pays passed without comparing it)\n"
            + "  " + classDir.resolve("refunds.trace.txt") + "  (its class has no method refunds)\n");
    assertThat(classDir.resolve("refunds.trace.txt")).exists();
  }

  @ExtendWith(TraceExtension.class)
  static class SecretSample {
    @Test
    void signsIn(Spans spans) {
      Tracing.span("login").attribute("user", "ada").attribute("api_key", "s3cr3t").start().close();
      assertThat(spans).hasSpan("login").hasAttribute("api_key", "s3cr3t");
      assertThat(spans).matchesSnapshot();
    }
  }

  @Test
  void snapshotsMaskSecretLookingValuesAsDumpsDo() throws Exception {
    run(SecretSample.class);
    String file = Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest/SecretSample/signsIn.trace.txt"));
    assertThat(file).contains("attr user = \"ada\"", "attr api_key = \"<redacted>\"").doesNotContain("s3cr3t");
    assertThat(run(SecretSample.class).status("signsIn")).isEqualTo(Status.SUCCESSFUL);
  }

  @ExtendWith(TraceExtension.class)
  static class TwiceSample {
    @Test
    void comparesTwice(Spans spans) {
      Tracing.run(SpanKind.INTERNAL, "step", () -> { });
      assertThat(spans).matchesSnapshot();
      assertThat(spans).matchesSnapshot();
    }
  }

  @Test
  void twoUnnamedSnapshotsInOneTestFailSayingToNameThem() {
    Kit.Run run = run(Map.of("traceunit.snapshots.missing", "pass"), TwiceSample.class);
    assertThat(run.failure("comparesTwice")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("give each matchesSnapshot call of one test its own name");
  }

  @Test
  void snapshotNamesAreTheMethodThenTheNumberOfEachInvocationFromTheOutermost() {
    String engine = "[engine:junit-jupiter]";
    assertThat(TestTrace.snapshotName(engine + "/[class:a.b.CheckoutTest]/[method:pays(a.Spans)]")).isEqualTo("pays");
    assertThat(TestTrace.snapshotName(engine + "/[class:a.b.CheckoutTest]/[nested-class:Retries]"
        + "/[test-template:amounts(int)]/[test-template-invocation:#3]")).isEqualTo("amounts#3");
    assertThat(TestTrace.snapshotName(engine + "/[class:a.b.CheckoutTest]/[test-factory:checks()]"
        + "/[dynamic-container:#1]/[dynamic-test:#3]")).isEqualTo("checks#1#3");
    // @ParameterizedClass (JUnit 5.13+): the class's invocation, then the method's.
    assertThat(TestTrace.snapshotName(engine + "/[class-template:a.b.CheckoutTest]/[class-template-invocation:#2]"
        + "/[method:pays(a.Spans)]")).isEqualTo("pays#2");
    assertThat(TestTrace.snapshotName(engine + "/[class-template:a.b.CheckoutTest]/[class-template-invocation:#2]"
        + "/[test-template:amounts(int)]/[test-template-invocation:#3]")).isEqualTo("amounts#2#3");
    assertThat(TestTrace.snapshotName(engine + "/[class-template:a.b.CheckoutTest]/[class-template-invocation:#2]"
        + "/[nested-class:Retries]/[method:once()]")).isEqualTo("once#2");
    assertThat(TestTrace.snapshotName(engine + "/[class:a.b.CheckoutTest]/[nested-class-template:Retries]"
        + "/[class-template-invocation:#1]/[method:once()]")).isEqualTo("once#1");
  }

  /** Two invocations of one class, each running a test once and a parameterized test twice. */
  @ExtendWith(TraceExtension.class)
  @ParameterizedClass
  @ValueSource(strings = {"eu", "us"})
  static class RegionSample {
    @Parameter
    String region;

    @Test
    void pays(Spans spans) {
      Tracing.span("checkout").attribute("region", region).start().close();
      assertThat(spans).matchesSnapshot();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 20})
    void refunds(int amount, Spans spans) {
      Tracing.span("refund").attribute("region", region).attribute("amount", amount).start().close();
      assertThat(spans).matchesSnapshot();
    }
  }

  @Test
  void eachInvocationOfAParameterizedClassHasItsOwnSnapshotNamedByTheMethodThenTheInvocations() throws Exception {
    Assumptions.assumeTrue(JUnitLine.atLeast(5, 13), "@ParameterizedClass came with JUnit 5.13");
    Path classDir = dir.resolve("dev/traceunit/junit/SnapshotTest/RegionSample");

    Kit.Run first = run(Map.of("traceunit.snapshots.missing", "pass"), RegionSample.class);

    assertThat(first.tests().succeeded().count()).isEqualTo(6);
    assertThat(files(dir)).containsExactlyInAnyOrder("dev/traceunit/junit/SnapshotTest/RegionSample/pays#1.trace.txt",
        "dev/traceunit/junit/SnapshotTest/RegionSample/pays#2.trace.txt",
        "dev/traceunit/junit/SnapshotTest/RegionSample/refunds#1#1.trace.txt",
        "dev/traceunit/junit/SnapshotTest/RegionSample/refunds#1#2.trace.txt",
        "dev/traceunit/junit/SnapshotTest/RegionSample/refunds#2#1.trace.txt",
        "dev/traceunit/junit/SnapshotTest/RegionSample/refunds#2#2.trace.txt");
    assertThat(Files.readString(classDir.resolve("pays#2.trace.txt"))).contains("attr region = \"us\"");
    assertThat(Files.readString(classDir.resolve("refunds#2#1.trace.txt")))
        .contains("attr region = \"us\"", "attr amount = 10");

    Files.writeString(classDir.resolve("audits#1.trace.txt"), "span audit\n");
    // Where a @ParameterizedClass's snapshot went before its invocations had names of their own.
    String before = "dev.traceunit.junit.SnapshotTest$RegionSample#1.pays.trace.txt";
    Files.writeString(classDir.resolve(before), "span checkout\n");
    String printed = printedBy(() -> {
      Kit.Run second = run(RegionSample.class);
      assertThat(second.tests().succeeded().count()).isEqualTo(6);
    });
    assertThat(printed).isEqualTo(
        "traceunit: 2 snapshot files look obsolete (no test used it in this run); delete or rename it:\n"
            + "  " + classDir.resolve("audits#1.trace.txt") + "  (its class has no method audits)\n"
            + "  " + classDir.resolve(before) + "  (its class has no method dev)\n");
  }

  @ExtendWith(TraceExtension.class)
  static class NestingSample {
    @Test
    void pays(Spans spans) {
      Tracing.span("checkout").start().close();
      assertThat(spans).matchesSnapshot();
    }

    @Nested
    class Retries {
      @Test
      void retriesOnce(Spans spans) {
        Tracing.span("retry").start().close();
        assertThat(spans).matchesSnapshot();
      }
    }
  }

  @Test
  void aNestedClassHasItsSnapshotsInAFolderInsideItsOuterClassFolder() throws Exception {
    run(Map.of("traceunit.snapshots.missing", "pass"), NestingSample.class);

    assertThat(files(dir)).containsExactlyInAnyOrder("dev/traceunit/junit/SnapshotTest/NestingSample/pays.trace.txt",
        "dev/traceunit/junit/SnapshotTest/NestingSample/Retries/retriesOnce.trace.txt");
    assertThat(Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest/NestingSample/Retries/retriesOnce.trace.txt")))
        .contains("span retry");
  }

  @Test
  void obsoleteSnapshotsAreFoundInTheFoldersOfNestedClassesAndTheirFoldersAreNoneOfThem() throws Exception {
    run(Map.of("traceunit.snapshots.missing", "pass"), NestingSample.class);
    Path outer = dir.resolve("dev/traceunit/junit/SnapshotTest/NestingSample");
    Path nested = outer.resolve("Retries");
    Files.writeString(outer.resolve("retriesOnce.trace.txt"), "span retry\n");
    Files.writeString(nested.resolve("pays.trace.txt"), "span checkout\n");

    String printed = printedBy(() -> {
      Kit.Run second = run(NestingSample.class);
      assertThat(second.status("pays")).isEqualTo(Status.SUCCESSFUL);
      assertThat(second.status("retriesOnce")).isEqualTo(Status.SUCCESSFUL);
    });

    assertThat(printed).isEqualTo(
        "traceunit: 2 snapshot files look obsolete (no test used it in this run); delete or rename it:\n"
            + "  " + nested.resolve("pays.trace.txt") + "  (its class has no method pays)\n"
            + "  " + outer.resolve("retriesOnce.trace.txt") + "  (its class has no method retriesOnce)\n");
  }

  /** The snapshot files below {@code root}, as relative paths with {@code /}. */
  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root.resolve("dev"))) {
      return all.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
          .collect(Collectors.toList());
    }
  }

  /** What {@code run} printed to System.out. */
  private static String printedBy(Runnable run) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  private Kit.Run run(Class<?> sample) {
    return run(Map.of(), sample);
  }

  private Kit.Run run(Map<String, String> settings, Class<?> sample) {
    Map<String, String> configuration = new HashMap<>(settings);
    configuration.put("traceunit.snapshots.dir", dir.toString());
    configuration.put("traceunit.report", "false");
    return Kit.run(dir.resolve("out"), configuration, sample);
  }
}
