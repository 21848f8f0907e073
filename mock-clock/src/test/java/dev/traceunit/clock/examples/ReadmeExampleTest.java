package dev.traceunit.clock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's "Deterministic time" section true: each of its Java blocks must be code of
 * this package, which compiles and passes. The section lives in the module's README-section.md
 * until it is merged into the project's README.md; either is read.
 */
class ReadmeExampleTest {
  private static final Pattern SECTION =
      Pattern.compile("(?ms)^(#+) Deterministic time\\s*$(.*?)(?=^#{1,2} |\\z)");
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");

  @Test
  void everyJavaBlockOfTheDeterministicTimeSectionIsCodeOfTheseExamples() throws IOException {
    String section = deterministicTimeSection();
    String examples = normalized(examplesSource());

    List<String> blocks = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(section);
    while (block.find()) {
      blocks.add(block.group(1));
    }

    assertThat(blocks).as("Java blocks of the section").isNotEmpty()
        .allSatisfy(code -> assertThat(examples).as("the examples' source")
            .contains(normalized(code)));
  }

  private static String deterministicTimeSection() throws IOException {
    for (Path readme : List.of(Path.of("README-section.md"), Path.of("..", "README.md"))) {
      if (Files.exists(readme)) {
        Matcher section = SECTION.matcher(Files.readString(readme));
        if (section.find()) {
          return section.group(2);
        }
      }
    }
    throw new AssertionError("no \"Deterministic time\" section in README-section.md or"
        + " ../README.md (relative to " + Path.of("").toAbsolutePath() + ")");
  }

  private static String examplesSource() throws IOException {
    Path dir = Path.of("src/test/java/dev/traceunit/clock/examples");
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        all.append(Files.readString(file)).append('\n');
      }
    }
    return all.toString();
  }

  private static String normalized(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }
}
