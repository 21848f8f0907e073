package dev.traceunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README true: every Java block in it must stand, line for line (indentation aside), in
 * a source file of the project that is compiled and tested.
 */
class ReadmeSnippetsTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  /** A {@code //} comment after code, when no string literal is open before it. */
  private static final Pattern TRAILING_COMMENT = Pattern.compile("^([^\"]*(\"[^\"]*\")*[^\"]*?)\\s+//.*$");

  @Test
  void everyJavaSnippetInTheReadmeIsCodeOfTheProject() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = Files.readString(root.resolve("README.md"));
    List<List<String>> sources;
    try (Stream<Path> files = Files.walk(root).filter(f -> !f.toString().contains("/target"))) {
      sources = files
          .filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/"))
          .map(ReadmeSnippetsTest::lines)
          .collect(Collectors.toList());
    }
    List<String> missing = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    int count = 0;
    while (block.find()) {
      count++;
      List<String> snippet = normalize(block.group(1));
      if (sources.stream().noneMatch(source -> java.util.Collections.indexOfSubList(source, snippet) >= 0)) {
        missing.add(String.join("\n", snippet.subList(0, Math.min(3, snippet.size()))) + "\n  …");
      }
    }
    assertThat(count).as("Java blocks in README.md").isGreaterThan(10);
    assertThat(missing)
        .as("README.md Java blocks found in no source file (change the README or the code so they agree)")
        .isEmpty();
  }

  private static List<String> lines(Path file) {
    try {
      return normalize(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lines without indentation, blank lines, block comments or trailing comments; a nested {@code static class} in a
   * test reads as the top-level {@code class} the README shows.
   */
  private static List<String> normalize(String text) {
    return text.lines()
        .map(line -> TRAILING_COMMENT.matcher(line).replaceFirst("$1").strip())
        .map(line -> line.startsWith("static class ") ? line.substring("static ".length()) : line)
        .filter(line -> !line.isEmpty() && !line.startsWith("/*") && !line.startsWith("*"))
        .collect(Collectors.toList());
  }
}
