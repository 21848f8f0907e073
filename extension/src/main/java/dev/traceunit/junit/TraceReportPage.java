package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;

/**
 * The report page of one run, written in two steps so that only one trace is in memory at a time:
 * each trace goes to a parts file as it comes, and {@link #finish()} wraps the parts with the test
 * list, the styles and the script into {@code index.html}. Tests are listed failed first, then by
 * name (class, then test) and unique id, and their traces are numbered in that order, so the same
 * run gives the same page whatever order its tests finished in.
 *
 * <p>Every text from the trace reaches the page as JSON inside {@code <script
 * type="application/json">}, escaped by {@link ScriptSafeWriter}; the script puts it into the
 * page as text nodes only. A Content-Security-Policy allows no script but the page's own.
 */
final class TraceReportPage {

  static final String FILE_NAME = "index.html";
  private static final String RESOURCES = "/dev/traceunit/junit/report/";
  /** A failure message longer than this is cut in the test list; the trace keeps everything. */
  private static final int MESSAGE_LENGTH = 2000;
  private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private final Path dir;
  private final List<Row> rows = new ArrayList<>();
  private Path partsFile;
  private Writer parts;
  private OutputStream partsStream;
  /** Bytes written into the parts file so far, to find each trace in it again. */
  private long[] partsBytes = {0};
  private int untraced;

  TraceReportPage(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** A test that ran without a trace: counted in the header. */
  synchronized void countUntraced() {
    untraced++;
  }

  /** Adds the trace of a finished test. */
  synchronized void add(String name, String uniqueId, TestExecutionResult result, Trace trace) throws IOException {
    // Rendered before anything is written: a tree too large for memory is left out with a note, and
    // the parts file stays whole.
    String tree;
    try {
      tree = trace.render();
    } catch (OutOfMemoryError e) {
      tree = "trace " + trace.traceId() + " · " + trace.size() + " spans\n(the text tree did not fit in this JVM's"
          + " memory and is left out of the report; the spans are listed)\n";
    }
    if (parts == null) {
      Files.createDirectories(dir);
      partsFile = Files.createTempFile(dir, "." + FILE_NAME, ".parts");
      long[] count = partsBytes;
      partsStream = new FilterOutputStream(Files.newOutputStream(partsFile)) {
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
          count[0] += length;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          count[0]++;
        }
      };
      parts = SafeFiles.writer(partsStream, true);
    }
    long from = partsBytes[0];
    // One compact generator: the report's JSON needs no indent, and closing it reuses its buffers.
    try (JsonGenerator json = TraceJson.compactGenerator(new ScriptSafeWriter(parts))) {
      json.writeStartObject();
      json.writeStringField("tree", tree);
      json.writeFieldName("trace");
      TraceJson.writeTrace(json, trace, uniqueId);
      json.writeEndObject();
    }
    parts.flush();
    rows.add(new Row(name, uniqueId, result, trace, from, partsBytes[0]));
  }

  /**
   * Writes {@code index.html} if any traced test ran, and returns it.
   */
  synchronized Optional<Path> finish() throws IOException {
    if (parts == null) {
      return Optional.empty();
    }
    SafeFiles.closeBoth(parts, partsStream);
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt(Row::rank).thenComparing(row -> row.name).thenComparing(row -> row.uniqueId));
    String script = resource("report.js");
    Path temp = Files.createTempFile(dir, "." + FILE_NAME, ".tmp");
    Path index = dir.resolve(FILE_NAME);
    try {
      OutputStream raw = Files.newOutputStream(temp);
      Writer out = SafeFiles.writer(raw, true);
      try {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
            + "style-src 'unsafe-inline'; script-src '" + sha256(script) + "'\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.write("<title>traceunit report</title>\n<style>\n");
        out.write(resource("report.css"));
        out.write("</style>\n</head>\n<body>\n");
        out.write(resource("report-body.html"));
        out.write("<script type=\"application/json\" id=\"traceunit-tests\">");
        writeTests(new ScriptSafeWriter(out), sorted);
        out.write("</script>\n");
        try (FileChannel in = FileChannel.open(partsFile)) {
          WritableByteChannel to = Channels.newChannel(raw);
          for (int i = 0; i < sorted.size(); i++) {
            Row row = sorted.get(i);
            out.write("<script type=\"application/json\" id=\"trace-" + i + "\">");
            out.flush();
            for (long at = row.partsFrom; at < row.partsTo; ) {
              at += in.transferTo(at, row.partsTo - at, to);
            }
            out.write("</script>\n");
          }
        }
        out.write("<script>");
        out.write(script);
        out.write("</script>\n</body>\n</html>\n");
      } finally {
        SafeFiles.closeBoth(out, raw); // the handle is closed even when the last flush fails on a full disk
      }
      readableByAll(temp);
      Files.move(temp, index, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp); // no half-written page left behind
      throw e;
    }
    Files.deleteIfExists(partsFile);
    return Optional.of(index);
  }

  /**
   * A temp file is private to its owner; the page is an artifact for CI servers and colleagues, so
   * it gets the permissions of any file the build writes (rw-r--r--) where the file system has them.
   */
  private static void readableByAll(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** Removes what was written so far, after a failure; never throws. */
  synchronized void abandon() {
    try {
      if (parts != null) {
        SafeFiles.closeBoth(parts, partsStream);
      }
    } catch (IOException ignored) {
      // the report is lost already; the caller says so
    } finally {
      try {
        if (partsFile != null) {
          Files.deleteIfExists(partsFile);
        }
      } catch (IOException ignored) {
        // as above
      }
    }
  }

  private void writeTests(Writer out, List<Row> sorted) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      writeTests(json, sorted);
    }
  }

  private void writeTests(JsonGenerator json, List<Row> sorted) throws IOException {
    json.writeStartObject();
    json.writeNumberField("untraced", untraced);
    json.writeArrayFieldStart("tests");
    for (int i = 0; i < sorted.size(); i++) {
      Row row = sorted.get(i);
      json.writeStartObject();
      json.writeNumberField("trace", i);
      json.writeStringField("name", row.name);
      json.writeStringField("id", row.uniqueId);
      json.writeStringField("status", row.status);
      json.writeStringField("message", row.message);
      json.writeNumberField("spans", row.spans);
      json.writeNumberField("errors", row.errors);
      json.writeNumberField("open", row.open);
      json.writeArrayFieldStart("problems");
      for (String problem : row.problems) {
        json.writeString(problem);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static String resource(String name) {
    try (InputStream in = TraceReportPage.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("traceunit-junit is missing its resource " + RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CSP source that allows exactly this script. */
  private static String sha256(String script) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** What the test list shows of one test; the trace itself is in the parts file by then. */
  private static final class Row {
    final String name;
    final String uniqueId;
    final String status;
    final String message;
    final int spans;
    final int errors;
    final int open;
    final List<String> problems;

    /** Where its trace's JSON is in the parts file: from this byte up to the next. */
    final long partsFrom;
    final long partsTo;

    Row(String name, String uniqueId, TestExecutionResult result, Trace trace, long partsFrom, long partsTo) {
      this.partsFrom = partsFrom;
      this.partsTo = partsTo;
      this.name = name;
      this.uniqueId = uniqueId;
      this.status = result.getStatus().name();
      this.message = result.getThrowable().map(Row::message).orElse("");
      this.spans = trace.size();
      int errorCount = 0;
      for (RecordedSpan span : trace.spans()) {
        errorCount += span.status() == SpanStatus.ERROR ? 1 : 0;
      }
      this.errors = errorCount;
      this.open = trace.openSpans().size();
      this.problems = trace.problems().stream().map(Problem::toString).toList();
    }

    /** Failed first, then aborted, then passed. */
    int rank() {
      return switch (status) {
        case "FAILED" -> 0;
        case "ABORTED" -> 1;
        default -> 2;
      };
    }

    private static String message(Throwable failure) {
      String text = failure.toString();
      return text.length() <= MESSAGE_LENGTH ? text : text.substring(0, MESSAGE_LENGTH) + "…";
    }
  }
}
