package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.util.Map;
import java.util.Objects;

/**
 * Something that went wrong while recording, kept with the trace instead of thrown at the code
 * under test.
 *
 * @param code stable name of the problem
 * @param message what happened, for people
 * @param spanId the span it concerns, or 0 when none
 * @param context details such as the key, the limit or the original length; insertion-ordered
 */
public record Problem(ProblemCode code, String message, long spanId, Map<String, Object> context) {

  /**
   * Checks that the code and message are given; the context is copied and frozen.
   *
   * @param code stable name of the problem
   * @param message what happened, for people
   * @param spanId the span it concerns, or 0 when none
   * @param context details such as the key, the limit or the original length; insertion-ordered
   */
  public Problem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    context = Values.freeze(context == null ? Map.of() : context);
  }

  @Override
  public String toString() {
    return code + "  " + message;
  }
}
