package dev.traceunit.core;

import java.math.BigDecimal;
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
  private final Predicate<? super RecordedSpan> marked;
  private final List<Row> rows = new ArrayList<>();

  private static final class Row {
    final boolean marked;
    final String label;
    final String start;
    final String duration; // null for event rows
    final String details;

    Row(boolean marked, String label, String start, String duration, String details) {
      this.marked = marked;
      this.label = label;
      this.start = start;
      this.duration = duration;
      this.details = details;
    }
  }

  TraceRenderer(Trace trace, Predicate<? super RecordedSpan> marked) {
    this.trace = trace;
    this.marked = marked;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    header(out);
    if (trace.isEmpty()) {
      out.append("(no spans recorded)\n");
    } else {
      collectRows();
      writeRows(out);
    }
    footer(out);
    return out.toString();
  }

  private void header(StringBuilder out) {
    int problems = trace.problems().size();
    out.append("trace ").append(trace.traceId()).append(" · ").append(plural(trace.size(), "span"));
    if (problems > 0) {
      out.append(" · ").append(plural(problems, "problem"));
    }
    if (trace.droppedSpans() > 0) {
      out.append(" · ").append(trace.droppedSpans()).append(" dropped");
    }
    out.append('\n');
  }

  private void footer(StringBuilder out) {
    if (!trace.problems().isEmpty()) {
      out.append("problems:\n");
      for (Problem problem : trace.problems()) {
        out.append("  ").append(problem.code()).append("  ").append(oneLine(problem.message())).append('\n');
      }
    }
    if (trace.droppedSpans() > 0) {
      out.append("dropped: ").append(plural(trace.droppedSpans(), "span")).append(" over the span limit\n");
    }
  }

  /** Depth-first without recursion, so very deep traces cannot overflow the stack. */
  private void collectRows() {
    Deque<Frame> stack = new ArrayDeque<>();
    List<RecordedSpan> roots = trace.roots();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Frame(roots.get(i), "", i == roots.size() - 1, 0));
    }
    while (!stack.isEmpty()) {
      Frame frame = stack.pop();
      RecordedSpan span = frame.span;
      String guide = frame.indent + (frame.last ? "└─ " : "├─ ");
      String childIndent = frame.depth >= MAX_DRAWN_DEPTH ? frame.indent : frame.indent + (frame.last ? "   " : "│  ");
      String depthNote = frame.depth > MAX_DRAWN_DEPTH ? "[depth " + frame.depth + "] " : "";
      rows.add(new Row(marked.test(span), guide + depthNote + span.kind().name() + " " + oneLine(span.name()),
          "+" + millis(span.startOffset()), durationColumn(span), spanDetails(span)));
      List<RecordedSpan> children = trace.children(span);
      List<SpanEvent> events = span.events();
      for (int e = 0; e < events.size(); e++) {
        SpanEvent event = events.get(e);
        boolean lastLine = e == events.size() - 1 && children.isEmpty();
        rows.add(new Row(false, childIndent + (lastLine ? "└─ " : "├─ ") + "event " + oneLine(event.name()),
            "+" + millis(event.offset()), null, eventDetails(event)));
      }
      for (int c = children.size() - 1; c >= 0; c--) {
        stack.push(new Frame(children.get(c), childIndent, c == children.size() - 1, frame.depth + 1));
      }
    }
  }

  private static final class Frame {
    final RecordedSpan span;
    final String indent;
    final boolean last;
    final int depth;

    Frame(RecordedSpan span, String indent, boolean last, int depth) {
      this.span = span;
      this.indent = indent;
      this.last = last;
      this.depth = depth;
    }
  }

  private void writeRows(StringBuilder out) {
    boolean anyMarked = false;
    int labelWidth = 0;
    int startWidth = 0;
    int durationWidth = 0;
    for (Row row : rows) {
      anyMarked |= row.marked;
      labelWidth = Math.max(labelWidth, Math.min(MAX_LABEL_COLUMN, row.label.length()));
      startWidth = Math.max(startWidth, row.start.length());
      if (row.duration != null) {
        durationWidth = Math.max(durationWidth, row.duration.length());
      }
    }
    // The whole text in one allocation instead of a dozen doublings of a multi-megabyte buffer. The
    // tree guides are not Latin-1: switch the buffer to UTF-16 first, or it would be sized twice.
    long textLength = out.length() + 1024; // and room for a short footer
    for (Row row : rows) {
      textLength += Math.max(row.label.length(), labelWidth) + startWidth + durationWidth + row.details.length() + 9;
    }
    out.append('\u2500').setLength(out.length() - 1);
    out.ensureCapacity((int) Math.min(Integer.MAX_VALUE - 16, textLength));
    for (Row row : rows) {
      int lineStart = out.length();
      if (anyMarked) {
        out.append(row.marked ? MARK : NO_MARK);
      }
      pad(out, row.label, labelWidth);
      out.append("  ");
      if (row.duration == null) {
        out.append(row.start);
        if (!row.details.isEmpty()) {
          pad(out, "", startWidth - row.start.length());
          out.append("  ").append(row.details);
        }
      } else {
        pad(out, row.start, startWidth);
        out.append("  ");
        out.append(row.duration);
        if (!row.details.isEmpty()) {
          pad(out, "", durationWidth - row.duration.length());
          out.append("  ").append(row.details);
        }
      }
      trimTrailingSpaces(out, lineStart);
      out.append('\n');
    }
  }

  private static void pad(StringBuilder out, String text, int width) {
    out.append(text);
    for (int i = text.length(); i < width; i++) {
      out.append(' ');
    }
  }

  private static void trimTrailingSpaces(StringBuilder out, int lineStart) {
    int end = out.length();
    while (end > lineStart && out.charAt(end - 1) == ' ') {
      end--;
    }
    out.setLength(end);
  }

  private static String durationColumn(RecordedSpan span) {
    if (!span.ended()) {
      return "OPEN";
    }
    return span.marker() ? "marker" : millis(span.duration());
  }

  private static String spanDetails(RecordedSpan span) {
    StringBuilder details = appendAttributes(new StringBuilder(), span.attributes());
    if (span.status() == SpanStatus.ERROR) {
      separate(details).append("ERROR");
      ErrorInfo error = span.error();
      if (error != null) {
        details.append(' ').append(error.simpleType());
        if (error.message() != null) {
          details.append(": ").append(shorten(oneLine(error.message())));
        }
      }
    } else if (span.status() == SpanStatus.OK) {
      separate(details).append("OK");
    }
    if (span.droppedAttributes() == 0 && span.droppedEvents() == 0 && span.droppedLinks() == 0) {
      return details.toString();
    }
    List<String> dropped = new ArrayList<>();
    if (span.droppedAttributes() > 0) {
      dropped.add(plural(span.droppedAttributes(), "attribute"));
    }
    if (span.droppedEvents() > 0) {
      dropped.add(plural(span.droppedEvents(), "event"));
    }
    if (span.droppedLinks() > 0) {
      dropped.add(plural(span.droppedLinks(), "link"));
    }
    if (!dropped.isEmpty()) {
      separate(details).append("(dropped ").append(String.join(", ", dropped)).append(')');
    }
    return details.toString();
  }

  /** An exception event shows as {@code IOException: reset}; its stack trace is in the JSON dump. */
  private static String eventDetails(SpanEvent event) {
    Object type = event.attributes().get("exception.type");
    if (!"exception".equals(event.name()) || !(type instanceof String)) {
      return attributes(event.attributes());
    }
    String simple = ((String) type).substring(((String) type).lastIndexOf('.') + 1);
    Object message = event.attributes().get("exception.message");
    return message == null ? oneLine(simple) : shorten(oneLine(simple + ": " + message));
  }

  private static StringBuilder separate(StringBuilder details) {
    return details.length() == 0 ? details : details.append("  ");
  }

  private static String attributes(Map<String, Object> attributes) {
    return appendAttributes(new StringBuilder(), attributes).toString();
  }

  private static StringBuilder appendAttributes(StringBuilder out, Map<String, Object> attributes) {
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      separate(out).append(oneLine(entry.getKey())).append('=').append(shorten(value(entry.getValue())));
    }
    return out;
  }

  /** A value as the tree shows it: strings bare, lists in brackets, maps in braces. */
  static String value(Object value) {
    if (value instanceof Map) {
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (out.length() > 1) {
          out.append(", ");
        }
        out.append(entry.getKey()).append('=').append(value(entry.getValue()));
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
        out.append(value(item));
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
    int cut = MAX_VALUE_CHARS - 1;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "…";
  }

  /** Control characters shown escaped, so one span is always one line. */
  static String oneLine(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        switch (c) {
          case '\n': out.append("\\n"); break;
          case '\r': out.append("\\r"); break;
          case '\t': out.append("\\t"); break;
          default: out.append(String.format("\\u%04x", (int) c));
        }
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** Milliseconds, exact: {@code 250ms}, {@code 1.5ms}, {@code 0.000042ms}. */
  static String millis(Duration duration) {
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (Math.abs(seconds) < 9_000_000_000L) {
      // Plain long arithmetic: this runs twice a span, and BigDecimal made it most of render's cost.
      long total = seconds * 1_000_000_000L + nanos;
      long abs = Math.abs(total);
      StringBuilder out = new StringBuilder(24);
      if (total < 0) {
        out.append('-');
      }
      out.append(abs / 1_000_000);
      int fraction = (int) (abs % 1_000_000);
      if (fraction != 0) {
        int digits = 6;
        while (fraction % 10 == 0) {
          fraction /= 10;
          digits--;
        }
        String significant = Integer.toString(fraction);
        out.append('.');
        for (int i = significant.length(); i < digits; i++) {
          out.append('0');
        }
        out.append(significant);
      }
      return out.append("ms").toString();
    }
    BigDecimal ms = BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(1000))
        .add(BigDecimal.valueOf(nanos, 6));
    return ms.stripTrailingZeros().toPlainString() + "ms";
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
