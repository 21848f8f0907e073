package dev.traceunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs a check that must fail and hands over its message. */
final class Failures {

  private Failures() {}

  static String messageOf(ThrowingCallable check) {
    AssertionError error = catchThrowableOfType(AssertionError.class, check);
    assertThat(error).as("the check should have failed").isNotNull();
    return error.getMessage();
  }

  static AbstractStringAssert<?> failureOf(ThrowingCallable check) {
    return assertThat(messageOf(check));
  }

  /** The lines of the tree (after the last "in:") marked with ▶, without the marker and the tree guides. */
  static List<String> markedSpans(String message) {
    return message.substring(message.lastIndexOf("\nin:\n") + 1).lines().filter(line -> line.startsWith("▶"))
        .map(line -> line.substring(1).replaceAll("^[\\s│├└─]+", "").replaceAll("\\s+", " "))
        .collect(Collectors.toList());
  }

  /** Asserts the message shows the tree with exactly these spans marked, each given as "kind name +start". */
  static void assertMarked(String message, String... spans) {
    assertThat(message).contains("trace t-test · ");
    List<String> marked = markedSpans(message);
    assertThat(marked).hasSize(spans.length);
    for (int i = 0; i < spans.length; i++) {
      assertThat(marked.get(i)).startsWith(spans[i]);
    }
  }
}
