package dev.traceunit.reliability;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.Problem;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceJson;
import dev.traceunit.junit.Traced;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The attacks of a careful adversary that once got through, each replayed: secrets in failure
 * messages and reports, exceptions into production code, exponential value walks, unbounded data and
 * messages, forged tree lines, a stuck clock driver, configuration typos. Each prints its figures.
 */
class AttackTest {

  private static final List<String> figures = new ArrayList<>();

  @TempDir
  Path temp;

  @AfterAll
  static void printFigures() {
    Runs.figures("attacks: " + String.join("; ", figures));
  }

  private static void figure(String line) {
    synchronized (figures) {
      figures.add(line);
    }
  }

  // ---- secrets

  /** Thirteen values under keys the default rule masks, and an assertion that fails on them. */
  static final Map<String, String> SECRETS = secrets();

  private static Map<String, String> secrets() {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("Authorization", "SECRET-auth-1");
    secrets.put("password", "SECRET-pass-2");
    secrets.put("db.password", "SECRET-dbpass-3");
    secrets.put("client_secret", "SECRET-client-4");
    secrets.put("access_token", "SECRET-token-5");
    secrets.put("x-api-key", "SECRET-apikey-6");
    secrets.put("cookie", "SECRET-cookie-7");
    secrets.put("bearer", "SECRET-bearer-8");
    secrets.put("private_key", "SECRET-pk-9");
    secrets.put("credentials", "SECRET-cred-10");
    secrets.put("jwt", "SECRET-jwt-11");
    secrets.put("pwd", "SECRET-pwd-12");
    secrets.put("session_id", "SECRET-session-13");
    return secrets;
  }

  @Traced
  static class LoginSample {
    @Test
    void logsIn(Spans spans) {
      try (SpanHandle login = Tracing.start(SpanKind.SERVER, "login")) {
        SECRETS.forEach(login::attribute);
        login.attribute("llm.output_tokens", 42L);
        login.event("sent", Map.of("passphrase", "SECRET-phrase-14"));
        login.error(new IllegalStateException("login refused for password SECRET-pass-2"));
      }
      assertThat(spans).hasSpan("login").hasAttribute("password", "SECRET-guess-15");
    }
  }

  @Test
  void noSecretReachesTheConsoleTheOpenTestReportingXmlOrTheHtmlReportOfAFailingTest() throws IOException {
    Path reports = temp.resolve("reports");
    List<Throwable> failures = new ArrayList<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(LoginSample.class))
        .configurationParameter("junit.platform.reporting.open.xml.enabled", "true")
        .configurationParameter("junit.platform.reporting.output.dir", reports.toString())
        .configurationParameter("traceunit.report.dir", reports.resolve("html").toString())
        .build(), new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            result.getThrowable().ifPresent(failures::add);
          }
        });
    assertThat(failures).hasSize(1);
    // What the console and Surefire's XML show: the exception as printStackTrace writes it.
    StringWriter console = new StringWriter();
    failures.get(0).printStackTrace(new PrintWriter(console));
    String otr;
    try (Stream<Path> files = Files.walk(reports)) {
      otr = files.filter(f -> f.getFileName().toString().startsWith("open-test-report") && f.toString().endsWith(".xml"))
          .map(AttackTest::read).reduce("", String::concat);
    }
    String html; // the page and the data files beside it
    try (Stream<Path> files = Files.walk(reports.resolve("html"))) {
      html = files.filter(Files::isRegularFile).sorted().map(AttackTest::read).reduce("", String::concat);
    }
    // Every other file written for the test: the attached trace.txt and trace.json.
    String attached;
    try (Stream<Path> files = Files.walk(reports)) {
      attached = files.filter(f -> f.getFileName().toString().startsWith("trace."))
          .map(AttackTest::read).reduce("", String::concat);
    }
    // Each output holds the span's attributes (an unmasked neighbour is there), so a leak would show.
    assertThat(console.toString()).contains("password=<redacted>").contains("llm.output_tokens=42");
    assertThat(otr).contains("logsIn").contains("llm.output_tokens");
    assertThat(html).contains("login").contains("llm.output_tokens");
    assertThat(attached).contains("llm.output_tokens");
    List<String> all = new ArrayList<>(SECRETS.values());
    all.add("SECRET-phrase-14");
    all.add("SECRET-guess-15");
    int leaks = 0;
    for (String text : List.of(console.toString(), otr, html, attached)) {
      for (String secret : all) {
        leaks += text.contains(secret) ? 1 : 0;
      }
    }
    assertThat(leaks).as("secrets shown in console, OTR XML or HTML report").isZero();
    figure("secrets: " + all.size() + " secret values x 4 outputs (console " + console.toString().length()
        + " chars, OTR XML " + otr.length() + " chars, HTML " + html.length() + " chars, trace files "
        + attached.length() + " chars): " + leaks + " leaked");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- exceptions into production code

  private static final class Hostile {
    private final String kind;

    Hostile(String kind) {
      this.kind = kind;
    }

    @Override
    public String toString() {
      switch (kind) {
        case "null": return null;
        case "error": throw new StackOverflowError("toString recursed");
        default: throw new IllegalStateException("toString failed");
      }
    }

    @Override
    public int hashCode() {
      return kind.hashCode();
    }

    @Override
    public boolean equals(Object other) {
      return other == this;
    }
  }

  private static final class UnreadableMessage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage failed");
    }
  }

  @Test
  void productionCodeNeverGetsAnExceptionAndRunRethrowsTheApplicationsOwn() throws InterruptedException {
    SpanCollector collector = new SpanCollector();
    List<Object> changing = new ArrayList<>(List.of(1, 2, 3));
    ExecutorService mutator = Executors.newSingleThreadExecutor();
    CountDownLatch stop = new CountDownLatch(1);
    mutator.execute(() -> {
      while (stop.getCount() > 0) {
        changing.add(4);
        changing.remove(changing.size() - 1);
      }
    });
    int calls = 0;
    int escaped = 0;
    UnreadableMessage thrown = new UnreadableMessage();
    try (Scope scope = collector.activate()) {
      List<Runnable> attacks = List.of(
          () -> Tracing.current().attribute("null", new Hostile("null")),
          () -> Tracing.current().attribute("error", new Hostile("error")),
          () -> Tracing.current().attribute("keys", Map.of(new Hostile("throw"), 1)),
          () -> Tracing.current().attribute("changing", changing),
          () -> Tracing.run(SpanKind.of(null), "no kind", () -> { }),
          () -> Tracing.span("builder").attributes(Map.of("v", new Hostile("error"))).start().close(),
          () -> Tracing.marker("m", Map.of("k", new Hostile("null"))));
      try (SpanHandle root = Tracing.start("root")) {
        for (int round = 0; round < 2_000; round++) {
          for (Runnable attack : attacks) {
            calls++;
            try {
              attack.run();
            } catch (Throwable t) {
              escaped++;
            }
          }
          calls++;
          try {
            Tracing.run("fails", () -> {
              throw thrown;
            });
          } catch (UnreadableMessage expected) {
            escaped += expected == thrown ? 0 : 1;
          } catch (Throwable other) {
            escaped++;
          }
        }
      }
    } finally {
      stop.countDown();
      mutator.shutdown();
      assertThat(mutator.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    Trace trace = collector.snapshot();
    assertThat(escaped).isZero();
    assertThat(trace.problems()).extracting(Problem::code).contains(ProblemCode.UNSUPPORTED_VALUE,
        ProblemCode.INVALID_NAME);
    figure("hostile values: " + calls + " calls, " + escaped + " exceptions reached the caller, "
        + trace.problems().size() + " problems recorded (cap " + Limits.defaults().maxProblems() + ")");
  }

  // ---- exponential walks

  @Test
  void sharedAndCyclicGraphsCostALinearWalk() {
    Map<String, Object> twice = new HashMap<>();
    twice.put("a", twice);
    twice.put("b", twice);
    Map<String, Object> chain = new HashMap<>();
    for (int i = 0; i < 32; i++) {
      Map<String, Object> next = new HashMap<>();
      next.put("left", chain);
      next.put("right", chain);
      chain = next;
    }
    Map<String, Object> tree = node(null, 0);
    Map<String, Object> graphs = new LinkedHashMap<>();
    graphs.put("self-twice", twice);
    graphs.put("chain-of-32", chain);
    graphs.put("tree-with-parents", tree);
    for (Map.Entry<String, Object> graph : graphs.entrySet()) {
      SpanCollector collector = new SpanCollector();
      long start = System.nanoTime();
      try (Scope scope = collector.activate(); SpanHandle span = Tracing.start("s")) {
        span.attribute("graph", graph.getValue());
      }
      long micros = (System.nanoTime() - start) / 1000;
      Object kept = collector.snapshot().spans().get(0).attributes().get("graph");
      int nodes = nodes(kept);
      assertThat(nodes).isLessThanOrEqualTo(Limits.defaults().maxValueNodes() + 1);
      figure(graph.getKey() + ": " + nodes + " nodes kept in " + micros + " us");
    }
  }

  /** A node with a link to its parent and ten children, four levels deep. */
  private static Map<String, Object> node(Map<String, Object> parent, int depth) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("parent", parent);
    List<Object> children = new ArrayList<>();
    if (depth < 4) {
      for (int i = 0; i < 10; i++) {
        children.add(node(node, depth + 1));
      }
    }
    node.put("children", children);
    return node;
  }

  private static int nodes(Object value) {
    int count = 1;
    if (value instanceof Map) {
      for (Object nested : ((Map<?, ?>) value).values()) {
        count += nodes(nested);
      }
    } else if (value instanceof List) {
      for (Object nested : (List<?>) value) {
        count += nodes(nested);
      }
    }
    return count;
  }

  // ---- unbounded data and messages

  @Test
  void everythingThatGrowsHasALimit() {
    SpanCollector collector = new SpanCollector();
    char[] chars = new char[1_000];
    java.util.Arrays.fill(chars, 'c');
    try (Scope scope = collector.activate(); SpanHandle span = Tracing.start("n".repeat(10_000_000))) {
      for (int i = 0; i < 5_000_000; i++) {
        span.attribute("", i);
      }
      span.attribute("longs", new long[10_000_000]);
      span.attribute("chars", chars);
    }
    Trace trace = collector.snapshot();
    RecordedSpan span = trace.spans().get(0);
    long charProblems = trace.problems().stream().filter(p -> p.message().contains("'chars'")).count();
    assertThat(trace.problems()).hasSize(Limits.defaults().maxProblems() + 1);
    assertThat(trace.problems().get(Limits.defaults().maxProblems()).code()).isEqualTo(ProblemCode.PROBLEM_LIMIT);
    assertThat(span.name()).hasSize(Limits.defaults().maxNameLength() + 1);
    assertThat((List<?>) span.attributes().get("longs")).hasSize(Limits.defaults().maxValueElements());
    assertThat(span.attributes().get("chars")).isEqualTo(new String(chars));
    assertThat(charProblems).isZero();
    assertThatThrownBy(() -> Limits.defaults().withMaxValueLength(25_000_000))
        .hasMessage("maxValueLength must be from 1 to 10000000 but was 25000000");
    figure("5M blank keys: " + trace.problems().size() + " problems kept, the rest counted; 10M-char name kept "
        + span.name().length() + " chars; long[10M] kept " + ((List<?>) span.attributes().get("longs")).size()
        + " elements; char[1000] is 1 string, " + charProblems + " problems");
  }

  @Test
  void aValueAtTheLengthLimitIsReadBackFromItsJsonDump() throws IOException {
    SpanCollector collector = new SpanCollector("t", TimeSource.system(),
        Limits.defaults().withMaxValueLength(Limits.MAX_VALUE_LENGTH));
    try (Scope scope = collector.activate(); SpanHandle span = Tracing.start("s")) {
      span.attribute("big", "v".repeat(Limits.MAX_VALUE_LENGTH + 5));
    }
    StringWriter json = new StringWriter();
    TraceJson.write(collector.snapshot(), json);
    Trace read = TraceJson.read(new StringReader(json.toString()));
    assertThat(((String) read.spans().get(0).attributes().get("big"))).startsWith("vvv").endsWith("…[truncated 5 chars]");
    figure("longest value " + Limits.MAX_VALUE_LENGTH + " chars: written " + json.getBuffer().length()
        + " chars of JSON and read back");
  }

  @Traced(strict = "false")
  static class DeepSample {
    @Test
    void shape(Spans spans) {
      deep(10_000);
      assertThat(spans).hasTreeShape("wrong");
    }

    @Test
    void span(Spans spans) {
      deep(10_000);
      assertThat(spans).hasSpan("level.9999").hasAttribute("missing");
    }

    private static void deep(int levels) {
      List<SpanHandle> open = new ArrayList<>();
      for (int i = 0; i < levels; i++) {
        open.add(Tracing.start("level." + i));
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }

  @Test
  void failureMessagesOfHugeTracesAreBounded() {
    EngineExecutionResults results = Runs.run(Runs.into(temp), Map.of(), DeepSample.class);
    Throwable shape = Runs.result(results, "shape").getThrowable().orElseThrow();
    Throwable span = Runs.result(results, "span").getThrowable().orElseThrow();
    String firstLine = span.getMessage().strip().lines().findFirst().orElseThrow();
    assertThat(shape.getMessage().length()).isLessThan(100_000);
    assertThat(span.getMessage().length()).isLessThan(100_000);
    assertThat(firstLine.length()).isLessThan(500);
    assertThat(firstLine).contains("(10000 levels");
    int suppressed = 0;
    for (Throwable dump : shape.getSuppressed()) {
      suppressed = Math.max(suppressed, dump.getMessage().length());
    }
    figure("10k-deep trace: hasTreeShape message " + shape.getMessage().length() + " chars, span message "
        + span.getMessage().length() + " chars (first line " + firstLine.length() + "), dump message " + suppressed
        + " chars");
  }

  @Traced(strict = "true")
  static class ProblemsSample {
    @Test
    void records() {
      try (SpanHandle span = Tracing.start("s")) {
        for (int i = 0; i < 100_000; i++) {
          span.attribute(" ", i);
        }
      }
    }
  }

  @Test
  void aProblemsErrorForManyProblemsIsBounded() {
    EngineExecutionResults results = Runs.run(Runs.into(temp), Map.of(), ProblemsSample.class);
    Throwable error = Runs.result(results, "records").getThrowable().orElseThrow();
    assertThat(error.getMessage().length()).isLessThan(300_000);
    assertThat(error.getMessage()).contains("PROBLEM_LIMIT").contains("more problems, listed in the whole tree");
    figure("100k problems: TraceProblemsError message " + error.getMessage().length() + " chars");
  }

  // ---- forged lines

  @Test
  void namesKeysAndKindsCannotForgeTreeLines() {
    SpanCollector collector = new SpanCollector();
    try (Scope scope = collector.activate();
        SpanHandle span = Tracing.start(SpanKind.of("x\n└─ server FAKE-KIND"), "real\u2028└─ server FAKE-NAME")) {
      span.attribute("nested", Map.of("k\n└─ server FAKE-ADMIN-CALL", "v\u0085"));
    }
    String tree = collector.snapshot().render();
    assertThat(tree.lines().filter(line -> line.startsWith("└─ server FAKE"))).isEmpty();
    assertThat(tree.lines()).hasSize(2);
    figure("log forging: 3 forged lines tried, tree has " + tree.lines().count() + " lines (header + 1 span)");
  }

  // ---- a stuck clock driver

  static class StuckClockSample {
    static MockClock clock;

    @Test
    @Timeout(value = 500, unit = TimeUnit.MILLISECONDS)
    void advances() {
      clock.advanceTime(Duration.ofSeconds(1));
    }
  }

  @Test
  void timeoutEndsATestWaitingBehindAStuckClockDriver() throws InterruptedException {
    MockClock clock = MockClock.create();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    clock.scheduler().schedule(() -> {
      running.countDown();
      release.await();
      return null;
    }, 1, TimeUnit.SECONDS);
    ExecutorService driver = Executors.newSingleThreadExecutor();
    try {
      driver.execute(() -> clock.advanceTime(Duration.ofSeconds(1)));
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      StuckClockSample.clock = clock;
      long start = System.nanoTime();
      EngineExecutionResults results = Runs.run(Runs.into(temp), Map.of(), StuckClockSample.class);
      long millis = (System.nanoTime() - start) / 1_000_000;
      Throwable failure = Runs.result(results, "advances").getThrowable().orElseThrow();
      assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
      figure("stuck clock driver: @Timeout(500ms) ended the waiting test after " + millis + " ms");
    } finally {
      release.countDown();
      driver.shutdown();
      assertThat(driver.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  // ---- configuration

  @Traced(maxEvents = -2)
  static class NegativeSample {
    @Test
    void runs() {}
  }

  static class PlainSample {
    @Test
    @Traced
    void runs() {}
  }

  @Test
  void configurationMistakesFailFastNamingWhatWasMeant() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("traceunit.limits.max-spans", "\u0663");
    bad.put("traceunit.limits.max-events", "\uff11\uff12\uff18");
    bad.put("traceunit.report", "yes");
    bad.put("traceunit.redact", " ");
    int rejected = 0;
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      Throwable failure = Runs.result(Runs.run(Runs.into(temp), Map.of(entry.getKey(), entry.getValue()),
          PlainSample.class), "runs").getThrowable().orElseThrow();
      // traceunit.redact may hold a secret: its message says what is wrong without the value.
      assertThat(failure).hasMessageStartingWith(entry.getKey() + (entry.getKey().equals("traceunit.redact")
          ? " is a value not shown here" : " is '"));
      rejected++;
    }
    assertThat(Runs.result(Runs.run(Runs.into(temp), Map.of(), NegativeSample.class), "runs").getThrowable())
        .get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
        .hasMessageContaining("is '-2' but must be a whole number in ASCII digits from 0 to 2147483647");
    rejected++;
    int typos = 0;
    for (String typo : List.of("traceunit.strcit", "traceunit.limits.maxSpans", "traceunit.capture-output")) {
      System.setProperty(typo, "true");
      try {
        Throwable failure = Runs.result(org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
            .enableImplicitConfigurationParameters(true).outputDirectoryCreator(Runs.into(temp))
            .selectors(selectClass(PlainSample.class)).execute(), "runs")
            .getThrowable().orElseThrow();
        assertThat(failure).hasMessageContaining("unknown configuration parameter '" + typo + "'")
            .hasMessageContaining("did you mean");
        typos++;
      } finally {
        System.clearProperty(typo);
      }
    }
    List<Throwable> failures = new ArrayList<>();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(PlainSample.class))
        .configurationParameter("traceunit.dump.format", "text").configurationParameter("traceunit.report", "false")
        .build(), new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            result.getThrowable().ifPresent(failures::add);
          }
        });
    assertThat(failures).singleElement().satisfies(failure -> assertThat(failure).hasMessageStartingWith(
        "unknown configuration parameter 'traceunit.dump.format' (a configuration parameter); did you mean"
            + " 'traceunit.dump.formats'?"));
    typos++;
    figure("configuration: " + rejected + " bad values and " + typos + " typos, each failed naming the key");
  }

  @Test
  void theTestsOwnObjectsKeepTheRealValues() {
    SpanCollector collector = new SpanCollector();
    try (Scope scope = collector.activate(); SpanHandle span = Tracing.start("s")) {
      span.attribute("password", "real");
    }
    assertThatCode(() -> assertThat(collector).hasSpan("s").hasAttribute("password", "real"))
        .doesNotThrowAnyException();
  }
}
