package dev.traceunit.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that one report page holds every test of a run split over JVMs: the {@code forks} profile
 * runs the suite with Surefire's {@code forkCount=2} and {@code reuseForks=false} (every class in a
 * JVM of its own, two at a time), then this. It compares the report's runs and tests with
 * Surefire's own XML reports and fails the build when a run or a test is missing.
 */
final class ReportCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportCheck() {}

  /**
   * {@code args}: the build folder, then the simple names of the classes that run no traced test
   * (a run without one writes no report data).
   */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "target");
    Set<String> untracedClasses = java.util.Arrays.stream(args).skip(1).collect(Collectors.toSet());
    int classes = 0;
    int testcases = 0;
    try (Stream<Path> reports = Files.list(target.resolve("surefire-reports"))) {
      for (Path xml : (Iterable<Path>) reports.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml"))::iterator) {
        String name = xml.getFileName().toString();
        if (untracedClasses.contains(name.substring(name.lastIndexOf('.', name.length() - 5) + 1, name.length() - 4))) {
          continue;
        }
        classes++;
        Matcher testcase = Pattern.compile("<testcase ").matcher(Files.readString(xml, StandardCharsets.UTF_8));
        while (testcase.find()) {
          testcases++;
        }
      }
    }
    Path report = target.resolve("traceunit-report");
    String page = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
    Matcher runList = Pattern.compile("<script type=\"application/json\" id=\"traceunit-runs\">(.*?)</script>").matcher(page);
    if (!runList.find()) {
      throw new IllegalStateException(report.resolve("index.html") + " lists no runs");
    }
    int runs = 0;
    int traced = 0;
    int untraced = 0;
    for (JsonNode run : JSON.readTree(runList.group(1))) {
      String script = Files.readString(report.resolve(run.asText()).resolve("tests.js"), StandardCharsets.UTF_8);
      JsonNode data = JSON.readTree(script.substring(script.indexOf(',') + 1, script.lastIndexOf(')')));
      runs++;
      untraced += data.get("untraced").asInt();
      for (JsonNode test : data.get("tests")) {
        traced += test.get("kind").asText().equals("test") ? 1 : 0;
      }
    }
    String found = "the report holds " + runs + " runs with " + traced + " traced and " + untraced
        + " untraced tests; Surefire ran " + classes + " classes with " + testcases + " tests (not counting "
        + untracedClasses + ", which trace nothing)";
    if (runs != classes || traced + untraced != testcases || traced == 0) {
      throw new IllegalStateException("traceunit: one page should hold every test of every fork, but " + found);
    }
    System.out.println("traceunit: " + found + ": one page, every test");
  }
}
