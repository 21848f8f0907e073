package dev.traceunit.examples;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.traceunit.assertions.TraceSoftAssertions;
import dev.traceunit.clock.MockClock;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Spans;
import dev.traceunit.examples.Agent.Completion;
import dev.traceunit.junit.TraceExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TraceExtension.class)
class AgentTest {

  private static final Tools TOOLS = new Tools(Map.of("weather", city -> "sunny in " + city));
  private static final Duration LATENCY = Duration.ofMillis(800);

  @Test
  void aToolCallSitsBetweenTwoModelCalls(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY,
        Completion.toolCall("weather", "Paris", 120, 15),
        Completion.answer("It is sunny in Paris.", 160, 9));

    String answer = new Agent(model, TOOLS, 5).answer("Weather in Paris?");

    assertThat(answer).isEqualTo("It is sunny in Paris.");
    assertThat(spans).hasTreeShape("""
        agent.run
          model.routed
          llm.chat [llm_call]
          tool.weather [tool]
          llm.chat [llm_call]
        """);
    assertThat(spans).hasRootSpan("agent.run")
        .hasAttribute("steps", 2)
        .hasDuration(LATENCY.multipliedBy(2))
        .child("llm.chat", 0)
        .hasKind(SpanKind.of("llm_call"))
        .hasAttribute("llm.model", "small-1")
        .hasAttribute("llm.input_tokens", 120)
        .hasAttribute("llm.output_tokens", 15)
        .hasAttributeCloseTo("llm.cost_usd", 0.0000825, within(1e-12)); // 120 × $0.50/M + 15 × $1.50/M
  }

  @Test
  void theRunWithItsTokensAndCostsMatchesItsSnapshot(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY,
        Completion.toolCall("weather", "Paris", 120, 15),
        Completion.answer("It is sunny in Paris.", 160, 9));

    new Agent(model, TOOLS, 5).answer("Weather in Paris?");

    assertThat(spans).hasRootSpan("agent.run").matchesSnapshot();
  }

  @Test
  void theToolSpanIsNamedByTheToolThatRan(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY,
        Completion.toolCall("weather", "Paris", 120, 15),
        Completion.answer("It is sunny in Paris.", 160, 9));

    new Agent(model, TOOLS, 5).answer("Weather in Paris?");

    assertThat(spans).doesNotHaveSpan("tool.call");
    assertThat(spans).hasSpan("tool.weather")
        .hasKind(SpanKind.of("tool"))
        .hasAttribute("tool.name", "weather")
        .hasAttribute("tool.argument", "Paris")
        .startedAfter("model.routed")
        .hasParent("agent.run");
  }

  @Test
  void aComplexQuestionIsRoutedToTheLargeModel(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY, Completion.answer("Because of Rayleigh scattering.", 40, 7));

    new Agent(model, TOOLS, 5).answer("why is the sky blue?");

    assertThat(model.modelsAsked).containsExactly("large-2");
    assertThat(spans).hasRootSpan("agent.run")
        .child("model.routed")
        .isMarker()
        .hasDuration(Duration.ZERO)
        .hasAttribute("model", "large-2")
        .hasAttribute("reason", "complex question");
  }

  @Test
  void timeToFirstTokenIsAddedAfterTheCallEndedAndTheFirstReportWins(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY, Completion.answer("Hi!", 10, 2));

    new Agent(model, TOOLS, 5).answer("Hello?");
    assertThat(spans).hasSpan("llm.chat").isEnded().doesNotHaveAttribute("first_token_ms");

    clock.advanceTime(Duration.ofMillis(100)); // both late reports arrive: 200 ms, then 800 ms

    assertThat(spans).hasSpan("llm.chat").hasAttribute("first_token_ms", 200).hasDuration(LATENCY);
  }

  @Test
  void everyModelCallCarriesItsUsageAndCost(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY,
        Completion.toolCall("weather", "Paris", 120, 15),
        Completion.answer("It is sunny in Paris.", 160, 9));

    new Agent(model, TOOLS, 5).answer("Weather in Paris?");
    clock.advanceTime(Duration.ofMillis(100));

    TraceSoftAssertions.assertSoftly(softly -> {
      softly.assertThat(spans).filteredOnKind(SpanKind.of("llm_call")).hasSize(2).allSpansSatisfy(call -> call
          .hasAttribute("llm.model", "small-1")
          .hasAttribute("llm.input_tokens")
          .hasAttribute("llm.output_tokens")
          .hasAttribute("llm.cost_usd")
          .hasAttribute("first_token_ms", 200));
      softly.assertThat(spans).hasRootSpan("agent.run").child("llm.chat", 1)
          .hasAttribute("llm.input_tokens", 160)
          .hasAttributeCloseTo("llm.cost_usd", 0.0000935, within(1e-12)) // 160 × $0.50/M + 9 × $1.50/M
          .startedAfter("tool.weather");
    });
  }

  @Test
  void anUnknownToolFailsTheRunAndIsRecordedOnTheToolSpan(Spans spans, MockClock clock) {
    ScriptedModel model = new ScriptedModel(clock, LATENCY, Completion.toolCall("stocks", "ACME", 50, 5));

    assertThatThrownBy(() -> new Agent(model, TOOLS, 5).answer("ACME price?"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(spans).hasRootSpan("agent.run")
        .child("tool.call") // it failed before it knew its name
        .isError()
        .hasError(IllegalArgumentException.class)
        .hasErrorMessage("no tool named 'stocks'; known: [weather]")
        .event("exception").hasAttribute("exception.type", "java.lang.IllegalArgumentException");
  }
}
