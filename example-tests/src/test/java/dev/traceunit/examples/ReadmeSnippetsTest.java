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
  /** The lines around the part of a consumer's pom.xml that a user copies from the README or a docs page. */
  private static final String SNIPPET_BEGIN = "<!-- README snippet: begin -->";
  private static final String SNIPPET_END = "<!-- README snippet: end -->";
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

  @Test
  void theReadmesFirstTestIsTheConsumerProjectThatCiBuildsWordForWord() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Path consumer = ROOT.resolve("consumers/first-test");
    assertThat(blocks(readme, "java"))
        .as("README.md's Java blocks (one must be consumers/first-test/src/test/java/PaymentTest.java, byte for byte)")
        .contains(Files.readString(consumer.resolve("src/test/java/PaymentTest.java")));
    assertThat(blocks(readme, "xml"))
        .as("README.md's XML blocks (one must be the README snippet of consumers/first-test/pom.xml)")
        .contains(readmeSnippet(consumer.resolve("pom.xml")));
  }

  @Test
  void theReadmeSnippetOfEveryConsumerBuildIsAnXmlBlockOfTheReadmeOrTheDocs() throws IOException {
    List<String> xmlBlocks = new ArrayList<>();
    for (Path page : pages()) {
      xmlBlocks.addAll(blocks(Files.readString(page), "xml"));
    }
    List<Path> consumers;
    try (Stream<Path> poms = Files.list(ROOT.resolve("consumers"))) {
      consumers = poms.map(folder -> folder.resolve("pom.xml"))
          .filter(pom -> Files.exists(pom) && read(pom).contains(SNIPPET_BEGIN))
          .sorted()
          .collect(Collectors.toList());
    }
    assertThat(consumers).as("consumer builds made of a README snippet").hasSizeGreaterThanOrEqualTo(4);
    for (Path pom : consumers) {
      assertThat(xmlBlocks)
          .as("XML blocks of README.md and docs/*.md (one must be the README snippet of %s)", ROOT.relativize(pom))
          .contains(readmeSnippet(pom));
    }
  }

  /** The lines of a consumer's pom between its snippet markers, less the indentation of the begin marker. */
  private static String readmeSnippet(Path pom) {
    List<String> lines = read(pom).lines().collect(Collectors.toList());
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(SNIPPET_BEGIN)) {
        begin = i;
      } else if (lines.get(i).strip().equals(SNIPPET_END)) {
        end = i;
      }
    }
    assertThat(begin).as("the line %s in %s", SNIPPET_BEGIN, pom).isNotNegative();
    assertThat(end).as("the line %s after %s in %s", SNIPPET_END, SNIPPET_BEGIN, pom).isGreaterThan(begin);
    int indent = lines.get(begin).indexOf('<');
    StringBuilder snippet = new StringBuilder();
    for (String line : lines.subList(begin + 1, end)) {
      snippet.append(line.length() >= indent && line.substring(0, indent).isBlank() ? line.substring(indent) : line)
          .append('\n');
    }
    return snippet.toString();
  }

  /** The text of every fenced block of the language, each ending with its last line's newline. */
  private static List<String> blocks(String markdown, String language) {
    Matcher block = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    List<String> blocks = new ArrayList<>();
    while (block.find()) {
      blocks.add(block.group(1));
    }
    return blocks;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    return normalize(read(file));
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
