package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Spans;
import dev.traceunit.junit.TraceExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceExtension.class)
class BatchExporterTest {

  private static final Duration EVERY_SECOND = Duration.ofSeconds(1);

  /** Keeps what was written; fails the first {@code failures} writes. */
  private static final class RecordingSink implements BatchExporter.Sink {
    final List<List<String>> batches = new ArrayList<>();
    private int failures;

    RecordingSink(int failures) {
      this.failures = failures;
    }

    @Override
    public void write(List<String> records) throws IOException {
      if (failures-- > 0) {
        throw new IOException("disk full");
      }
      batches.add(records);
    }
  }

  @Test
  void flushesEverySecondUnderTheJobAndDrainsInALinkedRootSpan(Spans spans, MockClock clock) {
    RecordingSink sink = new RecordingSink(0);
    BatchExporter exporter = new BatchExporter(sink, clock.scheduler(), EVERY_SECOND);

    exporter.start("nightly-report");
    exporter.submit("a");
    exporter.submit("b");
    clock.advanceTime(EVERY_SECOND); // flush 1: a, b
    exporter.submit("c");
    clock.advanceTime(EVERY_SECOND.multipliedBy(2)); // flush 2: c; flush 3 has nothing to write
    exporter.submit("d");
    exporter.stop(); // drain: d

    assertThat(sink.batches).containsExactly(List.of("a", "b"), List.of("c"), List.of("d"));
    assertThat(spans).hasTreeShape("""
        batch.job
          batch.flush
          batch.flush
        batch.drain
          batch.flush
        """);
    assertThat(spans).hasRootSpan("batch.job")
        .hasAttribute("job.name", "nightly-report")
        .hasDuration(Duration.ofSeconds(3))
        .hasChildrenNamed("batch.flush", "batch.flush")
        .child("batch.flush", 1).startedAt(Duration.ofSeconds(2)).hasAttribute("records", 1);
    assertThat(spans).hasRootSpan("batch.drain")
        .isRoot()
        .hasLinkTo("batch.job")
        .startedAfter("batch.job")
        .startedAt(Duration.ofSeconds(3))
        .hasAttribute("records", 1);
  }

  @Test
  void aFailedFlushKeepsItsRecordsForTheNextOne(Spans spans, MockClock clock) {
    RecordingSink sink = new RecordingSink(1);
    BatchExporter exporter = new BatchExporter(sink, clock.scheduler(), EVERY_SECOND);

    exporter.start("nightly-report");
    exporter.submit("a");
    exporter.submit("b");
    clock.advanceTime(EVERY_SECOND);
    exporter.submit("c");
    clock.advanceTime(EVERY_SECOND);
    exporter.stop();

    assertThat(sink.batches).containsExactly(List.of("a", "b", "c"));
    assertThat(spans).hasRootSpan("batch.job").child("batch.flush", 0)
        .isError()
        .hasErrorMessage("disk full")
        .hasEventsNamed("exception", "records.requeued")
        .event("records.requeued").hasAttribute("records", 2);
    assertThat(spans).hasRootSpan("batch.job").child("batch.flush", 1)
        .isOk()
        .hasAttribute("records", 3);
    assertThat(spans).hasRootSpan("batch.drain").hasAttribute("records", 0).hasLinkTo("batch.job");
  }
}
