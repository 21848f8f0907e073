package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The report folder that every run of a build adds to: {@code index.html}, and under {@code runs/}
 * one folder per run with its data files ({@link TraceReportRun}). A run that ends takes the
 * folder's lock (a file lock, so forks in other JVMs wait too), replaces the runs of any other
 * build, moves its own folder in and writes {@code index.html} anew, listing every run in the
 * folder. The page is one template with the run list as its only data: the same runs give the
 * same bytes.
 *
 * <p>The page carries a Content-Security-Policy that allows its own inline script (by hash) and
 * scripts beside it ('self'), nothing else: no markup from a trace can run.
 */
final class TraceReportPage {

  static final String FILE_NAME = "index.html";
  static final String RUNS = "runs";
  static final String TESTS_FILE = "tests.js";
  /** Folders of runs still being written start with this. */
  static final String PART_PREFIX = ".part-";
  /** The run's part of {@value #RUN_OTLP}: its ResourceSpans, comma-separated. */
  static final String RUN_OTLP_PART = "run.otlp.part";
  /** Every run of the build as one OTLP/JSON document, when {@code traceunit.report.otlp=true}. */
  static final String RUN_OTLP = "traceunit-run.otlp.json";
  private static final String BUILD_FILE = "build.txt";
  private static final String PRINTED_FILE = ".printed";
  private static final String LOCK_FILE = ".lock";
  private static final String RESOURCES = "/dev/traceunit/junit/report/";
  /** One JVM takes the file lock once at a time: a second FileChannel.lock in it would fail. */
  private static final Object JVM_LOCK = new Object();

  private TraceReportPage() {}

  /** The start of the names of the unfinished runs of {@code build}. */
  static String partName(String build) {
    return PART_PREFIX + String.format("%08x", build.hashCode()) + "-";
  }

  static String tracesFile(int index) {
    return "traces-" + index + ".js";
  }

  /** What {@link #publish} did. */
  record Published(Path page, boolean firstToPrint) {}

  /**
   * Moves the finished run folder {@code run} into {@code dir}'s runs as {@code name}, after
   * removing the runs of builds other than {@code build}, and writes the page.
   *
   * @param failed whether the run has a failed test: the first such run of a build is told to print
   *     the page's address
   */
  static Published publish(Path dir, String build, Path run, String name, boolean failed) throws IOException {
    synchronized (JVM_LOCK) {
      try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
        Path runs = dir.resolve(RUNS);
        Path buildFile = dir.resolve(BUILD_FILE);
        String previous = Files.exists(buildFile) ? Files.readString(buildFile, StandardCharsets.UTF_8).trim() : null;
        if (!build.equals(previous)) {
          removeOtherBuilds(runs, build);
          Files.deleteIfExists(dir.resolve(PRINTED_FILE));
          writeAtomically(buildFile, build + "\n");
        }
        Path target = runs.resolve(name);
        for (int n = 2; Files.exists(target); n++) {
          target = runs.resolve(name + "-" + n); // the same tests twice in one build: both are shown
        }
        Files.move(run, target, StandardCopyOption.ATOMIC_MOVE);
        List<String> names = new ArrayList<>();
        try (Stream<Path> all = Files.list(runs)) {
          all.filter(p -> !p.getFileName().toString().startsWith(".") && Files.exists(p.resolve(TESTS_FILE)))
              .map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).forEach(names::add);
        }
        Path page = dir.resolve(FILE_NAME);
        writeAtomically(page, page(names));
        writeRunOtlp(dir, runs, names);
        boolean firstToPrint = failed && !Files.exists(dir.resolve(PRINTED_FILE));
        if (firstToPrint) {
          writeAtomically(dir.resolve(PRINTED_FILE), build + "\n");
        }
        return new Published(page, firstToPrint);
      }
    }
  }

  /**
   * Removes every finished run, and the unfinished ones of other builds not written to for a
   * minute (left by a JVM that died).
   */
  private static void removeOtherBuilds(Path runs, String build) throws IOException {
    if (!Files.isDirectory(runs)) {
      return;
    }
    long stale = System.currentTimeMillis() - 60_000;
    try (Stream<Path> all = Files.list(runs)) {
      for (Path run : (Iterable<Path>) all::iterator) {
        String name = run.getFileName().toString();
        boolean part = name.startsWith(PART_PREFIX);
        if (!part || (!name.startsWith(partName(build)) && Files.getLastModifiedTime(run).toMillis() < stale)) {
          deleteTree(run);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path path : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String page(List<String> runs) throws IOException {
    String script = resource("report.js");
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
        + "style-src 'unsafe-inline'; script-src 'self' '").append(sha256(script)).append("'\">\n");
    out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.append("<title>traceunit report</title>\n<style>\n").append(resource("report.css")).append("</style>\n");
    out.append("</head>\n<body>\n").append(resource("report-body.html"));
    out.append("<script type=\"application/json\" id=\"traceunit-runs\">");
    StringBuilderWriter json = new StringBuilderWriter(out);
    try (JsonGenerator generator = JsonSetup.generator(new ScriptSafeWriter(json))) {
      generator.writeStartArray();
      for (String run : runs) {
        generator.writeString(RUNS + "/" + run + "/");
      }
      generator.writeEndArray();
    }
    out.append("</script>\n<script>").append(script).append("</script>\n</body>\n</html>\n");
    return out.toString();
  }

  /** {@value #RUN_OTLP}: the ResourceSpans of every run that wrote them, in one TracesData document. */
  private static void writeRunOtlp(Path dir, Path runs, List<String> names) throws IOException {
    List<Path> parts = names.stream().map(name -> runs.resolve(name).resolve(RUN_OTLP_PART)).filter(Files::exists).toList();
    Path file = dir.resolve(RUN_OTLP);
    if (parts.isEmpty()) {
      Files.deleteIfExists(file); // from an earlier build that asked for it
      return;
    }
    SafeFiles.write(file, true, out -> {
      out.write("{\"resourceSpans\":[");
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        try (Reader in = Files.newBufferedReader(parts.get(i), StandardCharsets.UTF_8)) {
          in.transferTo(out);
        }
      }
      out.write("]}\n");
    });
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    SafeFiles.write(file, true, out -> out.write(text));
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

  /** A Writer into a StringBuilder (StringWriter would copy). */
  private static final class StringBuilderWriter extends Writer {
    private final StringBuilder out;

    StringBuilderWriter(StringBuilder out) {
      this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      out.append(chars, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
