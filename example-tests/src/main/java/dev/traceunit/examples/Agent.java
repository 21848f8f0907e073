package dev.traceunit.examples;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool-using LLM agent: it routes the question to a model, then asks the model, runs the tool the
 * model wants, and asks again until the model answers. Every model call is an {@code llm_call}
 * span with the model, the token counts and the cost.
 */
public final class Agent {

  static final SpanKind LLM_CALL = SpanKind.of("llm_call");
  static final SpanKind TOOL = SpanKind.of("tool");

  /** The model provider. {@code firstToken} may be called late, even after {@code complete} returned. */
  public interface LanguageModel {
    Completion complete(String model, List<String> messages, FirstTokenListener firstToken);
  }

  /** Told the time to first token of a streamed completion. */
  @FunctionalInterface
  public interface FirstTokenListener {
    void firstTokenAfter(long millis);
  }

  /** A model's answer: final text, or a tool to call with its argument. */
  public record Completion(String text, String tool, String toolArgument, long inputTokens, long outputTokens) {

    public static Completion answer(String text, long inputTokens, long outputTokens) {
      return new Completion(text, null, null, inputTokens, outputTokens);
    }

    public static Completion toolCall(String tool, String argument, long inputTokens, long outputTokens) {
      return new Completion(null, tool, argument, inputTokens, outputTokens);
    }
  }

  private final LanguageModel model;
  private final Tools tools;
  private final int maxSteps;

  public Agent(LanguageModel model, Tools tools, int maxSteps) {
    this.model = model;
    this.tools = tools;
    this.maxSteps = maxSteps;
  }

  public String answer(String question) {
    try (SpanHandle run = Tracing.start("agent.run")) {
      run.attribute("question", question);
      String chosen = route(question);
      List<String> messages = new ArrayList<>(List.of(question));
      for (int step = 1; step <= maxSteps; step++) {
        Completion completion = callModel(chosen, messages);
        if (completion.tool() == null) {
          run.attribute("steps", step);
          return completion.text();
        }
        messages.add(Tracing.supply(TOOL, "tool.call", () -> tools.run(completion.tool(), completion.toolArgument())));
      }
      run.attribute("steps", maxSteps);
      return "I could not answer within " + maxSteps + " steps.";
    }
  }

  private static String route(String question) {
    boolean hard = question.length() > 80 || question.contains("why");
    String chosen = hard ? "large-2" : "small-1";
    Tracing.marker("model.routed", Map.of("model", chosen, "reason", hard ? "complex question" : "simple question"));
    return chosen;
  }

  private Completion callModel(String chosen, List<String> messages) {
    try (SpanHandle call = Tracing.start(LLM_CALL, "llm.chat")) {
      call.attribute("llm.model", chosen);
      Completion completion = model.complete(chosen, List.copyOf(messages),
          millis -> call.attributeIfAbsent("first_token_ms", millis)); // may arrive after the span ended
      call.attribute("llm.input_tokens", completion.inputTokens());
      call.attribute("llm.output_tokens", completion.outputTokens());
      call.attribute("llm.cost_usd", Pricing.costUsd(chosen, completion.inputTokens(), completion.outputTokens()));
      return completion;
    }
  }

  /** Prices per million tokens, in US dollars. */
  static final class Pricing {
    private static final Map<String, double[]> PER_MILLION = Map.of(
        "small-1", new double[] {0.50, 1.50},
        "large-2", new double[] {5.00, 15.00});

    private Pricing() {}

    static double costUsd(String model, long inputTokens, long outputTokens) {
      double[] price = PER_MILLION.get(model);
      return (inputTokens * price[0] + outputTokens * price[1]) / 1_000_000;
    }
  }
}
