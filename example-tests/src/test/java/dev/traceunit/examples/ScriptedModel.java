package dev.traceunit.examples;

import dev.traceunit.clock.MockClock;
import dev.traceunit.examples.Agent.Completion;
import dev.traceunit.examples.Agent.FirstTokenListener;
import dev.traceunit.examples.Agent.LanguageModel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A model that gives scripted completions, each taking {@code latency} of mock time. Like a
 * streaming provider, it reports the time to first token late: 50 ms after the call returned, and
 * again (a different figure) 100 ms after.
 */
final class ScriptedModel implements LanguageModel {

  private final MockClock clock;
  private final Duration latency;
  private final Deque<Completion> script;
  final List<String> modelsAsked = new ArrayList<>();

  ScriptedModel(MockClock clock, Duration latency, Completion... script) {
    this.clock = clock;
    this.latency = latency;
    this.script = new ArrayDeque<>(List.of(script));
  }

  @Override
  public Completion complete(String model, List<String> messages, FirstTokenListener firstToken) {
    modelsAsked.add(model);
    clock.advanceTime(latency);
    // The stream's first chunk reports the time to first token, and so, later, does the usage summary.
    clock.scheduler().schedule(() -> firstToken.firstTokenAfter(latency.toMillis() / 4), 50, TimeUnit.MILLISECONDS);
    clock.scheduler().schedule(() -> firstToken.firstTokenAfter(latency.toMillis()), 100, TimeUnit.MILLISECONDS);
    return script.removeFirst();
  }
}
