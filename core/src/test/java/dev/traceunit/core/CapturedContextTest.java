package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CapturedContextTest {

  private final FakeTime time = new FakeTime();
  private final SpanCollector collector = FakeTime.collector(time);
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCapturedSpanIsTheParentOfWhatStartsWhereItIsActivated() throws Exception {
    pool.submit(() -> {}).get(10, TimeUnit.SECONDS); // the worker exists before the collector
    CapturedContext captured;
    try (Scope scope = collector.activate(); SpanHandle request = Tracing.start("request")) {
      captured = CapturedContext.now();
      pool.submit(() -> {
        try (Scope activated = captured.activate()) {
          Tracing.run("worker.step", () -> {});
        }
        Tracing.run("after.scope", () -> {}); // the worker's own (empty) context is back
      }).get(10, TimeUnit.SECONDS);
    }
    Trace trace = collector.snapshot();
    RecordedSpan step = trace.named("worker.step").get(0);
    assertThat(trace.parent(step).orElseThrow().name()).isEqualTo("request");
    assertThat(trace.named("after.scope")).isEmpty();
    assertThat(captured.isEmpty()).isFalse();
    assertThat(captured.toString()).isEqualTo("CapturedContext(" + collector.traceId() + ", span 1)");
  }

  @Test
  void aCollectorWithoutACurrentSpanIsCapturedToo() throws Exception {
    CapturedContext captured;
    try (Scope scope = collector.activate()) {
      captured = CapturedContext.now();
    }
    pool.submit(() -> {
      try (Scope activated = captured.activate()) {
        Tracing.run("root.on.worker", () -> {});
      }
    }).get(10, TimeUnit.SECONDS);
    Trace trace = collector.snapshot();
    assertThat(trace.roots()).extracting(RecordedSpan::name).containsExactly("root.on.worker");
  }

  @Test
  void nothingIsCapturedOnAThreadWithoutACollectorAndActivatingNoneClearsAThreadUntilTheScopeCloses() {
    assertThat(CapturedContext.now().isEmpty()).isTrue();
    assertThat(CapturedContext.now()).isSameAs(CapturedContext.none());
    try (Scope scope = collector.activate(); SpanHandle outer = Tracing.start("outer")) {
      try (Scope cleared = CapturedContext.none().activate()) {
        assertThat(Tracing.current().isRecording()).isFalse();
        Tracing.run("not.recorded", () -> {});
      }
      assertThat(Tracing.current().spanId()).isEqualTo(outer.spanId());
    }
    assertThat(collector.snapshot().named("not.recorded")).isEmpty();
    assertThat(CapturedContext.none()).hasToString("CapturedContext(none)");
  }
}
