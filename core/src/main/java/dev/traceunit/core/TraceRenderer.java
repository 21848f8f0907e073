package dev.traceunit.core;

import dev.traceunit.core.internal.OtlpIds;
import dev.traceunit.core.internal.Quantities;
import dev.traceunit.core.internal.Text;
import dev.traceunit.core.internal.Values;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes a {@link Trace} as the text tree: columns aligned, children in start order, times relative
 * to the collector's epoch (events relative to their span), long values shortened.
 */
final class TraceRenderer {

  /** Values longer than this are shortened in the tree (never in JSON). */
  static final int MAX_VALUE_CHARS = 60;
  /** Deeper levels are drawn at this depth, labelled with their real depth. */
  private static final int MAX_DRAWN_DEPTH = 64;
  private static final int MAX_LABEL_COLUMN = 72;
  private static final String MARK = "▶ ";
  private static final String NO_MARK = "  ";

  private final Trace trace;
  private final Redaction redaction;
  private final Predicate<? super RecordedSpan> marked;
  private final List<Row> rows = new ArrayList<>();

  /**
   * One line of the tree. Only where it sits is kept; its text is written twice, once into a
   * scratch buffer to measure the columns and once into the output, so a million-span tree never
   * holds a million sets of strings at once.
   */
  private static final class Row {
    final RecordedSpan span; // the span of a span line, null on an event line
    final SpanEvent event; // null on a span line
    final String indent;
    final boolean last;
    final int depth;
    boolean marked;
    int labelLength;
    int startLength;
    int durationLength;

    Row(RecordedSpan span, SpanEvent event, String indent, boolean last, int depth) {
      this.span = span;
      this.event = event;
      this.indent = indent;
      this.last = last;
      this.depth = depth;
    }

    /** The indent of this span's events and children. */
    String childIndent() {
      return depth >= MAX_DRAWN_DEPTH ? indent : indent + (last ? "   " : "│  ");
    }
  }

  /** At most this many tree lines are written (0: all), around the first marked span. */
  private final int maxLines;

  TraceRenderer(Trace trace, Predicate<? super RecordedSpan> marked, int maxLines) {
    this.trace = trace;
    this.redaction = trace.redaction();
    this.marked = marked;
    this.maxLines = maxLines;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    header(out);
    if (trace.isEmpty()) {
      out.append("(no spans recorded)\n");
    } else {
      collectRows();
      int from = 0;
      int to = rows.size();
      if (maxLines > 0 && rows.size() > maxLines) {
        int firstMarked = 0;
        while (firstMarked < rows.size() && !rows.get(firstMarked).marked) {
          firstMarked++;
        }
        from = firstMarked == rows.size() ? 0 : Math.max(0, Math.min(firstMarked - maxLines / 2, rows.size() - maxLines));
        to = from + maxLines;
      }
      if (from > 0) {
        out.append("… ").append(Quantities.count(from, "line")).append(" above not shown\n");
      }
      writeRows(out, rows.subList(from, to));
      if (to < rows.size()) {
        out.append("… ").append(Quantities.count(rows.size() - to, "line")).append(" below not shown\n");
      }
    }
    footer(out);
    return out.toString();
  }

  private void header(StringBuilder out) {
    int problems = trace.problems().size();
    out.append("trace ").append(trace.traceId()).append(" · ").append(Quantities.count(trace.size(), "span"));
    if (problems > 0) {
      out.append(" · ").append(Quantities.count(problems, "problem"));
    }
    if (trace.droppedSpans() > 0) {
      out.append(" · ").append(trace.droppedSpans()).append(" dropped");
    }
    out.append('\n');
  }

  /** With a line limit (a message), at most this many problems are listed; the rest are counted. */
  static final int MAX_LISTED_PROBLEMS = 100;

  private void footer(StringBuilder out) {
    List<Problem> problems = trace.problems();
    if (!problems.isEmpty()) {
      out.append("problems:\n");
      int listed = maxLines > 0 ? Math.min(problems.size(), MAX_LISTED_PROBLEMS) : problems.size();
      for (Problem problem : problems.subList(0, listed)) {
        out.append("  ").append(problem.code()).append("  ").append(oneLine(scrub(problem.message()))).append('\n');
      }
      if (listed < problems.size()) {
        out.append("  … and ").append(problems.size() - listed).append(" more problems, listed in the whole tree\n");
      }
    }
    if (trace.droppedSpans() > 0) {
      out.append("dropped: ").append(Quantities.count(trace.droppedSpans(), "span")).append(" over the span limit\n");
    }
  }

  /** Depth-first without recursion, so very deep traces cannot overflow the stack. */
  private void collectRows() {
    Deque<Row> stack = new ArrayDeque<>();
    List<RecordedSpan> roots = trace.roots();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Row(roots.get(i), null, "", i == roots.size() - 1, 0));
    }
    while (!stack.isEmpty()) {
      Row row = stack.pop();
      RecordedSpan span = row.span;
      row.marked = marked.test(span);
      rows.add(row);
      List<RecordedSpan> children = trace.children(span);
      List<SpanEvent> events = span.events();
      // Most spans are leaves: only a span with events or children needs the indent string.
      String childIndent = children.isEmpty() && events.isEmpty() ? null : row.childIndent();
      for (int e = 0; e < events.size(); e++) {
        boolean lastLine = e == events.size() - 1 && children.isEmpty();
        rows.add(new Row(null, events.get(e), childIndent, lastLine, row.depth + 1));
      }
      for (int c = children.size() - 1; c >= 0; c--) {
        stack.push(new Row(children.get(c), null, childIndent, c == children.size() - 1, row.depth + 1));
      }
    }
  }

  private void writeRows(StringBuilder out, List<Row> rows) {
    boolean anyMarked = false;
    int labelWidth = 0;
    int startWidth = 0;
    int durationWidth = 0;
    long detailsLength = 0;
    StringBuilder scratch = new StringBuilder(128);
    for (Row row : rows) {
      anyMarked |= row.marked;
      row.labelLength = measure(scratch, appendLabel(scratch, row));
      row.startLength = measure(scratch, appendStart(scratch, row));
      row.durationLength = row.span == null ? 0 : measure(scratch, appendDuration(scratch, row.span));
      detailsLength += measure(scratch, appendDetails(scratch, row));
      labelWidth = Math.max(labelWidth, Math.min(MAX_LABEL_COLUMN, row.labelLength));
      startWidth = Math.max(startWidth, row.startLength);
      durationWidth = Math.max(durationWidth, row.durationLength);
    }
    // The whole text in one allocation instead of a dozen doublings of a multi-megabyte buffer. The
    // tree guides are not Latin-1: switch the buffer to UTF-16 first, or it would be sized twice.
    long textLength = out.length() + detailsLength + 1024; // and room for a short footer
    for (Row row : rows) {
      textLength += Math.max(row.labelLength, labelWidth) + startWidth + durationWidth + 9;
    }
    out.append('\u2500').setLength(out.length() - 1);
    out.ensureCapacity((int) Math.min(Integer.MAX_VALUE - 16, textLength));
    for (Row row : rows) {
      int lineStart = out.length();
      if (anyMarked) {
        out.append(row.marked ? MARK : NO_MARK);
      }
      spaces(appendLabel(out, row), labelWidth - row.labelLength).append("  ");
      spaces(appendStart(out, row), startWidth - row.startLength).append("  ");
      if (row.span != null) {
        spaces(appendDuration(out, row.span), durationWidth - row.durationLength).append("  ");
      }
      appendDetails(out, row);
      // Drops the padding of a line without details (and trailing spaces in its last value).
      trimTrailingSpaces(out, lineStart);
      out.append('\n');
    }
  }

  /** The length of what was just written into {@code scratch}, which is emptied again. */
  private static int measure(StringBuilder scratch, StringBuilder written) {
    int length = written.length();
    scratch.setLength(0);
    return length;
  }

  private static StringBuilder spaces(StringBuilder out, int count) {
    for (int i = 0; i < count; i++) {
      out.append(' ');
    }
    return out;
  }

  private static StringBuilder appendLabel(StringBuilder out, Row row) {
    out.append(row.indent).append(row.last ? "└─ " : "├─ ");
    if (row.span == null) {
      return out.append("event ").append(oneLine(row.event.name()));
    }
    if (row.depth > MAX_DRAWN_DEPTH) {
      out.append("[depth ").append(row.depth).append("] ");
    }
    return out.append(oneLine(row.span.kind().name())).append(' ').append(oneLine(row.span.name()));
  }

  private static StringBuilder appendStart(StringBuilder out, Row row) {
    return Quantities.appendMillis(out.append('+'), row.span == null ? row.event.offset() : row.span.startOffset());
  }

  private StringBuilder appendDetails(StringBuilder out, Row row) {
    return row.span == null ? out.append(eventDetails(row.event)) : appendSpanDetails(out, row.span);
  }

  private static void trimTrailingSpaces(StringBuilder out, int lineStart) {
    int end = out.length();
    while (end > lineStart && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
  }

  private static StringBuilder appendDuration(StringBuilder out, RecordedSpan span) {
    if (!span.ended()) {
      return out.append("OPEN");
    }
    return span.marker() ? out.append("marker") : Quantities.appendMillis(out, span.duration());
  }

  private StringBuilder appendSpanDetails(StringBuilder out, RecordedSpan span) {
    int start = out.length();
    appendAttributes(out, start, span.attributes(), redaction, trace.maskedValues(), true);
    if (span.status() == SpanStatus.ERROR) {
      separate(out, start).append("ERROR");
      ErrorInfo error = span.error();
      if (error != null) {
        out.append(' ').append(error.simpleType());
        if (error.message() != null) {
          out.append(": ").append(shorten(oneLine(scrub(error.message()))));
        }
      }
    } else if (span.status() == SpanStatus.OK) {
      separate(out, start).append("OK");
    }
    if (span.droppedAttributes() == 0 && span.droppedEvents() == 0 && span.droppedLinks() == 0) {
      return out;
    }
    List<String> dropped = new ArrayList<>();
    if (span.droppedAttributes() > 0) {
      dropped.add(Quantities.count(span.droppedAttributes(), "attribute"));
    }
    if (span.droppedEvents() > 0) {
      dropped.add(Quantities.count(span.droppedEvents(), "event"));
    }
    if (span.droppedLinks() > 0) {
      dropped.add(Quantities.count(span.droppedLinks(), "link"));
    }
    return separate(out, start).append("(dropped ").append(String.join(", ", dropped)).append(')');
  }

  /** Free text with the values masked elsewhere in the trace masked too; nothing to do for most traces. */
  private String scrub(String text) {
    return Redaction.scrub(text, trace.maskedValues());
  }

  /** An exception event shows as {@code IOException: reset}; its stack trace is in the JSON dump. */
  private String eventDetails(SpanEvent event) {
    Object type = event.attributes().get("exception.type");
    if (!"exception".equals(event.name()) || !(type instanceof String)) {
      return appendAttributes(new StringBuilder(), 0, event.attributes(), redaction, trace.maskedValues(), false)
          .toString();
    }
    String simple = ((String) type).substring(((String) type).lastIndexOf('.') + 1);
    Object message = event.attributes().get("exception.message");
    return message == null ? oneLine(simple) : shorten(oneLine(simple + ": " + scrub(String.valueOf(message))));
  }

  /** Two spaces before every part but the first written since {@code start}. */
  private static StringBuilder separate(StringBuilder out, int start) {
    return out.length() == start ? out : out.append("  ");
  }

  /**
   * A span's or event's attributes; of a span's, not those that only say where a span recorded
   * through the OpenTelemetry bridge comes from (its scope and the SDK's resource, which the OTLP
   * dump writes in their places): they would repeat on every line and change with the SDK's version.
   */
  private static StringBuilder appendAttributes(StringBuilder out, int start, Map<String, Object> attributes,
      Redaction redaction, List<String> secrets, boolean ofSpan) {
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      String key = entry.getKey();
      if (ofSpan && OtlpIds.isOrigin(key)) {
        continue;
      }
      separate(out, start).append(oneLine(key)).append('=');
      Object value = entry.getValue();
      // Numbers and booleans are short and plain: written as they are, without a String per write.
      if (redaction.masks(key)) {
        out.append(Redaction.MASK);
      } else if (value instanceof Long) {
        out.append((long) (Long) value);
      } else if (value instanceof Boolean) {
        out.append((boolean) (Boolean) value);
      } else {
        out.append(shorten(value instanceof String ? oneLine(Redaction.scrub((String) value, secrets))
            : value(value, redaction)));
      }
    }
    return out;
  }

  /** A value as the tree shows it: strings bare, lists in brackets, maps in braces, secrets masked. */
  static String value(Object value, Redaction redaction) {
    if (value instanceof Map) {
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (out.length() > 1) {
          out.append(", ");
        }
        String key = String.valueOf(entry.getKey());
        out.append(oneLine(key)).append('=')
            .append(redaction.masks(key) ? Redaction.MASK : value(entry.getValue(), redaction));
        if (out.length() > MAX_VALUE_CHARS) {
          break;
        }
      }
      return out.append('}').toString();
    }
    if (value instanceof List) {
      StringBuilder out = new StringBuilder("[");
      for (Object item : (List<?>) value) {
        if (out.length() > 1) {
          out.append(", ");
        }
        out.append(value(item, redaction));
        if (out.length() > MAX_VALUE_CHARS) {
          break;
        }
      }
      return out.append(']').toString();
    }
    return oneLine(String.valueOf(value));
  }

  private static String shorten(String text) {
    if (text.length() <= MAX_VALUE_CHARS) {
      return text;
    }
    return Values.cutText(text, MAX_VALUE_CHARS - 1) + "…";
  }

  /** The one escape of every text: see {@link Text#oneLine(String)}. */
  static String oneLine(String text) {
    return Text.oneLine(text);
  }

}
