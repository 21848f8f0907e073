package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Text;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tree written as text, one span a line, two spaces of indent a level, {@code name} or
 * {@code name [kind]}; compared depth-first with a trace's tree, children in start order.
 */
final class TreeShape {

  private static final Pattern WITH_KIND = Pattern.compile("(.*?)\\s*\\[([^\\[\\]]+)]");
  private static final String MISSING = "(nothing)";
  /** Deeper lines are drawn at this depth, labelled with their real one: a 10,000-deep trace stays readable. */
  private static final int MAX_DRAWN_DEPTH = 32;
  /** At most this many lines of each shape in a message and its diff, around the first difference. */
  static final int MAX_LINES = 200;

  /** One line of a shape; {@code kind} is null when the expected line does not name one. */
  record Line(int depth, String name, SpanKind kind, RecordedSpan span) {

    boolean matches(Line actual) {
      return actual != null && depth == actual.depth && name.equals(actual.name)
          && (kind == null || kind.equals(actual.kind));
    }

    String text(boolean withKind) {
      String label = Text.oneLine(name) + (withKind ? " [" + Text.oneLine(kind.name()) + "]" : "");
      return depth > MAX_DRAWN_DEPTH ? "  ".repeat(MAX_DRAWN_DEPTH) + "[depth " + depth + "] " + label
          : "  ".repeat(depth) + label;
    }
  }

  /**
   * Reads an expected shape. Blank lines are skipped and a common indent is removed (text blocks).
   *
   * @throws IllegalArgumentException for a tab, an odd indent or a line more than one level deeper
   *     than the one before
   */
  static List<Line> parse(String text) {
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
    List<Line> shape = new ArrayList<>();
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
          ? new Line(depth, kind.group(1), SpanKind.of(kind.group(2).strip()), null)
          : new Line(depth, content, null, null));
    }
    return shape;
  }

  /** The trace's tree as shape lines, depth-first, children in start order. */
  static List<Line> of(Trace trace) {
    List<Line> shape = new ArrayList<>();
    Deque<Line> todo = new ArrayDeque<>();
    List<RecordedSpan> roots = trace.roots();
    for (int i = roots.size() - 1; i >= 0; i--) {
      todo.push(new Line(0, roots.get(i).name(), roots.get(i).kind(), roots.get(i)));
    }
    while (!todo.isEmpty()) {
      Line line = todo.pop();
      shape.add(line);
      List<RecordedSpan> children = trace.children(line.span());
      for (int i = children.size() - 1; i >= 0; i--) {
        RecordedSpan child = children.get(i);
        todo.push(new Line(line.depth() + 1, child.name(), child.kind(), child));
      }
    }
    return shape;
  }

  /** A line and the lines below it. */
  private record Node(Line line, List<Node> children) {}

  /**
   * The actual shape with each span's children (and the roots) reordered to follow the expected
   * shape where they can: each expected child takes the first actual sibling whose whole subtree
   * matches it, else the first whose line matches; unmatched actual children keep their order at the end.
   */
  static List<Line> arrangedLike(List<Line> expected, List<Line> actual) {
    List<Line> arranged = new ArrayList<>(actual.size());
    flatten(arrange(tree(expected), tree(actual)), arranged);
    return arranged;
  }

  private static List<Node> arrange(List<Node> expected, List<Node> actual) {
    List<Node> remaining = new ArrayList<>(actual);
    List<Node> arranged = new ArrayList<>(actual.size());
    for (Node wanted : expected) {
      Node pick = remaining.stream().filter(candidate -> matchesWhole(wanted, candidate)).findFirst()
          .orElseGet(() -> remaining.stream().filter(candidate -> wanted.line().matches(candidate.line()))
              .findFirst().orElse(null));
      if (pick != null) {
        remaining.remove(pick);
        arranged.add(new Node(pick.line(), arrange(wanted.children(), pick.children())));
      }
    }
    arranged.addAll(remaining);
    return arranged;
  }

  private static boolean matchesWhole(Node expected, Node actual) {
    if (!expected.line().matches(actual.line()) || expected.children().size() != actual.children().size()) {
      return false;
    }
    List<Node> remaining = new ArrayList<>(actual.children());
    for (Node child : expected.children()) {
      Node pick = remaining.stream().filter(candidate -> matchesWhole(child, candidate)).findFirst().orElse(null);
      if (pick == null) {
        return false;
      }
      remaining.remove(pick);
    }
    return true;
  }

  /** Depth-first lines as a tree. */
  private static List<Node> tree(List<Line> lines) {
    List<Node> roots = new ArrayList<>();
    List<Node> open = new ArrayList<>();
    for (Line line : lines) {
      Node node = new Node(line, new ArrayList<>());
      while (open.size() > line.depth()) {
        open.remove(open.size() - 1);
      }
      (open.isEmpty() ? roots : open.get(open.size() - 1).children()).add(node);
      open.add(node);
    }
    return roots;
  }

  private static void flatten(List<Node> nodes, List<Line> into) {
    for (Node node : nodes) {
      into.add(node.line());
      flatten(node.children(), into);
    }
  }

  /** The index of the first line that differs, or -1 when the shapes match. */
  static int firstDifference(List<Line> expected, List<Line> actual) {
    int lines = Math.max(expected.size(), actual.size());
    for (int i = 0; i < lines; i++) {
      if (i >= expected.size() || !expected.get(i).matches(i < actual.size() ? actual.get(i) : null)) {
        return i;
      }
    }
    return -1;
  }

  /** The expected shape as text, normalised: at most {@value #MAX_LINES} lines around {@code difference}. */
  static String expectedText(List<Line> expected, int difference) {
    return text(expected, expected, difference, expected.size());
  }

  /**
   * The actual shape in the expected shape's notation (a kind shown where the expected line names
   * one): at most {@value #MAX_LINES} lines around {@code difference}.
   */
  static String actualText(List<Line> expected, List<Line> actual, int difference) {
    return text(expected, actual, difference, actual.size());
  }

  private static String text(List<Line> expected, List<Line> lines, int difference, int size) {
    int from = windowStart(difference, size);
    int to = Math.min(size, from + MAX_LINES);
    StringBuilder out = new StringBuilder();
    if (from > 0) {
      out.append("… ").append(from).append(" lines above not shown\n");
    }
    for (int i = from; i < to; i++) {
      out.append(lines.get(i).text(i < expected.size() && expected.get(i).kind() != null)).append('\n');
    }
    if (to < size) {
      out.append("… ").append(size - to).append(" lines below not shown\n");
    }
    return out.toString();
  }

  private static int windowStart(int difference, int size) {
    return size <= MAX_LINES ? 0 : Math.max(0, Math.min(difference - MAX_LINES / 2, size - MAX_LINES));
  }

  /** Expected and actual side by side, the first difference marked with {@code ▶}; a window of rows around it. */
  static String sideBySide(List<Line> expected, List<Line> actual, int difference) {
    int size = Math.max(expected.size(), actual.size()) + 1;
    int from = windowStart(difference, size);
    int to = Math.min(size, from + MAX_LINES);
    String[] left = cells("expected", expected, expected, from, to);
    String[] right = cells("actual", expected, actual, from, to);
    int width = 0;
    for (String cell : left) {
      width = Math.max(width, cell == null ? 0 : cell.length());
    }
    StringBuilder out = new StringBuilder();
    if (from > 0) {
      out.append("  … ").append(from).append(" lines above not shown\n");
    }
    for (int row = 0; row < to - from; row++) {
      String cell = left[row] == null ? "" : left[row];
      String other = right[row] == null ? "" : right[row];
      String line = (from + row == difference + 1 ? "▶ " : "  ") + cell + " ".repeat(width - cell.length() + 4) + other;
      out.append(line.stripTrailing()).append('\n');
    }
    if (to < size) {
      out.append("  … ").append(size - to).append(" lines below not shown\n");
    }
    return out.toString();
  }

  /** Rows {@code from} to {@code to} of one column: its title, its lines, then (nothing) once. */
  private static String[] cells(String title, List<Line> expected, List<Line> lines, int from, int to) {
    String[] cells = new String[to - from];
    for (int row = from; row < to; row++) {
      int i = row - 1;
      cells[row - from] = row == 0 ? title : i < lines.size()
          ? lines.get(i).text(i < expected.size() && expected.get(i).kind() != null)
          : i == lines.size() ? MISSING : null;
    }
    return cells;
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
