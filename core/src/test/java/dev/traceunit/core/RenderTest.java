package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderTest {

  private final FakeTime time = new FakeTime();
  private final SpanCollector collector = FakeTime.collector(time);

  private Trace checkoutWithRetry() {
    try (Scope scope = collector.activate()) {
      try (SpanHandle checkout = Tracing.start(SpanKind.of("pipeline"), "checkout")) {
        checkout.attribute("order", 42);
        time.advanceMillis(10);
        try (SpanHandle call = Tracing.start(SpanKind.CLIENT, "payment.call")) {
          call.attribute("attempt", 1);
          time.advanceMillis(120);
          call.error(new IOException("reset"));
          call.event("retry.scheduled", Map.of("delay", "2s"));
        }
        time.advanceMillis(120);
      }
      time.advanceMillis(1760);
      Tracing.span("payment.call").kind(SpanKind.CLIENT).attribute("attempt", 2).startAsync();
    }
    return collector.finish();
  }

  @Test
  void rendersTheTreeWithAttributesEventsErrorsOpenSpansAndProblems() {
    assertThat(checkoutWithRetry().render()).isEqualTo(String.join("\n",
        "trace t-0001 · 3 spans · 1 problem",
        "├─ pipeline checkout            +0ms     250ms  order=42",
        "│  └─ client payment.call       +10ms    120ms  attempt=1  ERROR IOException: reset",
        "│     ├─ event exception        +120ms   IOException: reset",
        "│     └─ event retry.scheduled  +120ms   delay=2s",
        "└─ client payment.call          +2010ms  OPEN   attempt=2",
        "problems:",
        "  SPAN_NOT_ENDED  span 3 payment.call was still open when the test ended",
        ""));
  }

  @Test
  void marksTheChosenSpansInTheMargin() {
    Trace trace = checkoutWithRetry();
    RecordedSpan first = trace.named("payment.call").get(0);
    assertThat(trace.render(span -> span.spanId() == first.spanId()).lines())
        .contains("▶ │  └─ client payment.call       +10ms    120ms  attempt=1  ERROR IOException: reset")
        .contains("  ├─ pipeline checkout            +0ms     250ms  order=42");
    assertThat(trace.path(first)).isEqualTo("checkout > payment.call");
    assertThat(trace.path(trace.named("payment.call").get(1))).isEqualTo("payment.call");
  }

  @Test
  void rendersMarkersStatusDroppedCountsAndEscapesControlCharacters() {
    SpanCollector small = new SpanCollector("t-0002", time, Limits.defaults().withMaxAttributes(1).withMaxSpans(3));
    try (Scope scope = small.activate()) {
      try (SpanHandle root = Tracing.start("line\nbreak")) {
        root.attribute("text", "tab\there").attribute("dropped", 1).status(SpanStatus.OK);
        time.advance(java.time.Duration.ofNanos(1_500_000));
        Tracing.marker("decision", Map.of());
        Tracing.run("inner", () -> {});
        Tracing.run("over.the.limit", () -> {});
      }
    }
    assertThat(small.snapshot().render()).isEqualTo(String.join("\n",
        "trace t-0002 · 3 spans · 2 problems · 1 dropped",
        "└─ internal line\\nbreak  +0ms    1.5ms   text=tab\\there  OK  (dropped 1 attribute)",
        "   ├─ internal decision  +1.5ms  marker",
        "   └─ internal inner     +1.5ms  0ms",
        "problems:",
        "  ATTRIBUTE_LIMIT  span 1 line\\nbreak reached the limit of 1 attributes; 'dropped' and later new keys were dropped and counted",
        "  SPAN_LIMIT  the trace reached the limit of 3 spans; 'over.the.limit' and later spans were dropped and counted",
        "dropped: 1 span over the span limit",
        ""));
  }

  @Test
  void anEmptyTraceSaysSo() {
    assertThat(collector.snapshot().render()).isEqualTo("trace t-0001 · 0 spans\n(no spans recorded)\n");
  }

  @Test
  void aLongTreeIsCutToAWindowAroundTheMarkedSpan() {
    try (Scope scope = collector.activate()) {
      for (int i = 0; i < 10; i++) {
        Tracing.run("step-" + i, () -> {});
      }
    }
    Trace trace = collector.snapshot();
    assertThat(trace.render(span -> span.name().equals("step-6"), 3)).isEqualTo(String.join("\n",
        "trace t-0001 · 10 spans",
        "… 5 lines above not shown",
        "  ├─ internal step-5  +0ms  0ms",
        "▶ ├─ internal step-6  +0ms  0ms",
        "  ├─ internal step-7  +0ms  0ms",
        "… 2 lines below not shown",
        ""));
    assertThat(trace.render(span -> false, 2)).startsWith("trace t-0001 · 10 spans\n├─ internal step-0")
        .endsWith("… 8 lines below not shown\n");
    assertThat(trace.render(span -> false, 100)).isEqualTo(trace.render());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> trace.render(span -> false, 0))
        .hasMessage("maxLines must be at least 1 but was 0");
  }
}
