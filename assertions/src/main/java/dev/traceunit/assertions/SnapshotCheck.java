package dev.traceunit.assertions;

import dev.traceunit.assertions.spi.SnapshotContext;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.StableTrace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One {@code matchesSnapshot} call: the trace (or a span's subtree) in its stable form as snapshot
 * text, compared with the test's file; the file written when it is missing or in update mode, the
 * new version written beside it ({@code .new}) when it differs.
 */
final class SnapshotCheck {

  /** The suffix of the file a mismatch writes beside the snapshot. */
  static final String NEW_SUFFIX = ".new";

  /** What the comparison found: a message and the two texts when it failed, all null when it passed. */
  record Outcome(String message, String expected, String actual) {
    static final Outcome PASSED = new Outcome(null, null, null);

    boolean passed() {
      return message == null;
    }
  }

  private SnapshotCheck() {}

  /** The whole trace, problems included. */
  static Outcome ofTrace(Trace trace, Snapshot options) {
    SnapshotContext test = current();
    Trace stable = StableTrace.of(test.masked(trace), test.testThread(), test.testClass());
    return check(test, stable, true, options, "trace " + trace.traceId());
  }

  /** One span and everything below it. */
  static Outcome ofSubtree(Trace trace, RecordedSpan span, Snapshot options) {
    SnapshotContext test = current();
    // Masked as a whole first: a secret held by an ancestor is masked in the subtree's free text too.
    Trace masked = test.masked(trace);
    List<RecordedSpan> subtree = new ArrayList<>();
    Deque<RecordedSpan> todo = new ArrayDeque<>();
    todo.push(masked.byId(span.spanId()).orElse(span));
    while (!todo.isEmpty()) {
      RecordedSpan next = todo.pop();
      subtree.add(next);
      masked.children(next).forEach(todo::push);
    }
    // Its parent is not in this trace, so the span is its root.
    Trace stable = StableTrace.of(Trace.of(trace.traceId(), subtree, List.of(), 0).withRedaction(trace.redaction()),
        test.testThread(), test.testClass());
    return check(test, stable, false, options, "the subtree of " + trace.path(span));
  }

  private static SnapshotContext current() {
    SnapshotContext test = SnapshotContext.current();
    if (test == null) {
      throw new IllegalStateException("matchesSnapshot() needs to know which test runs, to find its snapshot file:"
          + " run the test with TraceExtension (@ExtendWith(TraceExtension.class) or @Traced) and call it on the"
          + " test's own thread");
    }
    return test;
  }

  private static Outcome check(SnapshotContext test, Trace stable, boolean withProblems, Snapshot options,
      String subject) {
    Path file = test.file(options.name());
    if (!test.use(file)) {
      throw new IllegalStateException("this test compared " + subject + " with " + file + " already: give each"
          + " matchesSnapshot call of one test its own name, e.g. matchesSnapshot(Snapshot.named(\"after-retry\"))");
    }
    String header = SnapshotText.header(test.testClass(), test.testName(), options);
    Path newFile = file.resolveSibling(file.getFileName() + NEW_SUFFIX);
    try {
      // A million-span text is a hundred megabytes: a file that holds exactly what this run would
      // write is found equal a chunk at a time, without the text or the file in memory.
      if (!test.update() && Files.exists(file) && SnapshotText.isWrittenIn(file, header, stable, withProblems, options)) {
        Files.deleteIfExists(newFile);
        return Outcome.PASSED;
      }
      // Header and body in one buffer and one string, not copied again.
      String content = SnapshotText.appendBody(new StringBuilder(header), stable, withProblems, options).toString();
      if (test.update() || !Files.exists(file)) {
        String body = content.substring(header.length());
        boolean missing = !Files.exists(file);
        write(file, content);
        Files.deleteIfExists(newFile);
        if (test.update() || test.missingPasses()) {
          return Outcome.PASSED;
        }
        return new Outcome("Expecting " + subject + " to match its snapshot, but there was none yet: it was written to\n  "
            + file + "\nReview and commit it; the next run compares with it (traceunit.snapshots.missing=pass lets"
            + " a run that writes snapshots pass).", missing ? "" : body, body);
      }
      String expected = SnapshotText.bodyOf(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      String body = content.substring(header.length());
      if (expected.equals(body)) {
        Files.deleteIfExists(newFile);
        return Outcome.PASSED;
      }
      write(newFile, content);
      List<String> differences;
      try {
        differences = SnapshotDiff.between(expected, body);
      } catch (StackOverflowError tooDeep) {
        differences = List.of(firstDifferentLine(expected, body));
      }
      String found = (differences.size() == 1 ? "1 difference was" : differences.size() + " differences were")
          + " found (the first is marked):\n" + SnapshotDiff.listed(differences)
          + "The new version was written to\n  " + newFile + "\nReview it, then replace the snapshot with it, or run"
          + " with -Dtraceunit.snapshots.update=true to rewrite every snapshot the tests compare.";
      return new Outcome(TraceFailure.message(subject, "to match its snapshot " + file, found,
          stable.render(span -> false, TraceFailure.MAX_TREE_LINES)), expected, body);
    } catch (IOException e) {
      throw new UncheckedIOException("traceunit could not read or write the snapshot " + file + ": " + e, e);
    }
  }

  /**
   * The structural diff walks the tree recursively; for a trace nested deeper than the stack allows,
   * the first line that differs, which still says what changed.
   */
  private static String firstDifferentLine(String expected, String actual) {
    List<String> was = expected.lines().toList();
    List<String> now = actual.lines().toList();
    int line = 0;
    while (line < was.size() && line < now.size() && was.get(line).equals(now.get(line))) {
      line++;
    }
    String before = line < was.size() ? was.get(line).strip() : "(end of snapshot)";
    String after = line < now.size() ? now.get(line).strip() : "(end of trace)";
    return "line " + (line + 1) + ": " + before + " → " + after
        + " (nested too deeply for a structural diff: compared line by line)";
  }

  private static void write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
  }
}
