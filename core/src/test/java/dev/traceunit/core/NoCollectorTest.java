package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoCollectorTest {

  @Test
  void withoutACollectorEveryCallIsANoOpThatNeverThrows() {
    assertThatCode(() -> {
      SpanHandle span = Tracing.start(null, null);
      span.attribute(null, (Object) null).attribute("k", 1).attributes(null).event(null).rename(null).error(null)
          .status(null).attributeIfAbsent("x", new Object());
      span.end();
      span.end();
      span.close();
      span.activate().close();
      Tracing.marker("m", null);
      Tracing.span(null).kind(null).parent(null).link(null).attributes(null).start().close();
      Tracing.run("r", () -> {});
    }).doesNotThrowAnyException();
    assertThat(Tracing.start("x").isRecording()).isFalse();
    assertThat(Tracing.start("x").spanId()).isZero();
    assertThat(Tracing.current().isRecording()).isFalse();
    assertThat(Tracing.currentLink()).isEmpty();
  }

  @Test
  void theDisabledHotPathAllocatesNothing() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, Object> none = Map.of();
    Runnable work = () -> {};
    for (int i = 0; i < 20_000; i++) { // let the JIT settle
      disabledCalls(none, work);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      disabledCalls(none, work);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    // 100,000 rounds of six calls: anything per call would be megabytes; allow the measuring itself.
    assertThat(allocated).as("bytes allocated by 600,000 disabled calls").isLessThan(4_096);
  }

  private static void disabledCalls(Map<String, Object> attributes, Runnable work) {
    try (SpanHandle span = Tracing.start(SpanKind.CLIENT, "call")) {
      span.attribute("attempt", 1L).attribute("ok", true).event("e");
    }
    Tracing.startAsync("async").end();
    Tracing.run("run", work);
    Tracing.marker("m", attributes);
    Tracing.current().attribute("k", "v");
  }
}
