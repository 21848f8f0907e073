package dev.traceunit.core;

import java.util.Locale;

/**
 * What role a span plays. The five constants map one-to-one to OpenTelemetry's span kinds; any
 * other kind is a name of your own, such as {@code SpanKind.of("llm_call")}.
 *
 * <pre>{@code
 * static final SpanKind LLM_CALL = SpanKind.of("llm_call");
 * try (SpanHandle call = Tracing.start(LLM_CALL, "chat")) { ... }
 * }</pre>
 */
public final class SpanKind {

  /** Work inside the application; the default. */
  public static final SpanKind INTERNAL = new SpanKind("internal");
  /** Handling of a request from outside. */
  public static final SpanKind SERVER = new SpanKind("server");
  /** A call out to another service. */
  public static final SpanKind CLIENT = new SpanKind("client");
  /** Sending a message to be handled later. */
  public static final SpanKind PRODUCER = new SpanKind("producer");
  /** Handling a message that was sent earlier. */
  public static final SpanKind CONSUMER = new SpanKind("consumer");

  /** What {@link #of} gives for a null or blank name; a span started with it records a problem. */
  static final SpanKind UNNAMED = new SpanKind("<unnamed>");

  private final String name;

  private SpanKind(String name) {
    this.name = name;
  }

  /**
   * {@return the kind with this name} The five standard names (any case) give the constants; anything else
   * is a custom kind, compared by its exact name. Never throws: for a null or blank name it gives a
   * kind that a span records as {@link #INTERNAL}, with an {@link ProblemCode#INVALID_NAME} problem.
   *
   * @param name a standard or custom kind's name
   */
  public static SpanKind of(String name) {
    if (name == null || name.isBlank()) {
      return UNNAMED;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "internal": return INTERNAL;
      case "server": return SERVER;
      case "client": return CLIENT;
      case "producer": return PRODUCER;
      case "consumer": return CONSUMER;
      default: return new SpanKind(name);
    }
  }

  /** {@return the kind's name: lower case for the standard kinds, as given for custom ones} */
  public String name() {
    return name;
  }

  /** {@return whether this is one of OpenTelemetry's five kinds} */
  public boolean isStandard() {
    return this == INTERNAL || this == SERVER || this == CLIENT || this == PRODUCER || this == CONSUMER;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpanKind && ((SpanKind) other).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
