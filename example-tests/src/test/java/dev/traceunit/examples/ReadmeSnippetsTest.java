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
 * Keeps the README and the pages under {@code docs/} true: every Java block in them must stand, line for line
 * (indentation aside), in a source file of the project that is compiled and tested, and every page the README
 * links to exists and is linked from it.
 */
class ReadmeSnippetsTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  /** A {@code //} comment after code, when no string literal is open before it. */
  private static final Pattern TRAILING_COMMENT = Pattern.compile("^([^\"]*(\"[^\"]*\")*[^\"]*?)\\s+//.*$");

  private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyJavaSnippetInTheReadmeAndTheDocsIsCodeOfTheProject() throws IOException {
    Path root = ROOT;
    List<Path> pages = pages();
    assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThan(5);
    List<List<String>> sources;
    try (Stream<Path> files = Files.walk(root).filter(f -> !f.toString().contains("/target"))) {
      sources = files
          .filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/"))
          .map(ReadmeSnippetsTest::lines)
          .collect(Collectors.toList());
    }
    List<String> missing = new ArrayList<>();
    int count = 0;
    for (Path page : pages) {
      Matcher block = JAVA_BLOCK.matcher(Files.readString(page));
      while (block.find()) {
        count++;
        List<String> snippet = normalize(block.group(1));
        if (sources.stream().noneMatch(source -> java.util.Collections.indexOfSubList(source, snippet) >= 0)) {
          missing.add(root.relativize(page) + ": "
              + String.join("\n", snippet.subList(0, Math.min(3, snippet.size()))) + "\n  …");
        }
      }
    }
    assertThat(count).as("Java blocks in README.md and docs/*.md").isGreaterThan(10);
    assertThat(missing)
        .as("Java blocks of README.md and docs/*.md found in no source file (change the text or the code so they agree)")
        .isEmpty();
  }

  @Test
  void everyLocalLinkLeadsToAFileAndEveryDocsPageIsLinkedFromTheReadme() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      Matcher link = LOCAL_LINK.matcher(Files.readString(page));
      while (link.find()) {
        if (!Files.exists(page.getParent().resolve(link.group(1)))) {
          broken.add(ROOT.relativize(page) + " links to " + link.group(1));
        }
      }
    }
    assertThat(broken).as("links to files that do not exist").isEmpty();
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(pages().stream().skip(1).map(page -> ROOT.relativize(page).toString()))
        .as("docs pages the README links to")
        .allSatisfy(page -> assertThat(readme).contains("](" + page + ")"));
  }

  /** README.md first, then the pages under docs/ in name order. */
  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
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
