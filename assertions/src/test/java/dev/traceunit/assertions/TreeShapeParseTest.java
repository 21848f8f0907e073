package dev.traceunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.traceunit.core.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TreeShape#parse} reads shapes without a regular expression; it must read every text as the
 * regular-expression reading it replaced did (kept below as the reference): same lines, same
 * errors.
 */
class TreeShapeParseTest {

  private static final String[] PIECES = {"a", "db.query", " ", "  ", "[client]", "[ server ]", "[x]", "[]", "[", "]",
      "\u2003", "\t", "\n", "\r\n", "\r", "\u000B", "\f", "\u0085", "\u2028", "\u2029", "[[k]]", "[k]x", "é", "  [Kind]"};

  @Test
  void readsRandomShapesAsTheRegularExpressionDid() {
    SplittableRandom random = new SplittableRandom(20);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      int lines = random.nextInt(1, 6);
      for (int l = 0; l < lines; l++) {
        text.append("  ".repeat(random.nextInt(3))).append(random.nextInt(4) == 0 ? " " : "");
        int pieces = random.nextInt(1, 5);
        for (int p = 0; p < pieces; p++) {
          text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        text.append(random.nextBoolean() ? "\n" : "\r\n");
      }
      String shape = text.toString();
      Object expected = outcome(() -> reference(shape));
      Object actual = outcome(() -> TreeShape.parse(shape));
      assertThat(actual).as("shape %s", shape.replace("\n", "\\n").replace("\r", "\\r")).isEqualTo(expected);
    }
  }

  @Test
  void aNameOrKindEqualToTheLineBeforesAtTheSameDepthIsThatOne() {
    List<TreeShape.Line> lines = TreeShape.parse("root [server]\n  db.query [client]\n  db.query [client]\n");
    assertThat(lines.get(2).name()).isSameAs(lines.get(1).name());
    assertThat(lines.get(2).kind()).isSameAs(lines.get(1).kind()).isEqualTo(SpanKind.CLIENT);
  }

  private static Object outcome(java.util.function.Supplier<List<TreeShape.Line>> parse) {
    Throwable thrown = catchThrowable(parse::get);
    if (thrown != null) {
      return thrown.getClass().getSimpleName() + ": " + thrown.getMessage();
    }
    List<String> lines = new ArrayList<>();
    for (TreeShape.Line line : parse.get()) {
      lines.add(line.depth() + "|" + line.name() + "|" + (line.kind() == null ? "-" : line.kind().name()));
    }
    return lines;
  }

  private static final Pattern WITH_KIND = Pattern.compile("(.*?)\\s*\\[([^\\[\\]]+)]");

  /** The reading before: split on line breaks, a regular expression for {@code name [kind]}. */
  private static List<TreeShape.Line> reference(String text) {
    List<String> lines = new ArrayList<>();
    int common = Integer.MAX_VALUE;
    for (String raw : text.split("\\R")) {
      String line = raw.stripTrailing();
      if (line.isBlank()) {
        continue;
      }
      if (line.indexOf('\t') >= 0) {
        throw new IllegalArgumentException("tree shape line " + quoted(raw)
            + " contains a tab; indent with two spaces per level");
      }
      lines.add(line);
      common = Math.min(common, indent(line));
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("tree shape must name at least one span but was " + quoted(text));
    }
    List<TreeShape.Line> shape = new ArrayList<>();
    int previousDepth = -1;
    for (String line : lines) {
      int indent = indent(line) - common;
      if (indent % 2 != 0) {
        throw new IllegalArgumentException("tree shape line " + quoted(line) + " is indented by " + indent
            + " spaces; use two spaces per level");
      }
      int depth = indent / 2;
      if (depth > previousDepth + 1) {
        throw new IllegalArgumentException("tree shape line " + quoted(line) + " is " + depth
            + " levels deep, but the line before it is only " + Math.max(previousDepth, 0) + " deep");
      }
      previousDepth = depth;
      String content = line.strip();
      Matcher kind = WITH_KIND.matcher(content);
      shape.add(kind.matches()
          ? new TreeShape.Line(depth, kind.group(1), SpanKind.of(kind.group(2).strip()), null)
          : new TreeShape.Line(depth, content, null, null));
    }
    return shape;
  }

  private static int indent(String line) {
    int spaces = 0;
    while (spaces < line.length() && line.charAt(spaces) == ' ') {
      spaces++;
    }
    return spaces;
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\n", "\\n") + "\"";
  }
}
