package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Loads the report in headless Chromium, as a person opens it (from the file, or served over HTTP as
 * a CI server does): the failed test is first, its timeline has bars with events and links, clicks,
 * filters, keys and permalinks work, downloads hold the trace, text from the trace stays text, and
 * the page logs no error and breaks no rule of its Content-Security-Policy. Skipped, with the
 * reason, only on a machine without Chromium ({@code .ci/run} installs it in CI).
 */
class ReportBrowserTest {

  /** Counts calls of alert and of any handler the injected markup could run, and CSP violations. */
  private static final String TRIPWIRE = "window.__injected = []; window.alert = (m) => window.__injected.push(String(m));"
      + " window.__csp = []; document.addEventListener('securitypolicyviolation',"
      + " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));";
  private static final String FAILED_TEST = "ReportRun$ShopSample › rendersTheReviewPage(MockClock)";

  @TempDir
  Path dir;

  private HttpServer server;
  private Chromium chromium;

  @BeforeEach
  void startChromium() throws IOException {
    Optional<Path> executable = Chromium.find();
    if (executable.isEmpty()) {
      throw new TestAbortedException("Chromium is not installed, so the browser check of the HTML report is skipped;"
          + " install it with: apt-get install -y chromium (as .ci/run does)");
    }
    Files.createDirectories(dir.resolve("report"));
    chromium = new Chromium(executable.get(), dir.resolve("profile"));
    chromium.beforeEachDocument(TRIPWIRE);
  }

  @AfterEach
  void stop() throws InterruptedException, IOException {
    try {
      if (chromium != null) {
        chromium.close();
        // Chromium's lock links point outside the profile; remove them before @TempDir cleans up.
        for (String link : new String[] {"SingletonSocket", "SingletonLock", "SingletonCookie"}) {
          Files.deleteIfExists(dir.resolve("profile").resolve(link));
        }
      }
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  @Test
  void theFailedTestOpensFirstAndAClickShowsTheSpansAttributesAsText() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class, OtlpJsonTest.AgentSample.class);
    load(fileUrl(""));

    assertThat(selected()).isEqualTo(FAILED_TEST);
    assertThat(chromium.evaluate("document.querySelector('#tests .test.selected').classList.contains('error')").asBoolean())
        .as("failed by an exception other than an assertion: an error").isTrue();
    assertThat(chromium.evaluate("[...document.querySelectorAll('#tests .group .class-name')].map(n => n.textContent)"
        + ".join('|')").asText()).isEqualTo("OtlpJsonTest$AgentSample|ReportRun$ShopSample");
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .bar').length").asInt()).isEqualTo(4);
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .bar.error').length").asInt()).isEqualTo(1);
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .bar.open').length").asInt()).isEqualTo(1);
    assertThat(chromium.evaluate("[...document.querySelectorAll('#rows .name')].map(n => n.textContent).join('|')")
        .asText()).isEqualTo(ReportRun.INJECTED_NAME + "|summarize|stock.lookup|render.call");
    assertThat(chromium.evaluate("document.getElementById('failure-source').textContent").asText())
        .startsWith("at " + ReportRun.ShopSample.class.getName() + ".rendersTheReviewPage(ReportRun.java:");
    assertThat(chromium.evaluate("document.getElementById('failure-stack').textContent").asText())
        .startsWith("java.lang.IllegalStateException: review page broke: " + ReportRun.INJECTED_ATTRIBUTE + "\n\tat ");
    assertThat(chromium.evaluate("document.getElementById('details').hidden").asBoolean()).isTrue();

    chromium.click("#rows .row[data-span-id='1']");

    chromium.awaitTrue("the attribute panel", "!document.getElementById('details').hidden");
    JsonNode attributes = chromium.evaluate("Object.fromEntries([...document.querySelectorAll('#details table.attributes tr')]"
        + ".map(tr => [tr.cells[0].textContent, tr.cells[1].textContent]))");
    assertThat(attributes.get("comment").asText()).isEqualTo(ReportRun.INJECTED_ATTRIBUTE);
    assertThat(chromium.evaluate("document.querySelector('#details h3').textContent").asText())
        .isEqualTo(ReportRun.INJECTED_NAME);
    Files.write(buildFolder().resolve("report.png"), chromium.screenshot());

    chromium.click("#rows .row[data-span-id='3']");
    chromium.awaitTrue("the stock.lookup panel", "document.querySelector('#details h3').textContent === 'stock.lookup'");
    assertThat(chromium.evaluate("document.querySelectorAll('#details pre').length").asInt())
        .as("one stack trace for the error, not one more in its exception event").isEqualTo(1);
    assertThat(chromium.evaluate("document.querySelector('#details').textContent").asText())
        .contains("(the stack trace under Error)");

    chromium.click("#tab-tree");
    chromium.awaitTrue("the text tree", "!document.getElementById('tree').hidden");
    assertThat(chromium.evaluate("document.getElementById('tree').textContent").asText())
        .contains("server " + ReportRun.INJECTED_NAME).contains("comment=" + ReportRun.INJECTED_ATTRIBUTE);

    assertThat(chromium.evaluate("window.__injected.length").asInt()).as("alert calls").isZero();
    assertThat(chromium.evaluate("document.querySelectorAll('img').length").asInt()).as("img elements").isZero();
    assertThat(chromium.events("Page.javascriptDialogOpening")).isEmpty();
    assertNothingWentWrong();
  }

  @Test
  void spansRecordedInNoTestAreListedAboveTheTestsWithTheirThreadFirstSpanAndTheTestThatStartedIt() throws IOException {
    // Parallel execution: no fallback, so the task handed unwrapped to a pool thread is recorded in no test.
    ReportRun.run(dir.resolve("report"), Map.of("junit.jupiter.execution.parallel.enabled", "true",
        "traceunit.strict", "false"), TraceReportTest.LosesASpanSample.class, OtlpJsonTest.AgentSample.class);
    load(fileUrl(""));

    assertThat(chromium.evaluate("getComputedStyle(document.getElementById('run-summary')).display").asText())
        .as("the section of spans recorded in no test").isNotEqualTo("none");
    assertThat(chromium.evaluate("document.getElementById('run-summary').getBoundingClientRect().height").asDouble())
        .isPositive();
    JsonNode lines = chromium.evaluate("[...document.querySelectorAll('#run-summary li')].map(li => li.textContent)");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).asText()).matches("[^:]+: 1 span recorded in no test on thread 'lost-pool' \\(first span"
        + " 'lost\\.work', a pool thread started while LosesASpanSample/handsAnUnwrappedTaskToAPool ran, running a task"
        + " with no captured context\\)");
    assertThat(chromium.evaluate("document.getElementById('run-summary').compareDocumentPosition("
        + "document.getElementById('tests')) & Node.DOCUMENT_POSITION_FOLLOWING").asInt())
        .as("the section comes before the test list").isPositive();
    assertNothingWentWrong();
  }

  @Test
  void aRunThatRecordedEverySpanShowsNoSectionOfUnrecordedSpans() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), OtlpJsonTest.AgentSample.class);
    load(fileUrl(""));

    assertThat(chromium.evaluate("getComputedStyle(document.getElementById('run-summary')).display").asText())
        .isEqualTo("none");
    assertThat(chromium.evaluate("document.querySelectorAll('#run-summary li').length").asInt()).isZero();
    assertNothingWentWrong();
  }

  @Test
  void attributeValuesOfSpansEventsAndLinksAreShownWithTheEscapesOfTraceJsonUndone() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.EscapesSample.class);
    load(fileUrl(""));

    chromium.click("#rows .row[data-span-id='2']");

    chromium.awaitTrue("the escapes panel", "document.querySelector('#details h3').textContent === 'escapes'");
    JsonNode tables = chromium.evaluate("[...document.querySelectorAll('#details table')].slice(1).map(t => [...t.rows]"
        + ".map(tr => tr.cells[0].textContent + '=' + tr.cells[1].textContent).join('|'))");
    String shown = "nanText=NaN|nan=NaN|infinities=[Infinity,\"-Infinity\",-Infinity]|looksEscaped={\"$string\":\"x\"}"
        + "|loneKey={\"z\":1,\"a\\ud800\":[\"NaN\",{\"$map\":2}]}";
    assertThat(tables).as("attributes, event and link tables").hasSize(3);
    for (JsonNode table : tables) {
      assertThat(table.asText()).isEqualTo(shown);
    }
    assertNothingWentWrong();
  }

  @Test
  void eventsAndLinksAreDrawnOnTheBarsAndALinkSelectsItsTarget() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), OtlpJsonTest.AgentSample.class);
    load(fileUrl(""));

    assertThat(chromium.evaluate("document.querySelectorAll(\"#rows .row[data-span-id='2'] .lane .event\").length").asInt())
        .as("the first.token event on chat").isEqualTo(1);
    assertThat(chromium.evaluate("document.querySelectorAll(\"#rows .row[data-span-id='3'] .lane .event.exception\").length")
        .asInt()).as("the exception event on tool.search").isEqualTo(1);
    chromium.click("#rows .row[data-span-id='4'] .lane .link");

    chromium.awaitTrue("the link's target selected", "document.querySelector('#details h3').textContent === 'agent.run'");
    assertThat(chromium.evaluate("document.querySelector('#rows .row.selected').dataset.spanId").asText()).isEqualTo("1");
    assertThat(chromium.evaluate("location.hash").asText()).endsWith("&span=1");
    assertNothingWentWrong();
  }

  @Test
  void statusAndTextFiltersNarrowTheList() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class, OtlpJsonTest.AgentSample.class,
        TraceReportTest.GreenSample.class);
    load(fileUrl(""));
    assertThat(listed()).hasSize(4);

    chromium.click("#statuses [data-status='error']");
    assertThat(listed()).containsExactly("rendersTheReviewPage(MockClock)");
    chromium.click("#statuses [data-status='problems']");
    assertThat(listed()).as("error or problems, grouped by class")
        .containsExactly("answersWithOneToolCall(MockClock)", "rendersTheReviewPage(MockClock)");
    chromium.click("#statuses [data-status='error']");
    chromium.click("#statuses [data-status='problems']");
    chromium.click("#statuses [data-status='passed']");
    assertThat(listed()).containsExactly("answersWithOneToolCall(MockClock)", "paysOnce(MockClock)", "passes()");
    chromium.click("#statuses [data-status='passed']");
    chromium.click("#statuses [data-status='failed']");
    assertThat(listed()).as("no test failed an assertion").isEmpty();
    chromium.click("#statuses [data-status='failed']");

    chromium.click("#filter");
    chromium.type("stock.look"); // a span name
    chromium.awaitTrue("the text filter", "document.querySelectorAll('#tests .test').length === 1");
    assertThat(listed()).containsExactly("rendersTheReviewPage(MockClock)");
    chromium.evaluate("(() => { const f = document.getElementById('filter'); f.value = 'agentsample';"
        + " f.dispatchEvent(new Event('input')); })()"); // a class name
    assertThat(listed()).containsExactly("answersWithOneToolCall(MockClock)");
    assertNothingWentWrong();
  }

  @Test
  void aPermalinkOpensItsTestAndSpanAndKeysMoveThroughTestsAndSpans() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class, TraceReportTest.GreenSample.class);
    String id = "[engine:junit-jupiter]/[class:" + ReportRun.ShopSample.class.getName() + "]/[method:paysOnce("
        + MockClock.class.getName() + ")]";
    load(fileUrl("#test=" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "&span=2"));

    assertThat(selected()).isEqualTo("ReportRun$ShopSample › paysOnce(MockClock)");
    chromium.awaitTrue("span 2's panel", "document.querySelector('#details h3').textContent === 'payment.call'");

    chromium.press("Escape");
    assertThat(chromium.evaluate("document.getElementById('details').hidden").asBoolean()).isTrue();
    chromium.evaluate("document.getElementById('tests').focus()");
    chromium.press("ArrowUp");
    chromium.awaitTrue("the test above", "document.getElementById('trace-title').textContent.endsWith('rendersTheReviewPage(MockClock)')"
        + " && document.querySelectorAll('#rows .bar').length === 4");
    assertThat(chromium.evaluate("location.hash").asText()).contains("rendersTheReviewPage");
    chromium.press("ArrowRight"); // into the spans
    chromium.press("ArrowDown");
    chromium.press("ArrowDown");
    chromium.awaitTrue("the second span selected", "!!document.querySelector(\"#rows .row.selected[data-span-id='2']\")");
    chromium.press("k");
    chromium.awaitTrue("the first span selected", "!!document.querySelector(\"#rows .row.selected[data-span-id='1']\")");
    chromium.press("ArrowLeft"); // folds its children
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .row').length").asInt()).isEqualTo(1);
    chromium.press("/");
    assertThat(chromium.evaluate("document.activeElement.id").asText()).isEqualTo("filter");
    assertNothingWentWrong();
  }

  @Test
  void theDownloadLinksGiveTheTestsTraceJsonAndOtlp() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class);
    Path downloads = Files.createDirectories(dir.resolve("downloads"));
    chromium.downloadInto(downloads);
    load(fileUrl(""));

    JsonNode failed = TraceReportTest.test(ReportRun.tests(dir.resolve("report")), "rendersTheReviewPage(MockClock)");
    JsonNode data = ReportRun.traceOf(dir.resolve("report"), failed);
    chromium.click("#downloads a[download='trace.json']");
    chromium.click("#downloads a[download='trace.otlp.json']");
    await("the downloads").atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(downloads.resolve("trace.json")) && Files.exists(downloads.resolve("trace.otlp.json")));
    assertThat(TraceJson.read(Files.newBufferedReader(downloads.resolve("trace.json"))).spans()).hasSize(4);
    assertThat(Files.readString(downloads.resolve("trace.json"))).isEqualTo(data.get("json").asText());
    assertThat(Files.readString(downloads.resolve("trace.otlp.json"))).isEqualTo(data.get("otlp").asText());
    assertNothingWentWrong();
  }

  @Test
  void servedOverHttpThePageWorksTheSame() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class);
    Path root = dir.resolve("report").toRealPath();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      boolean found = file.startsWith(root) && Files.isRegularFile(file);
      byte[] body = found ? Files.readAllBytes(file) : new byte[0];
      exchange.getResponseHeaders().set("Content-Type", file.toString().endsWith(".js") ? "text/javascript"
          : "text/html; charset=utf-8");
      exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    load("http://127.0.0.1:" + server.getAddress().getPort() + "/index.html");

    assertThat(selected()).isEqualTo(FAILED_TEST);
    assertNothingWentWrong();
  }

  @Test
  void at800PixelsNamesAndAxisLabelsStayReadable() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class, OtlpJsonTest.AgentSample.class);
    chromium.viewport(800, 600);
    load(fileUrl(""));
    chromium.click("#rows .row[data-span-id='1']");
    chromium.awaitTrue("the attribute panel", "!document.getElementById('details').hidden");

    assertThat(chromium.evaluate("document.querySelector('#tests .test.selected .name').getBoundingClientRect().width")
        .asDouble()).as("the test's name").isGreaterThan(120);
    assertThat(chromium.evaluate("Math.min(...[...document.querySelectorAll('#rows .label .name')]"
        + ".map(n => n.getBoundingClientRect().width))").asDouble()).as("the narrowest span name").isGreaterThan(40);
    JsonNode labels = chromium.evaluate("(() => { const axis = document.getElementById('axis').getBoundingClientRect();"
        + " const r = [...document.querySelectorAll('#axis span')].map(s => s.getBoundingClientRect());"
        + " return { count: r.length, inside: r.every(b => b.left >= axis.left - 0.5 && b.right <= axis.right + 0.5),"
        + " apart: r.every((b, i) => i === 0 || r[i - 1].right <= b.left),"
        + " first: document.querySelector('#axis span').textContent }; })()");
    assertThat(labels.get("count").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(labels.get("inside").asBoolean()).as("every axis label inside the axis").isTrue();
    assertThat(labels.get("apart").asBoolean()).as("no two axis labels overlap").isTrue();
    assertThat(labels.get("first").asText()).isEqualTo("0");
    Files.write(buildFolder().resolve("report-800.png"), chromium.screenshot());
    assertThat(chromium.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 800.5)"
        + ".map(e => e.tagName + '#' + e.id + '.' + e.className)").size()).as("elements beyond 800 px: "
        + chromium.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 800.5)"
        + ".map(e => e.tagName + '#' + e.id + '.' + e.className)")).isZero();
    assertNothingWentWrong();
  }

  @Test
  void aTraceOfAHundredThousandSpansDrawsOnlyTheRowsInView() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.LargeSample.class);
    load(fileUrl(""));

    assertThat(chromium.evaluate("document.getElementById('rows-spacer').offsetHeight / 22").asInt())
        .isEqualTo(ReportRun.LargeSample.SPANS);
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .row').length").asInt()).isBetween(10, 200);

    chromium.evaluate("document.getElementById('rows').scrollTop = 1e9");
    chromium.awaitTrue("the last span's row", "!!document.querySelector(\"#rows .row[data-span-id='100000']\")");
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .row').length").asInt()).isBetween(10, 200);

    chromium.click("#rows .row[data-span-id='100000']");
    chromium.awaitTrue("the attribute panel", "!document.getElementById('details').hidden");
    assertThat(chromium.evaluate("document.querySelector('#details table.attributes td.value').textContent").asText())
        .isEqualTo("99999");
    assertNothingWentWrong();
  }

  @Test
  void aPageOfTwentyThousandTestsOfAHundredSpansOpensItsFirstTestInUnderTwoSeconds() throws IOException {
    Path report = dir.resolve("report");
    long written = System.nanoTime();
    Trace trace = hundredSpans();
    TraceReportRun run = new TraceReportRun(report, "big", Instant.now());
    for (int i = 0; i < 20_000; i++) {
      String id = "[engine:junit-jupiter]/[class:big.Class" + (i / 100) + "]/[method:test" + i + "()]";
      run.add(new TraceReportRun.Entry(id, false, "big.Class" + (i / 100), "Class" + (i / 100),
          "[engine:junit-jupiter]/[class:big.Class" + (i / 100) + "]", "test" + i + "()", i % 100,
          i == 12_345 ? "FAILED" : "SUCCESSFUL", i == 12_345 ? new AssertionError("the one failure") : null, Instant.EPOCH,
          Instant.EPOCH), trace);
    }
    TraceReportPage.publish(report, "big", run.dir(), run.finish("big", 0, Instant.now(), List.of()), true);
    long writing = System.nanoTime() - written;

    long start = System.nanoTime();
    load(fileUrl(""));
    Duration opened = Duration.ofNanos(System.nanoTime() - start);

    assertThat(selected()).isEqualTo("Class123 › test12345()");
    assertThat(chromium.evaluate("document.getElementById('summary').textContent").asText()).startsWith("20000 traced tests");
    assertThat(chromium.evaluate("document.getElementById('rows-spacer').offsetHeight / 22").asInt()).isEqualTo(100);
    assertThat(chromium.evaluate("document.querySelectorAll('#tests .test').length").asInt()).isLessThan(100);
    Files.writeString(buildFolder().resolve("report-scale.txt"), "20,000 tests x 100 spans: written in "
        + writing / 1_000_000 + " ms, first test shown " + opened.toMillis() + " ms after navigation\n");
    assertThat(opened).as("from navigation to the first test's timeline (the page was written in %d ms)",
        writing / 1_000_000).isLessThan(Duration.ofSeconds(2));
    assertNothingWentWrong();
  }

  /** A trace of a hundred spans: a root and 99 children with two attributes each. */
  private static Trace hundredSpans() {
    MockClock clock = MockClock.create();
    SpanCollector collector = new SpanCollector("Big/test", TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
    try (Scope scope = collector.activate(); SpanHandle root = Tracing.start(SpanKind.SERVER, "request")) {
      for (int i = 1; i < 100; i++) {
        try (SpanHandle child = Tracing.start(SpanKind.CLIENT, "call")) {
          child.attribute("index", i);
          child.attribute("url", "https://example.com/items/" + i);
          clock.advanceTime(Duration.ofMillis(3));
        }
      }
    }
    return collector.finish();
  }

  /** The name of the test shown, from the title above its trace. */
  private String selected() {
    return chromium.evaluate("document.getElementById('trace-title').textContent").asText();
  }

  /** The names in the test list, in its order. */
  private List<String> listed() {
    JsonNode names = chromium.evaluate("[...document.querySelectorAll('#tests .test .name')].map(n => n.textContent)");
    List<String> list = new java.util.ArrayList<>();
    names.forEach(n -> list.add(n.asText()));
    return list;
  }

  private void assertNothingWentWrong() {
    assertThat(chromium.pageErrors()).as("exceptions, console errors and browser errors").isEmpty();
    assertThat(chromium.evaluate("window.__csp").size()).as("CSP violations: " + chromium.evaluate("window.__csp")).isZero();
  }

  private String fileUrl(String fragment) {
    return dir.resolve("report/index.html").toUri() + fragment;
  }

  private void load(String url) {
    chromium.navigate(url);
    chromium.awaitTrue("the report with its timeline",
        "document.readyState === 'complete' && document.querySelectorAll('#rows .bar').length > 0");
  }

  /** This module's build folder ({@code target} unless {@code -Dbuild.folder} says otherwise). */
  static Path buildFolder() {
    try {
      return Path.of(ReportBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
