package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The data files of one run (one JVM's test plan) in the report folder, written as tests finish so
 * that nothing of a finished test stays in memory: {@code tests.js} lists every test with what the
 * page's list and filters need, {@code traces-N.js} hold the traces (trace.json, the text tree,
 * trace.otlp.json and the failure's stack trace as text), a few megabytes each, loaded by the page
 * only when one of their tests is opened. Both are scripts that hand their data to the page's own
 * script: a page opened from a file may load scripts beside it, but not fetch files.
 *
 * <p>Everything is written into a hidden folder under {@code runs/} that {@link TraceReportPage}
 * renames into place when the run ends, so a reader sees a run whole or not at all.
 */
final class TraceReportRun {

  /** A traces file is closed once it holds this many characters; the next trace starts a new one. */
  static final int TRACES_FILE_CHARS = 2 << 20;
  /** The list shows this much of a failure message; the traces file has it whole. */
  private static final int LISTED_MESSAGE = 500;
  /** Distinct span names listed per test, for the text filter. */
  private static final int LISTED_NAMES = 50;
  private static final int LISTED_NAME_LENGTH = 120;
  private static final int LISTED_PROBLEMS = 10;
  /** Frames written per throwable of a failure's stack trace. */
  private static final int FRAMES = 200;

  private final Path runDir;
  private final Instant started;
  private final Writer testsFile;
  private final JsonGenerator tests;
  private CountingWriter tracesFile;
  private JsonGenerator traces;
  private int tracesFiles;
  private int inTracesFile;
  private int entries;
  /** An order-independent hash of the unique ids: names the run the same way in every build. */
  private long idHash;

  /** What the list shows of one finished test or class; {@code start} and {@code end} are wall-clock times. */
  record Entry(String uniqueId, boolean classLevel, String className, String classPath, String classId, String name,
      int order, String status, Throwable failure, Instant start, Instant end) {}

  /** The run's own OTLP file, {@value TraceReportPage#RUN_OTLP_PART}, when asked for; else null. */
  private final Writer runOtlp;
  private boolean firstInRunOtlp = true;
  /** The test spans of the run's OTLP tree, kept until the run ends (only when it is asked for). */
  private final List<TreeSpan> treeEntries = new ArrayList<>();

  /** What the run's OTLP tree keeps of a test: no exception, no trace. */
  private record TreeSpan(String classId, String className, String name, String uniqueId, String status,
      ErrorInfo error, Instant start, Instant end, SpanLink link) {}

  TraceReportRun(Path reportDir, String build, Instant started) throws IOException {
    this(reportDir, build, started, false);
  }

  TraceReportRun(Path reportDir, String build, Instant started, boolean withRunOtlp) throws IOException {
    this.started = started;
    Path runs = reportDir.resolve(TraceReportPage.RUNS);
    Files.createDirectories(runs);
    this.runDir = Files.createDirectory(runs.resolve(TraceReportPage.partName(build) + UUID.randomUUID()));
    this.testsFile = writer(runDir.resolve(TraceReportPage.TESTS_FILE));
    testsFile.write("traceunit.run(document.currentScript,");
    this.tests = JsonSetup.generator(testsFile);
    tests.writeStartObject();
    tests.writeArrayFieldStart("tests");
    this.runOtlp = withRunOtlp ? writer(runDir.resolve(TraceReportPage.RUN_OTLP_PART)) : null;
  }

  Path dir() {
    return runDir;
  }

  int size() {
    return entries;
  }

  /** Adds the trace of a finished test or class. */
  synchronized void add(Entry entry, Trace trace) throws IOException {
    if (traces == null || tracesFile.count >= TRACES_FILE_CHARS) {
      nextTracesFile();
    }
    // Everything is made before anything is written, so that a trace too large for memory leaves
    // the traces file whole; only the tree may be left out, with a note.
    String stack = entry.failure == null ? "" : stackTrace(entry.failure);
    String tree;
    try {
      tree = trace.render();
    } catch (OutOfMemoryError e) {
      tree = "trace " + trace.traceId() + " · " + trace.size() + " spans\n(the text tree did not fit in this JVM's"
          + " memory and is left out of the report; the spans are listed)\n";
    }
    StringWriter json = new StringWriter();
    try (JsonGenerator generator = JsonSetup.generator(json)) {
      TraceJson.writeTrace(generator, trace, entry.uniqueId);
    }
    StringWriter otlp = new StringWriter();
    OtlpJson.write(trace, entry.uniqueId, otlp);
    int at = inTracesFile++;
    traces.writeStartObject();
    traces.writeStringField("id", entry.uniqueId);
    traces.writeStringField("json", json.toString());
    traces.writeStringField("tree", tree);
    traces.writeStringField("otlp", otlp.toString());
    if (runOtlp != null) {
      appendResourceSpans(otlp.toString());
      ErrorInfo error = entry.failure == null || !entry.status.equals("FAILED") ? null
          : new ErrorInfo(entry.failure.getClass().getName(), cut(String.valueOf(entry.failure.getMessage()), LISTED_MESSAGE), "");
      treeEntries.add(new TreeSpan(entry.classId, entry.classPath.isEmpty() ? entry.className : entry.classPath,
          entry.classLevel ? "(class)" : entry.name, entry.uniqueId, entry.status, error, entry.start, entry.end,
          trace.roots().isEmpty() ? null : new SpanLink(trace.traceId(), trace.roots().get(0).spanId(), Map.of())));
    }
    traces.writeStringField("stack", stack);
    traces.writeEndObject();

    int errors = 0;
    Set<String> names = new LinkedHashSet<>();
    for (RecordedSpan span : trace.spans()) {
      errors += span.status() == SpanStatus.ERROR ? 1 : 0;
      if (names.size() < LISTED_NAMES) {
        names.add(cut(span.name(), LISTED_NAME_LENGTH));
      }
    }
    tests.writeStartObject();
    tests.writeStringField("id", entry.uniqueId);
    tests.writeStringField("kind", entry.classLevel ? "class" : "test");
    tests.writeStringField("className", entry.className);
    tests.writeStringField("class", entry.classPath);
    tests.writeStringField("classId", entry.classId);
    tests.writeStringField("name", entry.name);
    tests.writeNumberField("order", entry.order);
    tests.writeStringField("status", entry.status);
    tests.writeStringField("failure", failureKind(entry.failure));
    tests.writeStringField("message", entry.failure == null ? "" : cut(String.valueOf(entry.failure), LISTED_MESSAGE));
    tests.writeStringField("source", entry.failure == null ? "" : sourceLine(entry.failure, entry.className));
    tests.writeStringField("traceId", trace.traceId());
    tests.writeNumberField("spans", trace.size());
    tests.writeNumberField("errors", errors);
    tests.writeNumberField("open", trace.openSpans().size());
    tests.writeNumberField("problemCount", trace.problems().size());
    tests.writeArrayFieldStart("problems");
    for (Problem problem : trace.problems().subList(0, Math.min(LISTED_PROBLEMS, trace.problems().size()))) {
      tests.writeString(cut(problem.toString(), LISTED_MESSAGE));
    }
    tests.writeEndArray();
    tests.writeArrayFieldStart("names");
    for (String name : names) {
      tests.writeString(name);
    }
    tests.writeEndArray();
    tests.writeNumberField("file", tracesFiles - 1);
    tests.writeNumberField("at", at);
    tests.writeEndObject();
    entries++;
    idHash += mix(entry.uniqueId);
  }

  /**
   * Ends the run's files; {@code summary} is what the page shows of the run as a whole, one line
   * each. Returns the name the run gets in the report folder: the same for the
   * same tests in every build.
   */
  synchronized String finish(String build, int untraced, Instant finished, List<String> summary) throws IOException {
    closeTracesFile();
    String name = String.format("%016x", idHash);
    if (runOtlp != null) {
      StringWriter tree = new StringWriter();
      OtlpJson.write(runTree(name, build, finished), null, tree);
      appendResourceSpans(tree.toString());
      runOtlp.close();
    }
    tests.writeEndArray();
    tests.writeStringField("build", build);
    tests.writeStringField("started", started.toString());
    tests.writeStringField("finished", finished.toString());
    tests.writeStringField("java", System.getProperty("java.vendor", "") + " " + System.getProperty("java.version", ""));
    tests.writeNumberField("pid", ProcessHandle.current().pid());
    tests.writeNumberField("untraced", untraced);
    tests.writeNumberField("files", tracesFiles);
    tests.writeArrayFieldStart("summary");
    for (String line : summary) {
      tests.writeString(line);
    }
    tests.writeEndArray();
    tests.writeEndObject();
    tests.close();
    testsFile.write(");\n");
    testsFile.close();
    return name;
  }

  /** Appends the one ResourceSpans of an OTLP document to the run's OTLP part, comma-separated. */
  private void appendResourceSpans(String document) throws IOException {
    String prefix = "{\"resourceSpans\":[";
    if (!document.startsWith(prefix) || !document.endsWith("]}")) {
      throw new IllegalStateException("OtlpJson wrote an unexpected document: " + cut(document, 80));
    }
    if (!firstInRunOtlp) {
      runOtlp.write(',');
    }
    firstInRunOtlp = false;
    runOtlp.write(document, prefix.length(), document.length() - prefix.length() - 2);
  }

  /**
   * The run as a trace of its own: a {@code test run} span, one span per class under it and one per
   * test under its class, in wall-clock time, each test span linked to the root of the test's trace.
   */
  private Trace runTree(String name, String build, Instant finished) {
    String traceId = "traceunit run " + name;
    List<RecordedSpan> spans = new ArrayList<>();
    spans.add(span(traceId, 1, 0, "test run", started, finished, Map.of("traceunit.run", name, "traceunit.build", build,
        "traceunit.tests", (long) treeEntries.size()), List.of(), null));
    Map<String, long[]> classes = new LinkedHashMap<>(); // id, then start and end in epoch millis
    Map<String, String> classNames = new LinkedHashMap<>();
    long next = 2;
    for (TreeSpan test : treeEntries) {
      long[] span = classes.get(test.classId);
      if (span == null) {
        classes.put(test.classId, span = new long[] {next++, Long.MAX_VALUE, Long.MIN_VALUE});
        classNames.put(test.classId, test.className);
      }
      span[1] = Math.min(span[1], test.start.toEpochMilli());
      span[2] = Math.max(span[2], test.end.toEpochMilli());
    }
    for (Map.Entry<String, long[]> type : classes.entrySet()) {
      long[] span = type.getValue();
      spans.add(span(traceId, span[0], 1, classNames.get(type.getKey()), Instant.ofEpochMilli(span[1]),
          Instant.ofEpochMilli(span[2]), Map.of("code.namespace", classNames.get(type.getKey())), List.of(), null));
    }
    for (TreeSpan test : treeEntries) {
      spans.add(span(traceId, next++, classes.get(test.classId)[0], test.name, test.start, test.end,
          Map.of("test.id", test.uniqueId, "test.status", test.status), test.link == null ? List.of() : List.of(test.link),
          test.error));
    }
    return Trace.of(traceId, spans, List.of(), 0);
  }

  private RecordedSpan span(String traceId, long id, long parent, String name, Instant start, Instant end,
      Map<String, Object> attributes, List<SpanLink> links, ErrorInfo error) {
    Duration duration = end.isBefore(start) ? Duration.ZERO : Duration.between(start, end);
    return new RecordedSpan(traceId, id, parent, SpanKind.INTERNAL, name, Duration.between(started, start), start,
        duration, true, false, attributes, List.of(), links, error == null ? SpanStatus.UNSET : SpanStatus.ERROR, error,
        "", 0, 0, 0);
  }

  /** Closes what is open; the caller removes the folder. Never throws. */
  synchronized void close() {
    try {
      closeTracesFile();
    } catch (IOException ignored) {
      // abandoned anyway
    }
    try {
      tests.close();
      testsFile.close();
      if (runOtlp != null) {
        runOtlp.close();
      }
    } catch (IOException ignored) {
      // abandoned anyway
    }
  }

  private void nextTracesFile() throws IOException {
    closeTracesFile();
    tracesFile = new CountingWriter(writer(runDir.resolve(TraceReportPage.tracesFile(tracesFiles++))));
    tracesFile.write("traceunit.traces(document.currentScript,");
    traces = JsonSetup.generator(tracesFile);
    traces.writeStartArray();
    inTracesFile = 0;
  }

  private void closeTracesFile() throws IOException {
    if (traces != null) {
      traces.writeEndArray();
      traces.close();
      tracesFile.write(");\n");
      tracesFile.close();
      traces = null;
    }
  }

  private static Writer writer(Path file) throws IOException {
    return new Utf8Writer(Files.newOutputStream(file));
  }

  /**
   * Buffers characters and writes them as UTF-8, encoded here: the charset encoder behind {@link
   * java.io.OutputStreamWriter} leaves its fast path at the first character beyond ASCII in each
   * buffer it encodes, and every trace's tree has one ({@code ·}), so it encoded most of the report
   * one character at a time. A surrogate pair split by a full buffer is kept whole for the next
   * one; a lone surrogate becomes {@code ?}, as with that encoder.
   */
  static final class Utf8Writer extends Writer {
    private final OutputStream out;
    private final char[] buffer = new char[1 << 15];
    /** Room for the buffer's characters at three bytes each (a pair's four bytes are two characters). */
    private final byte[] bytes = new byte[3 << 15];
    private int used;

    Utf8Writer(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      while (length > 0) {
        int n = Math.min(length, buffer.length - used);
        System.arraycopy(chars, offset, buffer, used, n);
        used += n;
        offset += n;
        length -= n;
        if (used == buffer.length) {
          drain();
        }
      }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      while (length > 0) {
        int n = Math.min(length, buffer.length - used);
        text.getChars(offset, offset + n, buffer, used);
        used += n;
        offset += n;
        length -= n;
        if (used == buffer.length) {
          drain();
        }
      }
    }

    @Override
    public void write(int c) throws IOException {
      buffer[used++] = (char) c;
      if (used == buffer.length) {
        drain();
      }
    }

    /** Encodes what is buffered, but for a high surrogate at its end, which waits for its pair. */
    private void drain() throws IOException {
      int whole = used > 0 && Character.isHighSurrogate(buffer[used - 1]) ? used - 1 : used;
      encode(whole);
      if (whole < used) {
        buffer[0] = buffer[whole];
      }
      used -= whole;
    }

    private void encode(int chars) throws IOException {
      byte[] into = bytes;
      int n = 0;
      for (int i = 0; i < chars; i++) {
        char c = buffer[i];
        if (c < 0x80) {
          into[n++] = (byte) c;
        } else if (c < 0x800) {
          into[n++] = (byte) (0xc0 | c >> 6);
          into[n++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(buffer[i + 1])) {
          int code = Character.toCodePoint(c, buffer[++i]);
          into[n++] = (byte) (0xf0 | code >> 18);
          into[n++] = (byte) (0x80 | code >> 12 & 0x3f);
          into[n++] = (byte) (0x80 | code >> 6 & 0x3f);
          into[n++] = (byte) (0x80 | code & 0x3f);
        } else if (Character.isSurrogate(c)) {
          into[n++] = '?';
        } else {
          into[n++] = (byte) (0xe0 | c >> 12);
          into[n++] = (byte) (0x80 | c >> 6 & 0x3f);
          into[n++] = (byte) (0x80 | c & 0x3f);
        }
      }
      out.write(into, 0, n);
    }

    @Override
    public void flush() throws IOException {
      // A high surrogate left at the end stays buffered: written at close, alone if nothing follows.
      drain();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      try {
        drain();
        encode(used); // a high surrogate alone at the very end
        used = 0;
      } finally {
        out.close();
      }
    }
  }

  /**
   * Surefire's distinction: a test that failed an assertion is {@code failed}; one that threw
   * anything else is an {@code error}.
   */
  static String failureKind(Throwable failure) {
    if (failure == null) {
      return "";
    }
    return failure instanceof AssertionError ? "failed" : "error";
  }

  /** The first frame of the failure in the test's own class: where the test was when it failed. */
  static String sourceLine(Throwable failure, String className) {
    if (className == null) {
      return "";
    }
    for (Throwable at = failure; at != null; at = at.getCause()) {
      for (StackTraceElement frame : at.getStackTrace()) {
        String frameClass = frame.getClassName();
        if (frameClass.equals(className) || frameClass.startsWith(className + "$")) {
          return frame.toString();
        }
      }
      if (at.getCause() == at) {
        break;
      }
    }
    return "";
  }

  /**
   * The failure as the console prints it, with causes and suppressed exceptions, but without the
   * {@link TraceDump}'s tree (the page shows the trace beside it) and at most {@value #FRAMES} frames each.
   */
  static String stackTrace(Throwable failure) {
    StringBuilder out = new StringBuilder();
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    append(out, failure, "", "", seen);
    return out.toString();
  }

  private static void append(StringBuilder out, Throwable t, String prefix, String indent, Set<Throwable> seen) {
    if (!seen.add(t)) {
      out.append(indent).append(prefix).append("[circular reference: ").append(t).append("]\n");
      return;
    }
    if (t instanceof TraceDump dump) {
      String message = String.valueOf(dump.getMessage());
      int line = message.indexOf('\n');
      out.append(indent).append(prefix).append(TraceDump.class.getName()).append(": ")
          .append(line < 0 ? message : message.substring(0, line)).append(" (the trace is shown on this page)\n");
      return;
    }
    out.append(indent).append(prefix).append(t).append('\n');
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, FRAMES); i++) {
      out.append(indent).append("\tat ").append(frames[i]).append('\n');
    }
    if (frames.length > FRAMES) {
      out.append(indent).append("\t… ").append(frames.length - FRAMES).append(" more frames\n");
    }
    for (Throwable suppressed : t.getSuppressed()) {
      append(out, suppressed, "Suppressed: ", indent + "\t", seen);
    }
    if (t.getCause() != null) {
      append(out, t.getCause(), "Caused by: ", indent, seen);
    }
  }

  private static String cut(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length) + "…";
  }

  /** A 64-bit FNV-1a hash of {@code text}, finished with a mixer so that sums of hashes spread well. */
  private static long mix(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  /** Counts the characters written, to know when a traces file is full. */
  private static final class CountingWriter extends FilterWriter {
    long count;

    CountingWriter(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      out.write(c);
      count++;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      out.write(chars, offset, length);
      count += length;
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      out.write(text, offset, length);
      count += length;
    }
  }
}
