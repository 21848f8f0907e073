package dev.traceunit.examples;

import dev.traceunit.core.Tracing;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The tools an {@link Agent} may call. The agent only knows it is calling "a tool"; the registry
 * knows which one, so it gives the current span its final name and details.
 */
public final class Tools {

  private final Map<String, UnaryOperator<String>> byName;

  public Tools(Map<String, UnaryOperator<String>> byName) {
    this.byName = Map.copyOf(byName);
  }

  public String run(String name, String argument) {
    UnaryOperator<String> tool = byName.get(name);
    if (tool == null) {
      throw new IllegalArgumentException("no tool named '" + name + "'; known: " + byName.keySet());
    }
    Tracing.current()
        .rename("tool." + name)
        .attribute("tool.name", name)
        .attribute("tool.argument", argument);
    return tool.apply(argument);
  }
}
