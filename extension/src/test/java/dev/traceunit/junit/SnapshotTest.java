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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
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
    Path file = dir.resolve("dev/traceunit/junit/SnapshotTest$CheckoutSample/pays.trace.txt");
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
    assertThat(Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest$CheckoutSample/paysTheSubtree.call.trace.txt")))
        .endsWith("span payment.call [client]  +0ms  0ms\n  attr attempt = 1\n");
  }

  @Test
  void aChangedAttributeFailsWithTheDifferenceMarkedAndWritesTheNewVersionBeside() throws Exception {
    run(CheckoutSample.class);
    Path file = dir.resolve("dev/traceunit/junit/SnapshotTest$CheckoutSample/pays.trace.txt");
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
    Path file = dir.resolve("dev/traceunit/junit/SnapshotTest$CheckoutSample/pays.trace.txt");
    assertThat(Files.readString(file)).contains("attr attempt = 2");
    assertThat(Path.of(file + ".new")).doesNotExist();
    assertThat(run(CheckoutSample.class).status("pays")).isEqualTo(Status.SUCCESSFUL);
  }

  @Test
  void withMissingSetToPassARunThatWritesSnapshotsPasses() {
    Kit.Run first = run(Map.of("traceunit.snapshots.missing", "pass"), CheckoutSample.class);
    assertThat(first.status("pays")).isEqualTo(Status.SUCCESSFUL);
    assertThat(dir.resolve("dev/traceunit/junit/SnapshotTest$CheckoutSample/pays.trace.txt")).exists();
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
    assertThat(Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest$FanOutSample/fansOutAsASet.set.trace.txt")))
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
    Path classDir = dir.resolve("dev/traceunit/junit/SnapshotTest$CheckoutSample");
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
    String file = Files.readString(dir.resolve("dev/traceunit/junit/SnapshotTest$SecretSample/signsIn.trace.txt"));
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
