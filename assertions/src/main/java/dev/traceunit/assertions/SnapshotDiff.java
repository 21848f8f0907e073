package dev.traceunit.assertions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The differences between two snapshot texts as a tree, not as lines: spans added, removed or moved,
 * attributes and fields changed, each with the path of the span it concerns.
 */
final class SnapshotDiff {

  /** At most this many differences are listed; the rest are counted. */
  static final int MAX_LISTED = 30;

  /** One line of a snapshot and the lines indented below it. */
  private static final class Node {
    final String line;
    final List<Node> children = new ArrayList<>();

    Node(String line) {
      this.line = line;
    }

    /** What identifies it among its siblings: a span by name and kind, an attribute by key, … */
    String key() {
      int fields = line.indexOf("  ");
      if (line.startsWith("attr ")) {
        int equals = line.indexOf(" = ");
        return equals < 0 ? line : line.substring(0, equals);
      }
      if (line.startsWith("span ") || line.startsWith("event ")) {
        return fields < 0 ? line : line.substring(0, fields);
      }
      if (line.startsWith("problem ")) {
        return fields < 0 ? line : line.substring(0, fields);
      }
      int space = line.indexOf(' ');
      return line.startsWith("link ") || space < 0 ? line : line.substring(0, space);
    }

    boolean isSpan() {
      return line.startsWith("span ");
    }
  }

  private final List<String> differences = new ArrayList<>();

  private SnapshotDiff() {}

  /** The differences from {@code expected} to {@code actual}, the first one marked {@code ▶}; empty if none. */
  static List<String> between(String expected, String actual) {
    SnapshotDiff diff = new SnapshotDiff();
    diff.children("", parse(expected).children, parse(actual).children);
    return diff.differences;
  }

  /** The differences as the failure message lists them. */
  static String listed(List<String> differences) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(differences.size(), MAX_LISTED); i++) {
      out.append(i == 0 ? "▶ " : "  ").append(differences.get(i)).append('\n');
    }
    if (differences.size() > MAX_LISTED) {
      out.append("  … and ").append(differences.size() - MAX_LISTED).append(" more\n");
    }
    return out.toString();
  }

  private static Node parse(String text) {
    Node root = new Node("");
    List<Node> open = new ArrayList<>();
    open.add(root);
    for (String raw : text.lines().toList()) {
      if (raw.isBlank()) {
        continue;
      }
      int spaces = 0;
      while (spaces < raw.length() && raw.charAt(spaces) == ' ') {
        spaces++;
      }
      int depth = Math.min(spaces / 2, open.size() - 1);
      Node node = new Node(raw.substring(spaces));
      open.get(depth).children.add(node);
      while (open.size() > depth + 1) {
        open.remove(open.size() - 1);
      }
      open.add(node);
    }
    return root;
  }

  /**
   * Matches two sibling lists by key in order (longest common subsequence), then reports the rest.
   * The common start and end are matched first; past {@link #MAX_TABLE} cells for what is left,
   * the n-th sibling with a key matches the n-th with the same key, so ten thousands of siblings
   * cost neither quadratic time nor memory.
   */
  private void children(String path, List<Node> expected, List<Node> actual) {
    int n = expected.size();
    int m = actual.size();
    List<Node> removed = new ArrayList<>();
    List<Node> added = new ArrayList<>();
    List<Node[]> matched = new ArrayList<>();
    int start = 0;
    while (start < n && start < m && expected.get(start).key().equals(actual.get(start).key())) {
      matched.add(new Node[] {expected.get(start), actual.get(start)});
      start++;
    }
    int end = 0;
    while (end < n - start && end < m - start
        && expected.get(n - 1 - end).key().equals(actual.get(m - 1 - end).key())) {
      end++;
    }
    List<Node> was = expected.subList(start, n - end);
    List<Node> now = actual.subList(start, m - end);
    if ((long) was.size() * now.size() <= MAX_TABLE) {
      commonSubsequence(was, now, matched, removed, added);
    } else {
      byOccurrence(was, now, matched, removed, added);
    }
    for (int k = end; k > 0; k--) {
      matched.add(new Node[] {expected.get(n - k), actual.get(m - k)});
    }
    Map<String, Integer> named = new HashMap<>();
    for (Node node : actual) {
      if (node.isSpan()) {
        named.merge(spanName(node), 1, Integer::sum);
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    Map<Node, String> paths = new IdentityHashMap<>();
    for (Node node : actual) {
      paths.put(node, childPath(path, node, named, seen));
    }
    for (Node[] pair : matched) {
      compare(paths.get(pair[1]), pair[0], pair[1]);
    }
    Map<String, ArrayDeque<Node>> addedByKey = new HashMap<>();
    for (Node fresh : added) {
      addedByKey.computeIfAbsent(fresh.key(), key -> new ArrayDeque<>()).add(fresh);
    }
    Set<Node> movedHere = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node gone : removed) {
      ArrayDeque<Node> sameKey = addedByKey.get(gone.key());
      Node moved = sameKey == null ? null : sameKey.poll();
      if (moved != null) {
        movedHere.add(moved);
        differences.add(where(path) + describe(moved) + " moved: it was " + position(expected, gone) + ", now "
            + position(actual, moved));
        compare(paths.get(moved), gone, moved);
      } else {
        differences.add(where(path) + describe(gone) + " removed" + rest(gone));
      }
    }
    for (Node fresh : added) {
      if (!movedHere.contains(fresh)) {
        differences.add(where(path) + describe(fresh) + " added" + rest(fresh));
      }
    }
  }

  /** The most cells of the common-subsequence table one sibling list may take. */
  static final long MAX_TABLE = 4_000_000;

  private static void commonSubsequence(List<Node> expected, List<Node> actual, List<Node[]> matched,
      List<Node> removed, List<Node> added) {
    int n = expected.size();
    int m = actual.size();
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] = expected.get(i).key().equals(actual.get(j).key())
            ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && expected.get(i).key().equals(actual.get(j).key())) {
        matched.add(new Node[] {expected.get(i++), actual.get(j++)});
      } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
        added.add(actual.get(j++));
      } else {
        removed.add(expected.get(i++));
      }
    }
  }

  private static void byOccurrence(List<Node> expected, List<Node> actual, List<Node[]> matched,
      List<Node> removed, List<Node> added) {
    Map<String, ArrayDeque<Node>> waiting = new HashMap<>();
    for (Node node : expected) {
      waiting.computeIfAbsent(node.key(), key -> new ArrayDeque<>()).add(node);
    }
    Set<Node> paired = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node node : actual) {
      Node was = waiting.getOrDefault(node.key(), new ArrayDeque<>()).poll();
      if (was == null) {
        added.add(node);
      } else {
        matched.add(new Node[] {was, node});
        paired.add(was);
      }
    }
    for (Node node : expected) {
      if (!paired.contains(node)) {
        removed.add(node);
      }
    }
  }

  /** {@code path}: the span's own path, or for a detail line (attribute, event) its span's. */
  private void compare(String path, Node expected, Node actual) {
    if (!expected.line.equals(actual.line)) {
      differences.add(where(path) + changed(expected, actual));
    }
    String inside = expected.isSpan() || expected.children.isEmpty() ? path
        : (path.isEmpty() ? "" : path + " > ") + expected.key();
    children(inside, expected.children, actual.children);
  }

  private static String changed(Node expected, Node actual) {
    if (expected.line.startsWith("attr ")) {
      return "attribute " + expected.key().substring(5) + " changed: " + after(expected.line, " = ") + " → "
          + after(actual.line, " = ");
    }
    if (expected.isSpan() || expected.line.startsWith("event ")) {
      List<String> was = fields(expected.line);
      List<String> now = fields(actual.line);
      List<String> changes = new ArrayList<>();
      for (String field : new String[] {"start", "duration", "status", "thread"}) {
        String before = field(was, field);
        String after = field(now, field);
        if (!before.equals(after)) {
          changes.add(field + " changed: " + (before.isEmpty() ? "(none)" : before) + " → "
              + (after.isEmpty() ? "(none)" : after));
        }
      }
      if (!changes.isEmpty()) {
        // A span is named by the path already; an event is not.
        return (expected.isSpan() ? "" : describe(expected) + " ") + String.join("; ", changes);
      }
    }
    return describe(expected) + " changed: " + expected.line + " → " + actual.line;
  }

  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>(List.of(line.split(" {2}")));
    fields.remove(0);
    return fields;
  }

  /** A field of a span line, told by its shape: {@code +10ms}, {@code 120ms}, {@code ERROR}, {@code thread=…}. */
  private static String field(List<String> fields, String name) {
    for (String value : fields) {
      String kind = value.startsWith("+") ? "start" : value.startsWith("thread=") ? "thread"
          : value.equals("OK") || value.equals("ERROR") ? "status" : "duration";
      if (kind.equals(name)) {
        return kind.equals("thread") ? value.substring("thread=".length()) : value;
      }
    }
    return "";
  }

  private static String after(String line, String separator) {
    int at = line.indexOf(separator);
    return at < 0 ? line : line.substring(at + separator.length());
  }

  private static String describe(Node node) {
    String key = node.key();
    if (node.line.startsWith("attr ")) {
      return "attribute " + key.substring(5);
    }
    return key;
  }

  /** What a line says after its key: {@code : "pay-42-2"} for an attribute, {@code : +540ms  120ms} for a span. */
  private static String rest(Node node) {
    String rest = node.line.substring(node.key().length());
    rest = rest.startsWith(" = ") ? rest.substring(3) : rest.strip();
    return rest.isEmpty() ? "" : ": " + rest;
  }

  private static String where(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  /** {@code 2nd of 3}: its place among the siblings of its kind (spans among spans). */
  private static String position(List<Node> siblings, Node node) {
    int place = 0;
    int count = 0;
    for (Node sibling : siblings) {
      if (sibling.isSpan() == node.isSpan()) {
        count++;
      }
      if (sibling == node) {
        place = count;
      }
    }
    return ordinal(place) + " of " + count;
  }

  private static String ordinal(int n) {
    String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return n + suffix;
  }

  /** {@code checkout > payment.call[1]}: the span's name, with its index when siblings share it. */
  private static String childPath(String path, Node node, Map<String, Integer> named, Map<String, Integer> seen) {
    if (!node.isSpan()) {
      return path;
    }
    String name = spanName(node);
    int same = named.get(name);
    int index = seen.merge(name, 1, Integer::sum) - 1;
    String segment = same > 1 ? name + "[" + index + "]" : name;
    return path.isEmpty() ? segment : path + " > " + segment;
  }

  private static String spanName(Node node) {
    String key = node.key().substring(5);
    int kind = key.lastIndexOf(" [");
    return kind < 0 ? key : key.substring(0, kind);
  }
}
