package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A link's attributes follow the rule and the limits of a span's, with the same problem codes. */
class LinkAttributesTest {

  private static final Object RAW = new Object() {
    @Override
    public String toString() {
      return "raw object";
    }
  };

  @Test
  void linkAttributesAreNormalisedAndLimitedLikeSpanAttributes() {
    SpanCollector collector = new SpanCollector("t-0001", new FakeTime(),
        Limits.defaults().withMaxAttributes(1).withMaxValueLength(3));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("count", 7);
    attributes.put("object", RAW);
    attributes.put("text", "abcdef");
    Map<String, Object> first = Map.of("text", "abcdef");
    try (Scope scope = collector.activate()) {
      SpanHandle target = Tracing.start("target");
      target.end();
      Tracing.span("cut").link(target.link().withAttributes(attributes)).start().end();
      Tracing.span("long").link(target.link().withAttributes(first)).start().end();
      Tracing.span("raw").link(target.link().withAttributes(Map.of("object", RAW))).start().end();
    }
    Trace trace = collector.finish();

    assertThat(trace.named("cut").get(0).links().get(0).attributes()).containsExactly(Map.entry("count", 7L));
    assertThat(trace.named("long").get(0).links().get(0).attributes())
        .containsExactly(Map.entry("text", "abc…[truncated 3 chars]"));
    assertThat(trace.named("raw").get(0).links().get(0).attributes())
        .containsExactly(Map.entry("object", "raw…[truncated 7 chars]"));
    assertThat(trace.problems()).extracting(Problem::code).containsExactlyInAnyOrder(ProblemCode.ATTRIBUTE_LIMIT,
        ProblemCode.VALUE_TRUNCATED, ProblemCode.UNSUPPORTED_VALUE, ProblemCode.VALUE_TRUNCATED);
    assertThat(trace.problems()).filteredOn(p -> p.code() == ProblemCode.ATTRIBUTE_LIMIT).singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("link on span 2 has more than 1 attributes; 2 were dropped"));
  }

  @Test
  void aLinkBuiltByHandHoldsWhatARecordedOneWould() {
    SpanLink link = new SpanLink("t-0001", 1, Map.of("count", 7, "object", RAW, "tags", Set.of("b", "a"),
        "ratio", 0.5f, "ids", new int[] {1, 2}));

    assertThat(link.attributes()).containsExactly(Map.entry("count", 7L), Map.entry("ids", List.of(1L, 2L)),
        Map.entry("object", "raw object"), Map.entry("ratio", 0.5d), Map.entry("tags", List.of("a", "b")));
  }

  @Test
  void anEventOrSpanBuiltByHandHoldsWhatARecordedOneWould() {
    SpanEvent event = new SpanEvent("e", java.time.Duration.ZERO, FakeTime.START, Map.of("n", (short) 3));

    assertThat(event.attributes()).containsExactly(Map.entry("n", 3L));
  }
}
