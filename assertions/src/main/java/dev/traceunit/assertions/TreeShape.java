package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Text;
import dev.traceunit.core.internal.TraceTree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A tree written as text, one span a line, two spaces of indent a level, {@code name} or
 * {@code name [kind]}; compared depth-first with a trace's tree, children in start order.
 */
final class TreeShape {

  private static final String MISSING = "(nothing)";
  /** Deeper lines are drawn at this depth, labelled with their real one: a 10,000-deep trace stays readable. */
  private static final int MAX_DRAWN_DEPTH = 32;
  /** At most this many lines of each shape in a message and its diff, around the first difference. */
  static final int MAX_LINES = 200;

  /** One line of a shape; {@code kind} is null when the expected line does not name one. */
  record Line(int depth, String name, SpanKind kind, RecordedSpan span) {

    boolean matches(Line actual) {
      return actual != null && matches(actual.depth, actual.name, actual.kind);
    }

    boolean matches(int actualDepth, String actualName, SpanKind actualKind) {
      return depth == actualDepth && name.equals(actualName) && (kind == null || kind.equals(actualKind));
    }

    String text(boolean withKind) {
      String label = Text.oneLine(name) + (withKind ? " [" + Text.oneLine(kind.name()) + "]" : "");
      return depth > MAX_DRAWN_DEPTH ? "  ".repeat(MAX_DRAWN_DEPTH) + "[depth " + depth + "] " + label
          : "  ".repeat(depth) + label;
    }
  }

  /**
   * Reads an expected shape. Blank lines are skipped and a common indent is removed (text blocks).
   * A name equal to the one before at the same depth is that line's instance again.
   *
   * @throws IllegalArgumentException for a tab, an odd indent or a line more than one level deeper
   *     than the one before
   */
  static List<Line> parse(String text) {
    ShapeReader reader = new ShapeReader(text);
    List<Line> shape = new ArrayList<>(reader.lines);
    Line[] before = new Line[MAX_DRAWN_DEPTH + 1]; // the last line read at each depth, for its name
    while (reader.next()) {
      int depth = reader.depth;
      Line last = before[Math.min(depth, MAX_DRAWN_DEPTH)];
      String name = last != null && reader.nameIs(last.name()) ? last.name() : reader.name();
      Line line = new Line(depth, name, reader.kind, null);
      before[Math.min(depth, MAX_DRAWN_DEPTH)] = line;
      shape.add(line);
    }
    return shape;
  }

  /**
   * The lines of a shape one at a time, read in place: split as {@code \R} splits them, {@code name
   * [kind]} found without a regular expression, so that comparing a shape of a million lines makes
   * no object per line. The constructor finds the lines and their common indent (and rejects a
   * tab, or a shape of blank lines); {@link #next()} rejects a line indented wrongly.
   */
  private static final class ShapeReader {
    private final String text;
    /** Where each non-blank line starts and ends (trailing white space left out). */
    private int[] bounds = new int[32];
    final int lines;
    private final int common;
    private int line = -1;
    private int previousDepth = -1;
    /** The text of the last kind read, and the kind it names. */
    private String kindText;
    private SpanKind lastKind;

    int depth;
    int nameStart;
    int nameEnd;
    /** The line's kind, or null if it names none. */
    SpanKind kind;

    ShapeReader(String text) {
      this.text = text;
      int count = 0;
      int shared = Integer.MAX_VALUE;
      int length = text.length();
      for (int from = 0; from <= length; ) {
        int to = from;
        while (to < length && !isLineBreak(text.charAt(to))) {
          to++;
        }
        int next = to < length && text.charAt(to) == '\r' && to + 1 < length && text.charAt(to + 1) == '\n' ? to + 2
            : to + 1;
        int end = to;
        while (end > from && Character.isWhitespace(text.charAt(end - 1))) {
          end--;
        }
        if (end > from) {
          if (contains(text, from, end, '\t')) {
            throw new IllegalArgumentException("tree shape line " + quoted(text.substring(from, to))
                + " contains a tab; indent with two spaces per level");
          }
          if (2 * count + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
          }
          bounds[2 * count] = from;
          bounds[2 * count + 1] = end;
          count++;
          shared = Math.min(shared, indent(text, from, end));
        }
        from = next;
      }
      if (count == 0) {
        throw new IllegalArgumentException("tree shape must name at least one span but was " + quoted(text));
      }
      lines = count;
      common = shared;
    }

    /** Moves to the next line; false after the last. */
    boolean next() {
      if (++line >= lines) {
        return false;
      }
      int from = bounds[2 * line];
      int end = bounds[2 * line + 1];
      int indent = indent(text, from, end) - common;
      if (indent % 2 != 0) {
        throw new IllegalArgumentException("tree shape line " + quoted(text.substring(from, end)) + " is indented by "
            + indent + " spaces; use two spaces per level");
      }
      depth = indent / 2;
      if (depth > previousDepth + 1) {
        throw new IllegalArgumentException("tree shape line " + quoted(text.substring(from, end)) + " is " + depth
            + " levels deep, but the line before it is only " + Math.max(previousDepth, 0) + " deep");
      }
      previousDepth = depth;
      int start = from;
      while (start < end && Character.isWhitespace(text.charAt(start))) {
        start++;
      }
      // name [kind]: the last '[' of a line ending in ']', with no other bracket between them.
      nameStart = start;
      nameEnd = end;
      kind = null;
      if (text.charAt(end - 1) == ']') {
        int open = end - 2;
        while (open >= start && text.charAt(open) != '[') {
          open--;
        }
        if (open >= start && open < end - 2 && !contains(text, open, end - 1, ']')) {
          nameEnd = open;
          while (nameEnd > start && isRegexSpace(text.charAt(nameEnd - 1))) {
            nameEnd--;
          }
          if (kindText == null || !sameText(text, open + 1, end - 1, kindText)) {
            kindText = text.substring(open + 1, end - 1);
            lastKind = SpanKind.of(kindText.strip());
          }
          kind = lastKind; // the kind of the line before with the same text, else made above
        }
      }
      return true;
    }

    String name() {
      return text.substring(nameStart, nameEnd);
    }

    boolean nameIs(String name) {
      return sameText(text, nameStart, nameEnd, name);
    }

    /** Whether the span matches this line, as {@link Line#matches(int, String, SpanKind)} does. */
    boolean matches(int actualDepth, String actualName, SpanKind actualKind) {
      return depth == actualDepth && nameIs(actualName) && (kind == null || kind.equals(actualKind));
    }
  }

  private static boolean contains(String text, int from, int to, char c) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == c) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameText(String text, int from, int to, String other) {
    return other.length() == to - from && text.regionMatches(from, other, 0, to - from);
  }

  /** The line terminators of {@code \R}. */
  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** The white space of a regular expression's {@code \s}. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** The trace's tree as shape lines, depth-first, children in start order. */
  static List<Line> of(Trace trace) {
    List<Line> shape = new ArrayList<>(trace.size());
    List<RecordedSpan> spans = trace.spans();
    TraceTree.of(trace).depthFirst((position, depth) -> {
      RecordedSpan span = spans.get(position);
      shape.add(new Line(depth, span.name(), span.kind(), span));
      return true;
    });
    return shape;
  }

  /**
   * Whether the trace's tree has the shape written in {@code expectedShape}, children in start
   * order: {@link #firstDifference(List, List)} of {@link #parse} and {@link #of(Trace)} is -1,
   * found without making either list, over the trace's arrays of names and kinds (at a million
   * spans, reading each span object, scattered through the heap, cost more than the comparison).
   * A shape that cannot be read throws as {@link #parse} does, unless a difference comes first
   * (the caller then parses it whole, which throws).
   */
  static boolean matches(String expectedShape, Trace trace) {
    ShapeReader expected = new ShapeReader(expectedShape);
    TraceTree tree = TraceTree.of(trace);
    boolean whole = tree.depthFirst((position, depth) -> expected.next()
        && expected.matches(depth, tree.name(position), tree.kind(position)));
    return whole && !expected.next();
  }

  /** A line and the lines below it. */
  private record Node(Line line, List<Node> children) {}

  /**
   * The actual shape with each span's children (and the roots) reordered to follow the expected
   * shape where they can: each expected child takes the first actual sibling whose whole subtree
   * matches it, else the first whose line matches; unmatched actual children keep their order at the end.
   * Every walk keeps its own stack: a trace may be nested deeper than the thread's.
   */
  static List<Line> arrangedLike(List<Line> expected, List<Line> actual) {
    List<Line> arranged = new ArrayList<>(actual.size());
    flatten(arrange(tree(expected), tree(actual)), arranged);
    return arranged;
  }

  /** Siblings to arrange: the expected ones, the actual ones, and the list the arranged ones go into. */
  private record Arrangement(List<Node> expected, List<Node> actual, List<Node> into) {}

  private static List<Node> arrange(List<Node> expected, List<Node> actual) {
    List<Node> roots = new ArrayList<>(actual.size());
    Deque<Arrangement> todo = new ArrayDeque<>();
    todo.push(new Arrangement(expected, actual, roots));
    while (!todo.isEmpty()) {
      Arrangement next = todo.pop();
      List<Node> remaining = new ArrayList<>(next.actual());
      for (Node wanted : next.expected()) {
        Node pick = null;
        for (Node candidate : remaining) {
          if (matchesWhole(wanted, candidate)) {
            pick = candidate;
            break;
          }
        }
        if (pick == null) {
          for (Node candidate : remaining) {
            if (wanted.line().matches(candidate.line())) {
              pick = candidate;
              break;
            }
          }
        }
        if (pick != null) {
          remaining.remove(pick);
          Node placed = new Node(pick.line(), new ArrayList<>(pick.children().size()));
          next.into().add(placed);
          todo.push(new Arrangement(wanted.children(), pick.children(), placed.children()));
        }
      }
      next.into().addAll(remaining);
    }
    return roots;
  }

  /** One comparison of {@link #matchesWhole}: the expected child it looks for next, among the actual ones left. */
  private static final class Comparison {
    final Node expected;
    final List<Node> remaining;
    int child;
    int candidate;

    Comparison(Node expected, Node actual) {
      this.expected = expected;
      this.remaining = new ArrayList<>(actual.children());
    }
  }

  /**
   * Whether the actual subtree matches the expected one with siblings in any order: each expected
   * child, in turn, takes the first actual sibling left whose whole subtree matches it.
   */
  private static boolean matchesWhole(Node expected, Node actual) {
    if (!sameLineAndChildCount(expected, actual)) {
      return false;
    }
    Deque<Comparison> stack = new ArrayDeque<>();
    stack.push(new Comparison(expected, actual));
    Boolean returned = null; // the answer of the comparison just finished, for the one below it
    while (!stack.isEmpty()) {
      Comparison at = stack.peek();
      if (returned != null) {
        if (returned) {
          at.remaining.remove(at.candidate);
          at.child++;
          at.candidate = 0;
        } else {
          at.candidate++;
        }
        returned = null;
      }
      if (at.child == at.expected.children().size()) {
        stack.pop();
        returned = true;
      } else if (at.candidate == at.remaining.size()) {
        stack.pop();
        returned = false;
      } else {
        Node wanted = at.expected.children().get(at.child);
        Node candidate = at.remaining.get(at.candidate);
        if (sameLineAndChildCount(wanted, candidate)) {
          stack.push(new Comparison(wanted, candidate));
        } else {
          returned = false;
        }
      }
    }
    return returned;
  }

  private static boolean sameLineAndChildCount(Node expected, Node actual) {
    return expected.line().matches(actual.line()) && expected.children().size() == actual.children().size();
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
    Deque<Node> todo = new ArrayDeque<>();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      todo.push(nodes.get(i));
    }
    while (!todo.isEmpty()) {
      Node node = todo.pop();
      into.add(node.line());
      for (int i = node.children().size() - 1; i >= 0; i--) {
        todo.push(node.children().get(i));
      }
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

  /** The spaces that start the line from {@code from} to {@code end}. */
  private static int indent(String text, int from, int end) {
    int spaces = 0;
    while (from + spaces < end && text.charAt(from + spaces) == ' ') {
      spaces++;
    }
    return spaces;
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\n", "\\n") + "\"";
  }
}
