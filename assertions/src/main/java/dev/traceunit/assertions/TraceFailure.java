package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Text;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one shape of every failure message: what was checked, what was expected, what was found, and
 * the tree with the subject marked.
 */
final class TraceFailure {

  /**
   * At most this many lines of the tree are in a failure message, around the first marked span: a
   * trace of thousands of spans must not bury the message.
   */
  static final int MAX_TREE_LINES = 200;

  /** At most this many spans or problems are listed one per line; the rest are counted in one more line. */
  static final int MAX_LISTED = 20;

  /**
   * At most this many chars in a failure message: past it the tree is cut, saying how much. The
   * whole tree is in the dump files.
   */
  static final int MAX_MESSAGE_CHARS = 100_000;

  /** A path longer than this is shown by its start and its end, with the levels between counted. */
  static final int MAX_PATH_CHARS = 300;

  private TraceFailure() {}

  /** A failure about one span: names it by its path and marks it in the tree. */
  static String aboutSpan(Trace trace, RecordedSpan span, String expecting, String found) {
    return message("span " + path(trace, span), expecting, found, tree(trace, span));
  }

  /** A failure about the whole trace, marking the spans that matter (possibly none). */
  static String aboutTrace(Trace trace, Predicate<? super RecordedSpan> marked, String expecting, String found) {
    return message("trace " + trace.traceId(), expecting, found, tree(trace, marked));
  }

  /** The tree a message shows: at most {@value #MAX_TREE_LINES} lines, around the first marked span. */
  static String tree(Trace trace, Predicate<? super RecordedSpan> marked) {
    return trace.render(marked, MAX_TREE_LINES);
  }

  /** The tree a message shows, with {@code span} marked. */
  static String tree(Trace trace, RecordedSpan span) {
    return tree(trace, candidate -> candidate.spanId() == span.spanId());
  }

  /** The tree a message shows, with these spans marked. */
  static String tree(Trace trace, Collection<RecordedSpan> spans) {
    return tree(trace, marking(spans));
  }

  /** Whether a span is one of these: a set of ids, so marking thousands of spans stays linear. */
  static Predicate<RecordedSpan> marking(Collection<RecordedSpan> spans) {
    Set<Long> ids = new HashSet<>();
    spans.forEach(span -> ids.add(span.spanId()));
    return candidate -> ids.contains(candidate.spanId());
  }

  static String message(String subject, String expecting, String found, String tree) {
    String head = "\nExpecting " + subject + "\n  " + expecting + "\nbut " + found + "\nin:\n";
    int room = Math.max(0, MAX_MESSAGE_CHARS - head.length());
    if (tree.length() <= room) {
      return head + tree;
    }
    int cut = tree.lastIndexOf('\n', room);
    cut = cut < 0 ? room : cut + 1;
    return head + tree.substring(0, cut) + "… " + (tree.length() - cut) + " more chars of the tree cut (a message"
        + " holds at most " + MAX_MESSAGE_CHARS + "; the dump files hold the whole tree)\n";
  }

  /**
   * A span's path as messages show it: {@link Trace#path}, escaped, and for a deep span its start
   * and end with the number of levels between, so the first line of a message stays short.
   */
  static String path(Trace trace, RecordedSpan span) {
    String path = Text.oneLine(trace.path(span));
    if (path.length() <= MAX_PATH_CHARS) {
      return path;
    }
    int depth = 0;
    for (RecordedSpan at = span; at != null; at = trace.parent(at).orElse(null)) {
      depth++;
    }
    String start = path.substring(0, MAX_PATH_CHARS / 3);
    String end = path.substring(path.length() - MAX_PATH_CHARS / 2);
    return start + " … " + end + " (" + depth + " levels, " + (path.length() - start.length() - end.length())
        + " chars of the path cut)";
  }

  /**
   * The spans' paths, one per line, indented: the answer to "which ones?". At most {@value #MAX_LISTED}
   * are listed, then "… and N more".
   */
  static String paths(Trace trace, List<RecordedSpan> spans) {
    return listed(spans, span -> path(trace, span) + "  (span " + span.spanId() + ")");
  }

  /** Each item on its own indented line, at most {@value #MAX_LISTED} of them, then "… and N more". */
  static <T> String listed(List<T> items, Function<? super T, String> line) {
    StringBuilder out = new StringBuilder();
    int shown = Math.min(items.size(), MAX_LISTED);
    for (T item : items.subList(0, shown)) {
      out.append("\n    ").append(line.apply(item));
    }
    if (items.size() > shown) {
      out.append("\n    … and ").append(items.size() - shown).append(" more");
    }
    return out.toString();
  }

  /** "found 2 spans named ..." followed by their paths, or "found none". */
  static String found(Trace trace, List<RecordedSpan> matches, String what) {
    if (matches.isEmpty()) {
      return "found no " + what;
    }
    String phrase = matches.size() != 1 ? what
        : what.replaceFirst("^(root |open )?spans", "$1span").replaceFirst("^children", "child");
    return "found " + matches.size() + " " + phrase + ":" + paths(trace, matches);
  }


  static String quote(String text) {
    return text == null ? "null" : "\"" + Text.oneLine(text) + "\"";
  }

  static boolean same(RecordedSpan a, RecordedSpan b) {
    return a.spanId() == b.spanId();
  }
}
