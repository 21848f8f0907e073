package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class HugeTraceMessageTest {

  static final int SPANS = 3_000;

  @TempDir
  Path reports;

  @ExtendWith(TraceExtension.class)
  static class HugeSample {
    @Test
    void failsOnTheSpanInTheMiddle() {
      record(SPANS / 2, false);
      throw new AssertionError("call 1500 failed");
    }

    @Test
    void leavesTheSpanInTheMiddleOpen() {
      record(SPANS / 2, true);
    }

    @Test
    void neverDumpsButLeavesASpanOpen() {
      record(SPANS / 2, true);
    }

    /** A root with {@code SPANS - 1} children; the one at {@code special} has an error or stays open. */
    private static void record(int special, boolean leaveOpen) {
      try (SpanHandle root = Tracing.start("batch")) {
        for (int i = 1; i < SPANS; i++) {
          SpanHandle call = Tracing.startAsync("call." + i);
          if (i == special && leaveOpen) {
            continue;
          }
          if (i == special) {
            call.error(new IllegalStateException("reset"));
          }
          call.end();
        }
      }
    }
  }

  @Test
  void aDumpOfAHugeTraceShowsAThousandLinesAroundTheErrorAndPublishesTheWholeTree() throws IOException {
    Kit.Run run = Kit.run(reports, HugeSample.class);

    String message = run.failure("failsOnTheSpanInTheMiddle").getSuppressed()[0].getMessage();
    assertThat(treeLines(message)).isEqualTo(TraceExtension.MESSAGE_TREE_LINES);
    assertThat(message)
        .startsWith("trace HugeSample/failsOnTheSpanInTheMiddle · 3000 spans\n… 1000 lines above not shown\n")
        .contains("▶", "call.1500", "ERROR IllegalStateException: reset")
        .doesNotContain("internal call.999 ", "internal call.2001 ")
        .endsWith(" lines below not shown\n(at most 1000 lines and 200000 chars of the tree are shown here, around the first"
            + " span with an error or a problem; the whole tree is in trace.txt and trace.json, published with this"
            + " test)");
    String whole = run.reportEntries("failsOnTheSpanInTheMiddle", TraceExtension.REPORT_ENTRY_KEY).get(0);
    assertThat(treeLines(whole)).isEqualTo(SPANS + 1); // the events of the error, too
    assertThat(whole).doesNotContain("not shown");
    assertThat(run.file("failsOnTheSpanInTheMiddle", "trace.txt").orElseThrow().getPath()).hasContent(whole);
  }

  @Test
  void aProblemsErrorOfAHugeTraceShowsAThousandLinesAroundTheProblem() {
    Kit.Run run = Kit.run(reports, HugeSample.class);

    String message = run.failure("leavesTheSpanInTheMiddleOpen").getMessage();
    assertThat(treeLines(message)).isEqualTo(TraceExtension.MESSAGE_TREE_LINES);
    assertThat(message).contains("▶", "call.1500", "OPEN", "SPAN_NOT_ENDED  span 1501 call.1500")
        .contains("the whole tree is in trace.txt and trace.json, published with this test)")
        .doesNotContain("internal call.999 ");
  }

  @Test
  void whenNothingIsPublishedTheMessageSaysHowToPublishTheWholeTree() {
    Kit.Run run = Kit.run(reports, Map.of("traceunit.dump", "never"), HugeSample.class);

    assertThat(run.failure("neverDumpsButLeavesASpanOpen").getMessage())
        .contains("traceunit.dump and traceunit.dump.formats publish the whole tree as trace.txt and trace.json)");
    assertThat(run.files("neverDumpsButLeavesASpanOpen")).isEmpty();
  }

  /** Lines that draw a span or an event: they hold tree guides. */
  private static long treeLines(String text) {
    return text.lines().filter(line -> line.contains("─ ")).count();
  }
}
