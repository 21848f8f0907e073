package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A link made from a missing id (a message without its trace header) never throws: the span it is
 * added to drops it with a problem naming it.
 */
class LinkToNoSpanTest {

  @Test
  void aLinkWithANullTraceIdIsMadeWithoutAnException() {
    assertThatCode(() -> {
      assertThat(SpanLink.to(null, 5).traceId()).isEmpty();
      assertThat(new SpanLink(null, 5, null).traceId()).isEmpty();
      assertThat(SpanLink.to(null, 5).withAttributes(Map.of("k", 1)).attributes()).containsEntry("k", 1);
    }).doesNotThrowAnyException();
  }

  @Test
  void aSpanDropsALinkThatPointsAtNoSpanWithAProblemNamingIt() {
    SpanCollector collector = new SpanCollector("t-0001", new FakeTime(), Limits.defaults());
    try (Scope scope = collector.activate()) {
      Tracing.span("drain").link(SpanLink.to(null, 5)).link(SpanLink.to(" ", 6).withAttributes(Map.of("k", "v")))
          .link(SpanLink.to("t-other", 0)).link(SpanLink.to("t-other", 7)).link(Tracing.current().link())
          .start().end();
    }
    Trace trace = collector.finish();

    assertThat(trace.spans().get(0).links()).containsExactly(SpanLink.to("t-other", 7));
    assertThat(trace.spans().get(0).droppedLinks()).isZero();
    assertThat(trace.problems()).extracting(Problem::code).containsOnly(ProblemCode.UNSUPPORTED_VALUE);
    assertThat(trace.problems()).extracting(Problem::message).containsExactly(
        "a link on span 1 drain points at no span (no trace id, span id 5); it was dropped",
        "a link on span 1 drain points at no span (trace id ' ', span id 6); it was dropped",
        "a link on span 1 drain points at no span (trace id 't-other', span id 0); it was dropped",
        "a link on span 1 drain points at no span (no trace id, span id 0); it was dropped");
    assertThat(trace.problems()).extracting(Problem::spanId).containsOnly(1L);
  }
}
