package dev.traceunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A snapshot file's body is its text after the leading comment lines, each line ended by {@code \n}. */
class SnapshotBodyTest {

  private static final String[] PIECES = {"# c", "#", "span a", "  x=1", "\n", "\n", "\r\n", "\r", "", " #not", "é"};

  @Test
  void isTheTextAfterTheLeadingCommentsWhateverTheLineEnds() {
    SplittableRandom random = new SplittableRandom(16);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder file = new StringBuilder();
      for (int i = random.nextInt(8); i > 0; i--) {
        file.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String text = file.toString();
      assertThat(SnapshotText.bodyOf(text)).as("file %s", text.replace("\n", "\\n").replace("\r", "\\r"))
          .isEqualTo(lineByLine(text));
    }
  }

  /** The reading by a list of lines. */
  private static String lineByLine(String file) {
    List<String> lines = new ArrayList<>(file.lines().toList());
    while (!lines.isEmpty() && lines.get(0).startsWith("#")) {
      lines.remove(0);
    }
    StringBuilder out = new StringBuilder();
    lines.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }
}
