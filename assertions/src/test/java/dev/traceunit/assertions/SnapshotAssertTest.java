package dev.traceunit.assertions;

import static dev.traceunit.assertions.Failures.messageOf;
import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.assertions.spi.SnapshotContext;
import dev.traceunit.core.Redaction;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** matchesSnapshot on its own, with the test's identity given as traceunit-junit gives it. */
class SnapshotAssertTest {

  @TempDir
  Path dir;

  private SnapshotContext test;

  @BeforeEach
  void enter() {
    test = enter("pays", false);
  }

  @AfterEach
  void close() {
    test.close();
  }

  private SnapshotContext enter(String name, boolean update) {
    return SnapshotContext.enter(dir, "com.acme.CheckoutTest", name, Thread.currentThread().getName(), update, false,
        trace -> trace);
  }

  @Test
  void theSnapshotShowsOneFactALineWithExactValues() throws Exception {
    Checkout checkout = Checkout.recorded();
    messageOf(() -> assertThat(checkout.collector).matchesSnapshot());
    assertThat(Files.readString(dir.resolve("com/acme/CheckoutTest/pays.trace.txt"))).isEqualTo("""
        # traceunit snapshot of com.acme.CheckoutTest pays
        span checkout [server]  +0ms  2115ms
          attr order = 42
          span payment.call [client]  +10ms  120ms  ERROR
            error java.io.IOException: reset
            attr attempt = 1
            event retry.scheduled  +120ms
              attr delay = "2s"
            event exception  +120ms
              attr exception.type = "java.io.IOException"
              attr exception.message = "reset"
          span payment.call [client]  +2010ms  100ms
            attr attempt = 2
            attr amount = 19.99
          span model.switch  +2110ms  marker
            attr model = "small"
          span receipt  +2110ms  5ms
        """);
  }

  @Test
  void differencesAreListedByTheirSpansPathsAddedRemovedMovedAndChanged() {
    String expected = """
        span checkout [server]  +0ms  250ms
          attr order = 42
          span payment.call [client]  +10ms  120ms
            attr attempt = 1
          span audit  +20ms  1ms
          span receipt  +200ms  5ms
        """;
    String actual = """
        span checkout [server]  +0ms  300ms
          attr order = 43
          span receipt  +200ms  5ms
          span payment.call [client]  +10ms  130ms  ERROR
            attr attempt = 1
            attr amount = 19.99
          span refund [client]  +250ms  20ms
        """;
    List<String> differences = SnapshotDiff.between(expected, actual);
    assertThat(SnapshotDiff.listed(differences)).isEqualTo("""
        ▶ checkout: duration changed: 250ms → 300ms
          checkout: attribute order changed: 42 → 43
          checkout > payment.call: duration changed: 120ms → 130ms; status changed: (none) → ERROR
          checkout > payment.call: attribute amount added: 19.99
          checkout: span audit removed: +20ms  1ms
          checkout: span receipt moved: it was 3rd of 3, now 1st of 3
          checkout: span refund [client] added: +250ms  20ms
        """);
  }

  @Test
  void aTraceNestedThousandsOfLevelsDeepIsWrittenAndComparedLikeAnyOther() throws Exception {
    int depth = 6_000; // a recursive writer overflowed at 5,000; the file has 2 spaces of indent a level
    Checkout first = deepChain(depth, "old");
    messageOf(() -> assertThat(first.collector).matchesSnapshot());
    String file = Files.readString(dir.resolve("com/acme/CheckoutTest/pays.trace.txt"));
    assertThat(file.lines().filter(line -> line.trim().startsWith("span level")).count()).isEqualTo(depth);
    assertThat(file).contains("\n" + "  ".repeat(depth - 1) + "span level  +0ms  0ms\n"
        + "  ".repeat(depth) + "attr at = \"old\"\n");
    test.close();
    test = enter("pays", false);
    Checkout changed = deepChain(depth, "new");

    String message = messageOf(() -> assertThat(changed.collector).matchesSnapshot());

    // The structural diff recurses; this deep, the first differing line says what changed.
    assertThat(message).contains("1 difference was found", "attr at = \"old\" → attr at = \"new\"");
  }

  private static Checkout deepChain(int depth, String deepest) {
    return new Checkout().record(() -> {
      java.util.ArrayDeque<SpanHandle> open = new java.util.ArrayDeque<>();
      for (int i = 0; i < depth; i++) {
        open.push(Tracing.start("level"));
      }
      open.peek().attribute("at", deepest);
      while (!open.isEmpty()) {
        open.pop().close();
      }
    });
  }

  @Test
  void tensOfThousandsOfSiblingsAreComparedWithoutATableOfEveryPair() {
    StringBuilder expected = new StringBuilder("span batch  +0ms  0ms\n");
    StringBuilder actual = new StringBuilder("span batch  +0ms  0ms\n  span first  +0ms  0ms\n");
    for (int i = 0; i < 100_000; i++) {
      expected.append("  span item  +0ms  0ms\n    attr i = ").append(i).append('\n');
      actual.append("  span item  +0ms  0ms\n    attr i = ").append(i == 50_000 ? -i : i).append('\n');
    }
    actual.append("  span last  +0ms  0ms\n");

    List<String> differences = SnapshotDiff.between(expected.toString(), actual.toString());

    // Nothing in common at either end: 100,000 by 100,002 siblings, matched by their keys in turn.
    assertThat(differences).containsExactly("batch > item[50000]: attribute i changed: 50000 → -50000",
        "batch: span first added: +0ms  0ms", "batch: span last added: +0ms  0ms");
  }

  @Test
  void aMismatchFailsWithTheDiffAndTheTreeAndWritesTheNewVersionBeside() throws Exception {
    Checkout first = Checkout.recorded();
    messageOf(() -> assertThat(first.collector).matchesSnapshot());
    test.close();
    test = enter("pays", false);
    Checkout changed = new Checkout().record(() -> Tracing.run(SpanKind.SERVER, "checkout", () -> { }));

    String message = messageOf(() -> assertThat(changed.collector).matchesSnapshot());

    Path file = dir.resolve("com/acme/CheckoutTest/pays.trace.txt");
    assertThat(message).startsWith("\nExpecting trace t-test\n  to match its snapshot " + file + "\nbut ")
        .contains("▶ checkout: duration changed: 2115ms → 0ms\n", "  checkout: attribute order removed: 42\n",
            "The new version was written to\n  " + file + ".new", "in:\ntrace t-test · 1 span\n");
    assertThat(Files.readString(Path.of(file + ".new"))).endsWith("span checkout [server]  +0ms  0ms\n");
  }

  @Test
  void ignoredFieldsAndAttributesAreLeftOutOfTheFileAndItsHeaderSaysSo() throws Exception {
    Checkout checkout = Checkout.recorded();
    messageOf(() -> assertThat(checkout.collector).matchesSnapshot(Snapshot.named("calls")
        .ignoringFields("duration", "events", "error").ignoringAttributes("att.*", "amount")));
    assertThat(Files.readString(dir.resolve("com/acme/CheckoutTest/pays.calls.trace.txt"))).isEqualTo("""
        # traceunit snapshot of com.acme.CheckoutTest pays (calls)
        # ignoring fields: duration, events, error
        # ignoring attributes: att.*, amount
        span checkout [server]  +0ms
          attr order = 42
          span payment.call [client]  +10ms  ERROR
          span payment.call [client]  +2010ms
          span model.switch  +2110ms  marker
            attr model = "small"
          span receipt  +2110ms
        """);
  }

  @Test
  void aSpansSubtreeHasItsOwnSnapshot() throws Exception {
    Checkout checkout = Checkout.recorded();
    messageOf(() -> assertThat(checkout.collector).hasRootSpan("checkout").child("payment.call", 1)
        .matchesSnapshot(Snapshot.named("second-call")));
    assertThat(Files.readString(dir.resolve("com/acme/CheckoutTest/pays.second-call.trace.txt")))
        .endsWith("\nspan payment.call [client]  +2010ms  100ms\n  attr attempt = 2\n  attr amount = 19.99\n");
    assertThat(messageOf(() -> assertThat(checkout.collector).hasRootSpan("checkout").matchesSnapshot()))
        .contains("there was none yet");
  }

  @Test
  void aSubtreeSnapshotMasksSecretsThatOnlyItsAncestorsHoldAsAttributes() throws Exception {
    test.close();
    test = SnapshotContext.enter(dir, "com.acme.LoginTest", "logs-in", Thread.currentThread().getName(), false, false,
        Redaction.parse("password")::apply);
    Checkout checkout = new Checkout().record(() -> {
      try (SpanHandle login = Tracing.start("login")) {
        login.attribute("password", "hunter2-very-secret");
        try (SpanHandle check = Tracing.start("check")) {
          check.error(new IllegalStateException("wrong password hunter2-very-secret"));
        }
      }
    });
    String message = messageOf(() -> assertThat(checkout.collector).hasRootSpan("login").child("check").matchesSnapshot());
    String file = Files.readString(dir.resolve("com/acme/LoginTest/logs-in.trace.txt"));
    assertThat(file).contains("error java.lang.IllegalStateException: wrong password <redacted>")
        .doesNotContain("hunter2");
    assertThat(message).doesNotContain("hunter2");
  }

  @Test
  void aFileOfManyChunksPassesAsWrittenWithEditedCommentsOrWindowsLineEndsAndFailsOnOneByteOrALineMore()
      throws Exception {
    // Some 250 kB of text: compared with the file a chunk (64 kB) at a time.
    java.util.function.Supplier<Checkout> batch = () -> new Checkout().record(() -> Tracing.run("batch", () -> {
      for (int i = 0; i < 3_000; i++) {
        Tracing.start("item").attribute("i", i).attribute("text", "a line of some length").close();
      }
    }));
    messageOf(() -> assertThat(batch.get().collector).matchesSnapshot());
    Path file = dir.resolve("com/acme/CheckoutTest/pays.trace.txt");
    String written = Files.readString(file);
    assertThat(written.length()).isGreaterThan(200_000);
    String[] variants = {written, written.replace("# traceunit snapshot of", "# reviewed: snapshot of"),
        written.replace("\n", "\r\n"), written.replace("attr i = 2999\n", "attr i = 2998\n"),
        written + "  span item  +0ms  0ms\n"};
    boolean[] passes = {true, true, true, false, false};
    for (int v = 0; v < variants.length; v++) {
      Files.writeString(file, variants[v]);
      test.close();
      test = enter("pays", false);
      Checkout again = batch.get();
      if (passes[v]) {
        assertThat(again.collector).as("variant %d", v).matchesSnapshot();
      } else {
        assertThat(messageOf(() -> assertThat(again.collector).matchesSnapshot())).as("variant %d", v)
            .contains(v == 3 ? "attribute i changed: 2998 → 2999" : "1 difference was found");
      }
    }
  }

  @Test
  void theUpdateModeWritesAndPasses() throws Exception {
    test.close();
    test = enter("pays", true);
    Checkout checkout = Checkout.recorded();
    assertThat(checkout.collector).matchesSnapshot();
    assertThat(dir.resolve("com/acme/CheckoutTest/pays.trace.txt")).exists();
  }

  @Test
  void withoutATestMatchesSnapshotSaysWhatItNeeds() {
    test.close();
    Checkout checkout = Checkout.recorded();
    assertThatThrownBy(() -> assertThat(checkout.collector).matchesSnapshot())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("matchesSnapshot() needs to know which test runs, to find its snapshot file: run the test with"
            + " TraceExtension (@ExtendWith(TraceExtension.class) or @Traced) and call it on the test's own thread");
  }

  @Test
  void badOptionsAreRejectedNamingTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> Snapshot.of().ignoringFields("thread"))
        .hasMessage("'thread' is not a field a snapshot compares; allowed: kind, startOffset, duration, attributes,"
            + " events, links, status, error, threadName");
    assertThatThrownBy(() -> Snapshot.named("after retry"))
        .hasMessageStartingWith("snapshot name 'after retry' is not allowed: use letters, digits, '-' and '_'");
    assertThatThrownBy(() -> Snapshot.of().ignoringAttributes("http.("))
        .hasMessageStartingWith("attribute key pattern 'http.(' is not a regular expression: ");
  }

  @Test
  void stringsNamesAndMapsAreWrittenSoThatNothingCanBeMistakenOrLost() {
    StringBuilder out = new StringBuilder();
    SnapshotText.value(out, List.of("a \"b\"\n", 1L, 2.5, true, Map.of("k", "v"), "\ud800"));
    assertThat(out).hasToString("[\"a \\\"b\\\"\\n\", 1, 2.5, true, {k: \"v\"}, \"\\ud800\"]");
    assertThat(SnapshotText.word("GET /orders/{id}")).isEqualTo("\"GET /orders/{id}\"");
    assertThat(SnapshotText.word("payment.call")).isEqualTo("payment.call");
  }

  @Test
  void treeShapeInAnyOrderAcceptsSiblingsInAnotherOrderAndShowsThemArrangedLikeTheExpected() {
    Checkout checkout = Checkout.recorded();
    assertThat(checkout.collector).hasTreeShape("""
        checkout
          receipt
          model.switch
          payment.call
          payment.call
        """, SiblingOrder.ANY);

    String message = messageOf(() -> assertThat(checkout.collector).hasTreeShape("""
        checkout
          receipt
          refund
          payment.call
        """, SiblingOrder.ANY));
    assertThat(message).contains("to have the tree shape on the left, siblings in any order",
        "it differs from line 3 on (marked ▶):\n"
            + "  expected          actual\n"
            + "  checkout          checkout\n"
            + "    receipt           receipt\n"
            + "▶   refund            payment.call\n"
            + "    payment.call      payment.call\n"
            + "  (nothing)           model.switch\n");
    assertThat(messageOf(() -> assertThat(checkout.collector).hasTreeShape("""
        checkout
          receipt
          model.switch
          payment.call
          payment.call
        """))).contains("it differs from line 2 on");
  }

  @Test
  void aClassFolderIsItsPackageAsFoldersThenEachEnclosingClassAsAFolderWithoutDollarSigns() {
    assertThat(SnapshotContext.classDir(dir, "com.acme.CheckoutTest")).isEqualTo(dir.resolve("com/acme/CheckoutTest"));
    assertThat(SnapshotContext.classDir(dir, "com.acme.CheckoutTest$Retries$WhenOffline"))
        .isEqualTo(dir.resolve("com/acme/CheckoutTest/Retries/WhenOffline"));
    assertThat(SnapshotContext.classDir(dir, "CheckoutTest$Retries")).isEqualTo(dir.resolve("CheckoutTest/Retries"));
  }
}
