package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
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
 * Loads the report in headless Chromium, as a person opens it: the failed test is first, its
 * timeline has bars, a click on a span shows its attributes, and text from the trace stays text.
 * Skipped, with the reason, only on a machine without Chromium ({@code .ci/run}
 * installs it in CI).
 */
class ReportBrowserTest {

  /** Counts calls of alert and of any handler the injected markup could run. */
  private static final String TRIPWIRE = "window.__injected = []; window.alert = (m) => window.__injected.push(String(m));";

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
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] page = Files.readAllBytes(dir.resolve("report/index.html"));
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(page);
      }
    });
    server.start();
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
  void theFailedTestOpensFirstAndAClickShowsTheSpansAttributesAsText() throws IOException, URISyntaxException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.ShopSample.class);
    load();

    assertThat(chromium.evaluate("document.querySelector('#tests .test').dataset.status").asText()).isEqualTo("FAILED");
    assertThat(chromium.evaluate("document.querySelector('#tests .test .name').textContent").asText())
        .isEqualTo("ReportRun$ShopSample › rendersTheReviewPage(MockClock)");
    assertThat(chromium.evaluate("document.querySelector('#tests .test').classList.contains('selected')").asBoolean())
        .isTrue();
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .bar').length").asInt()).isEqualTo(4);
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .bar.error').length").asInt()).isEqualTo(1);
    assertThat(chromium.evaluate("document.querySelectorAll('#rows .bar.open').length").asInt()).isEqualTo(1);
    assertThat(chromium.evaluate("[...document.querySelectorAll('#rows .name')].map(n => n.textContent).join('|')")
        .asText()).isEqualTo(ReportRun.INJECTED_NAME + "|summarize|stock.lookup|render.call");
    assertThat(chromium.evaluate("document.getElementById('details').hidden").asBoolean()).isTrue();

    chromium.click("#rows .row[data-span-id='1']");

    chromium.awaitTrue("the attribute panel", "!document.getElementById('details').hidden");
    JsonNode attributes = chromium.evaluate("Object.fromEntries([...document.querySelectorAll('#details table.attributes tr')]"
        + ".map(tr => [tr.cells[0].textContent, tr.cells[1].textContent]))");
    assertThat(attributes.get("comment").asText()).isEqualTo(ReportRun.INJECTED_ATTRIBUTE);
    assertThat(chromium.evaluate("document.querySelector('#details h3').textContent").asText())
        .isEqualTo(ReportRun.INJECTED_NAME);
    Files.write(buildFolder().resolve("traceunit-report-screenshot.png"), chromium.screenshot());

    chromium.click("#tab-tree");
    chromium.awaitTrue("the text tree", "!document.getElementById('tree').hidden");
    assertThat(chromium.evaluate("document.getElementById('tree').textContent").asText())
        .contains("server " + ReportRun.INJECTED_NAME).contains("comment=" + ReportRun.INJECTED_ATTRIBUTE);

    assertThat(chromium.evaluate("window.__injected.length").asInt()).as("alert calls").isZero();
    assertThat(chromium.evaluate("document.querySelectorAll('img').length").asInt()).as("img elements").isZero();
    assertThat(chromium.evaluate("document.scripts.length").asInt()).as("script elements").isEqualTo(4);
    assertThat(chromium.events("Page.javascriptDialogOpening")).isEmpty();
  }

  @Test
  void aTraceOfAHundredThousandSpansDrawsOnlyTheRowsInView() throws IOException {
    ReportRun.run(dir.resolve("report"), Map.of(), ReportRun.LargeSample.class);
    load();

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
  }

  private void load() {
    chromium.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/index.html");
    chromium.awaitTrue("the report with its timeline",
        "document.readyState === 'complete' && document.querySelectorAll('#rows .bar').length > 0");
  }

  /** This module's build folder ({@code target} unless {@code -Dbuild.folder} says otherwise). */
  private static Path buildFolder() {
    try {
      return Path.of(ReportBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
