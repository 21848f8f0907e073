package dev.traceunit.junit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's WebSocket client: one page,
 * just the commands the report checks need.
 */
final class Chromium implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final String session;

  /** The Chromium executable on this machine, if there is one. */
  static Optional<Path> find() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome", "chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (!dir.isEmpty() && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Starts Chromium with a fresh profile in {@code profile} and opens one blank page. */
  Chromium(Path executable, Path profile) throws IOException {
    process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "about:blank")
        .redirectErrorStream(true)
        .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
        .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      await("Chromium's DevTools port").atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
          .until(() -> !process.isAlive() || (Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2));
      if (!process.isAlive()) {
        throw new IOException("Chromium exited with " + process.exitValue() + " before it opened DevTools");
      }
      List<String> port = Files.readAllLines(portFile);
      socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port.get(0) + port.get(1)), new Listener())
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      String target = send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
      session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
      send("Page.enable", Map.of());
      send("Runtime.enable", Map.of());
      send("Log.enable", Map.of());
      send("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 720, "deviceScaleFactor", 1,
          "mobile", false));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e instanceof IOException io ? io : new IOException("could not drive Chromium", e);
    }
  }

  /** Runs {@code source} in every document before its own scripts. */
  void beforeEachDocument(String source) {
    send("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
  }

  void navigate(String url) {
    send("Page.navigate", Map.of("url", url));
  }

  /** The value of a JavaScript expression, as JSON. */
  JsonNode evaluate(String expression) {
    JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError("the page threw on " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.get("result").path("value");
  }

  /** Waits until a JavaScript expression is true. */
  void awaitTrue(String description, String expression) {
    await(description).atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> evaluate(expression).asBoolean(false));
  }

  /** A real mouse click, as a user makes it, at the centre of the first element {@code selector} matches. */
  void click(String selector) {
    JsonNode box = evaluate("(() => { const r = document.querySelector(" + JSON.valueToTree(selector)
        + ").getBoundingClientRect(); return {x: r.x + Math.min(r.width / 2, 80), y: r.y + r.height / 2}; })()");
    for (String type : List.of("mousePressed", "mouseReleased")) {
      send("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(), "y", box.get("y").asDouble(),
          "button", "left", "clickCount", 1));
    }
  }

  /** A key pressed and released, as a user types it: {@code "ArrowDown"}, {@code "j"}, {@code "/"}. */
  void press(String key) {
    Map<String, Object> down = new java.util.HashMap<>(Map.of("type", key.length() == 1 ? "keyDown" : "rawKeyDown",
        "key", key, "code", key));
    if (key.length() == 1) {
      down.put("text", key);
    } else {
      down.put("windowsVirtualKeyCode", switch (key) {
        case "ArrowUp" -> 38;
        case "ArrowDown" -> 40;
        case "ArrowLeft" -> 37;
        case "ArrowRight" -> 39;
        case "Escape" -> 27;
        case "Enter" -> 13;
        default -> 0;
      });
    }
    send("Input.dispatchKeyEvent", down);
    send("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", key, "code", key));
  }

  /** Types {@code text} into the focused element. */
  void type(String text) {
    send("Input.insertText", Map.of("text", text));
  }

  /** The size of the page's window, as a screen of that size shows it. */
  void viewport(int width, int height) {
    send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
        "mobile", false));
  }

  /** Lets the page download files into {@code folder}. */
  void downloadInto(Path folder) {
    send(null, "Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", folder.toString()));
  }

  /**
   * What went wrong in the page so far: uncaught exceptions, console errors and warnings, and the
   * browser's own error and warning log entries (a script the CSP blocked, a file that failed to load).
   */
  List<String> pageErrors() {
    List<String> errors = new java.util.ArrayList<>();
    events("Runtime.exceptionThrown").forEach(e -> errors.add("exception: " + e.path("params").path("exceptionDetails")));
    events("Runtime.consoleAPICalled").stream()
        .filter(e -> List.of("error", "warning", "assert").contains(e.path("params").path("type").asText()))
        .forEach(e -> errors.add("console: " + e.path("params").path("args")));
    events("Log.entryAdded").stream()
        .filter(e -> List.of("error", "warning").contains(e.path("params").path("entry").path("level").asText()))
        .forEach(e -> errors.add("log: " + e.path("params").path("entry")));
    return errors;
  }

  byte[] screenshot() {
    return java.util.Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
  }

  /** The protocol events received so far with this method name. */
  List<JsonNode> events(String method) {
    return events.stream().filter(e -> method.equals(e.path("method").asText())).toList();
  }

  private JsonNode send(String method, Map<String, ?> params) {
    return send(session, method, params);
  }

  private JsonNode send(String sessionId, String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    try {
      socket.sendText(message.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      JsonNode answer = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new AssertionError(method + " failed: " + answer.get("error"));
      }
      return answer.get("result");
    } catch (Exception e) {
      throw new AssertionError(method + " got no answer from Chromium", e);
    } finally {
      replies.remove(id);
    }
  }

  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    try {
      send(null, "Browser.close", Map.of());
    } catch (AssertionError alreadyGone) {
      // closing anyway
    }
    // Every Chromium process, not only the first: a renderer left running keeps writing the profile.
    for (ProcessHandle handle : all) {
      handle.destroy();
    }
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        handle.destroyForcibly();
      }
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = replies.get(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          } else {
            events.add(message);
          }
        } catch (IOException e) {
          events.add(JSON.createObjectNode().put("method", "unreadable").put("text", text.toString()));
        }
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
