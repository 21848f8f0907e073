package dev.traceunit.assertions;

import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Quantities;
import dev.traceunit.core.internal.StableTrace;
import dev.traceunit.core.internal.TraceTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace written as a snapshot file: one fact a line, so a pull request's diff shows exactly what
 * changed. The first word says what a line is ({@code span}, {@code attr}, {@code event}, {@code
 * error}, {@code link}, {@code dropped}, {@code problem}); two spaces of indent a level; details of a
 * span one level below it, before its children. Exact values: strings quoted, nothing shortened.
 *
 * <pre>
 * span checkout [server]  +0ms  250ms
 *   attr order = 42
 *   span payment.call [client]  +10ms  120ms  ERROR
 *     error java.io.IOException: reset
 *     attr attempt = 1
 *     event retry.scheduled  +120ms
 *       attr delay = "2s"
 * </pre>
 */
final class SnapshotText {

  /** The characters besides letters and digits a bare word may have. */
  private static final String BARE_MARKS = "_.:/#@$<>{}()*+,;!?&|^~%'-";
  /** Too long and too dependent on the JDK to review; the dumps keep it. */
  private static final String STACK_TRACE = "exception.stacktrace";

  private final Trace trace;
  private final Snapshot options;
  // Which fields are compared, looked up once rather than for every span.
  private final boolean kind;
  private final boolean startOffset;
  private final boolean duration;
  private final boolean status;
  private final boolean threadName;
  private final boolean error;
  private final boolean attributes;
  private final boolean events;
  private final boolean links;

  private SnapshotText(Trace trace, Snapshot options) {
    this.trace = trace;
    this.options = options;
    kind = options.compares("kind");
    startOffset = options.compares("startOffset");
    duration = options.compares("duration");
    status = options.compares("status");
    threadName = options.compares("threadName");
    error = options.compares("error");
    attributes = options.compares("attributes");
    events = options.compares("events");
    links = options.compares("links");
  }

  /** The body of a snapshot of the stable {@code trace} and, if asked, its problems. */
  static String body(Trace trace, boolean withProblems, Snapshot options) {
    return appendBody(new StringBuilder(), trace, withProblems, options).toString();
  }

  /** Appends {@link #body} to {@code out}; returns {@code out}. */
  static StringBuilder appendBody(StringBuilder out, Trace trace, boolean withProblems, Snapshot options) {
    new SnapshotText(trace, options).write(out, withProblems, null);
    return out;
  }

  /**
   * Whether {@code file} holds exactly {@code header} and then the {@link #body} of {@code trace}:
   * the text is written a chunk at a time and compared with the file's next bytes as it goes, so a
   * passing comparison of a million spans holds neither the text nor the file in memory. False
   * also for a file that differs only where the comparison forgives it (comments, line ends): the
   * caller then compares the whole texts.
   */
  static boolean isWrittenIn(Path file, String header, Trace trace, boolean withProblems, Snapshot options)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      FileChunks chunks = new FileChunks(in);
      StringBuilder out = new StringBuilder(2 * FileChunks.SIZE).append(header);
      return new SnapshotText(trace, options).write(out, withProblems, chunks) && chunks.matches(out)
          && chunks.atEnd();
    } catch (MalformedInputException e) {
      return false; // not UTF-8 as written: compared whole, which reads it as the JDK does
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof MalformedInputException) {
        return false;
      }
      throw e.getCause();
    }
  }

  /** The next bytes of a file, compared with the text written so far, which is then let go. */
  private static final class FileChunks {
    /** How much text is written before it is compared. */
    static final int SIZE = 1 << 16;

    private final Reader in;
    /** The file's next characters, and the text's: both buffers reused, so comparing makes no garbage. */
    private char[] read = new char[2 * SIZE];
    private char[] text = new char[2 * SIZE];

    FileChunks(InputStream in) {
      this.in = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()); // malformed input throws
    }

    /** Whether the file goes on with the text in {@code out}; {@code out} is emptied. */
    boolean matches(StringBuilder out) {
      int length = out.length();
      if (text.length < length) {
        text = new char[length];
        read = new char[length];
      }
      out.getChars(0, length, text, 0);
      out.setLength(0);
      try {
        int got = 0;
        for (int n; got < length && (n = in.read(read, got, length - got)) > 0; ) {
          got += n;
        }
        return got == length && Arrays.equals(read, 0, length, text, 0, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Whether the file has nothing after what was compared. */
    boolean atEnd() {
      try {
        return in.read() < 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Writes the body into {@code out}; with {@code chunks}, compares every chunk of it with the file
   * and stops at the first that differs (false). The last chunk is left in {@code out}.
   */
  private boolean write(StringBuilder out, boolean withProblems, FileChunks chunks) {
    boolean any = false;
    if (options.siblingOrder() != SiblingOrder.ANY) {
      if (!inStartOrder(out, chunks)) {
        return false;
      }
      any = !trace.roots().isEmpty();
    } else {
      List<String> blocks = new ArrayList<>();
      for (RecordedSpan root : trace.roots()) {
        blocks.add(block(root));
      }
      for (String block : ordered(blocks)) {
        out.append(block);
        any = true;
        if (chunks != null && out.length() >= FileChunks.SIZE && !chunks.matches(out)) {
          return false;
        }
      }
    }
    if (withProblems) {
      for (Problem problem : trace.problems()) {
        out.append("problem ").append(problem.code()).append("  ").append(escaped(problem.message())).append('\n');
        any = true;
      }
    }
    if (!any) {
      out.append("(no spans)\n");
    }
    return true;
  }

  /** The comment lines a file starts with: what it is and how it is compared. */
  static String header(String testClass, String testName, Snapshot options) {
    StringBuilder out = new StringBuilder("# traceunit snapshot of ").append(testClass).append(' ').append(testName);
    if (options.name() != null) {
      out.append(" (").append(options.name()).append(')');
    }
    out.append('\n');
    for (String line : options.describe()) {
      out.append("# ").append(line).append('\n');
    }
    return out.toString();
  }

  /** A file's text without its leading comment lines, with line ends as {@code \n}. */
  static String bodyOf(String file) {
    if (file.indexOf('\r') < 0) {
      // Lines end in \n only (as written): the text after the comments, without a list of lines.
      int at = 0;
      while (at < file.length() && file.charAt(at) == '#') {
        int end = file.indexOf('\n', at);
        at = end < 0 ? file.length() : end + 1;
      }
      String body = file.substring(at);
      return body.isEmpty() || body.endsWith("\n") ? body : body + "\n";
    }
    List<String> lines = new ArrayList<>(file.lines().toList());
    while (!lines.isEmpty() && lines.get(0).startsWith("#")) {
      lines.remove(0);
    }
    StringBuilder out = new StringBuilder();
    lines.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  private List<String> ordered(List<String> blocks) {
    if (options.siblingOrder() == SiblingOrder.ANY) {
      blocks.sort(null);
    }
    return blocks;
  }

  /**
   * A span's lines and then its children's, each child's block after its own children's are done:
   * without recursion, so a trace nested thousands of levels deep is written like any other.
   */
  private String block(RecordedSpan root) {
    List<RecordedSpan> preorder = new ArrayList<>();
    Map<RecordedSpan, Integer> depths = new IdentityHashMap<>();
    Deque<RecordedSpan> todo = new ArrayDeque<>();
    todo.push(root);
    depths.put(root, 0);
    while (!todo.isEmpty()) {
      RecordedSpan span = todo.pop();
      preorder.add(span);
      for (RecordedSpan child : trace.children(span)) {
        depths.put(child, depths.get(span) + 1);
        todo.push(child);
      }
    }
    Map<RecordedSpan, String> blocks = new IdentityHashMap<>();
    Map<RecordedSpan, String> parentThreads = new IdentityHashMap<>();
    for (RecordedSpan span : preorder) {
      for (RecordedSpan child : trace.children(span)) {
        parentThreads.put(child, span.threadName());
      }
    }
    for (int i = preorder.size() - 1; i >= 0; i--) {
      RecordedSpan span = preorder.get(i);
      StringBuilder out = new StringBuilder();
      span(out, span, depths.get(span), parentThreads.get(span));
      List<String> children = new ArrayList<>();
      for (RecordedSpan child : trace.children(span)) {
        children.add(blocks.remove(child));
      }
      ordered(children).forEach(out::append);
      blocks.put(span, out.toString());
    }
    return blocks.get(root);
  }

  /**
   * In start order nothing needs sorting, so every span's lines are written once, in tree order,
   * into one buffer: linear in the text, where building a block per span copies each subtree again
   * at every level above it. The walk goes over the trace's arrays ({@link TraceTree}) rather than
   * an object a span.
   */
  private boolean inStartOrder(StringBuilder out, FileChunks chunks) {
    List<RecordedSpan> spans = trace.spans();
    // The thread of the last span seen at each depth: in a walk that sees a span before its
    // children, the one a level up is the span's parent.
    String[][] threadAt = {new String[16]};
    return TraceTree.of(trace).depthFirst((position, depth) -> {
      RecordedSpan span = spans.get(position);
      if (depth == threadAt[0].length) {
        threadAt[0] = Arrays.copyOf(threadAt[0], depth * 2);
      }
      threadAt[0][depth] = span.threadName();
      span(out, span, depth, depth == 0 ? null : threadAt[0][depth - 1]);
      return chunks == null || out.length() < FileChunks.SIZE || chunks.matches(out);
    });
  }

  /** A span's own lines, without its children. */
  private void span(StringBuilder out, RecordedSpan span, int depth, String parentThread) {
    appendWord(indent(out, depth).append("span "), span.name());
    if (kind && !span.kind().equals(SpanKind.INTERNAL)) {
      out.append(" [").append(span.kind().name()).append(']');
    }
    if (startOffset) {
      Quantities.appendMillis(out.append("  +"), span.startOffset());
    }
    if (duration) {
      out.append("  ");
      if (!span.ended() || span.marker()) {
        out.append(span.ended() ? "marker" : "OPEN");
      } else {
        Quantities.appendMillis(out, span.duration());
      }
    } else if (!span.ended() || span.marker()) {
      out.append("  ").append(span.ended() ? "marker" : "OPEN");
    }
    if (status && span.status() != SpanStatus.UNSET) {
      out.append("  ").append(span.status());
    }
    String thread = span.threadName();
    boolean showThread = parentThread == null ? !thread.equals(StableTrace.TEST_THREAD) : !thread.equals(parentThread);
    if (threadName && showThread) {
      appendWord(out.append("  thread="), thread);
    }
    out.append('\n');
    if (error && span.error() != null) {
      indent(out, depth + 1).append("error ").append(span.error().type());
      if (span.error().message() != null) {
        out.append(": ").append(escaped(span.error().message()));
      }
      out.append('\n');
    }
    if (attributes) {
      attributes(out, span.attributes(), depth + 1);
    }
    if (events) {
      for (SpanEvent event : span.events()) {
        appendWord(indent(out, depth + 1).append("event "), event.name());
        if (startOffset) {
          Quantities.appendMillis(out.append("  +"), event.offset());
        }
        out.append('\n');
        if (attributes) {
          attributes(out, event.attributes(), depth + 2);
        }
      }
    }
    if (links) {
      for (SpanLink link : span.links()) {
        indent(out, depth + 1).append("link ").append(target(link)).append('\n');
        attributes(out, link.attributes(), depth + 2);
      }
    }
    if (span.droppedAttributes() + span.droppedEvents() + span.droppedLinks() > 0) {
      indent(out, depth + 1).append("dropped attributes=").append(span.droppedAttributes()).append(" events=")
          .append(span.droppedEvents()).append(" links=").append(span.droppedLinks()).append('\n');
    }
  }

  private String target(SpanLink link) {
    if (link.traceId().equals(trace.traceId())) {
      return trace.byId(link.spanId()).map(to -> "span " + trace.path(to)).orElse("span " + link.spanId());
    }
    return "trace " + word(link.traceId()) + " span " + link.spanId();
  }

  private void attributes(StringBuilder out, Map<String, Object> attributes, int depth) {
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      if (entry.getKey().equals(STACK_TRACE) || !options.comparesAttribute(entry.getKey())) {
        continue;
      }
      appendWord(indent(out, depth).append("attr "), entry.getKey()).append(" = ");
      value(out, entry.getValue());
      out.append('\n');
    }
  }

  /** Strings quoted and escaped, numbers and booleans bare, lists in brackets, maps in braces. */
  static void value(StringBuilder out, Object value) {
    if (value instanceof String) {
      quoted(out, (String) value);
    } else if (value instanceof List) {
      out.append('[');
      String separator = "";
      for (Object item : (List<?>) value) {
        value(out.append(separator), item);
        separator = ", ";
      }
      out.append(']');
    } else if (value instanceof Map) {
      out.append('{');
      String separator = "";
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.append(separator).append(word(String.valueOf(entry.getKey()))).append(": ");
        value(out, entry.getValue());
        separator = ", ";
      }
      out.append('}');
    } else {
      out.append(value);
    }
  }

  /** A name as it is when it cannot be mistaken for something else, else quoted. */
  static String word(String text) {
    return isBare(text) ? text : quoted(new StringBuilder(), text).toString();
  }

  /** Appends {@link #word}; returns {@code out}. */
  private static StringBuilder appendWord(StringBuilder out, String text) {
    return isBare(text) ? out.append(text) : quoted(out, text);
  }

  /** Whether {@code text} is one or more of {@code A-Za-z0-9_.:/#@$<>{}()*+,;!?&|^~%'-}: read without quotes. */
  private static boolean isBare(String text) {
    int length = text.length();
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || BARE_MARKS.indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static String escaped(String text) {
    String quoted = quoted(new StringBuilder(), text).toString();
    return quoted.substring(1, quoted.length() - 1);
  }

  private static StringBuilder quoted(StringBuilder out, String text) {
    if (needsNoEscape(text)) { // the usual value: copied whole, not a character at a time
      return out.append('"').append(text).append('"');
    }
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))
          || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !pairedSurrogate) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  /** Whether {@link #quoted} would write {@code text} as it is: no quote, backslash, control character or surrogate. */
  private static boolean needsNoEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static StringBuilder indent(StringBuilder out, int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
    return out;
  }
}
