package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.api.StandardSoftAssertionsProvider;

/**
 * Soft assertions: every failure is collected and reported together by {@code assertAll()}. Besides
 * AssertJ's own {@code assertThat} methods it has those of {@link TraceAssertions}; navigation
 * ({@code hasRootSpan}, {@code child}, {@code event}…) stays soft, and checks after a failed
 * navigation are skipped rather than reported again. A description set with {@code as(...)} heads
 * every collected failure of the chain after it.
 *
 * <pre>{@code
 * TraceSoftAssertions.assertSoftly(softly -> {
 *   softly.assertThat(spans).hasSpan("checkout").isOk();
 *   softly.assertThat(spans).hasSpans("payment.call", 2);
 * });
 * }</pre>
 *
 * <p>With JUnit, {@code @ExtendWith(SoftAssertionsExtension.class)} and a
 * {@code @InjectSoftAssertions TraceSoftAssertions softly} field work as for AssertJ's own.
 */
public class TraceSoftAssertions extends AbstractSoftAssertions implements StandardSoftAssertionsProvider {

  /** Soft assertions with no error collected yet. */
  public TraceSoftAssertions() {}

  /**
   * {@return soft assertions on everything recorded so far}
   *
   * @param actual the recorded spans
   */
  public SpansAssert assertThat(Spans actual) {
    return SpansAssert.softly(this, actual);
  }

  /**
   * {@return soft assertions on a trace snapshot}
   *
   * @param actual the trace
   */
  public SpansAssert assertThat(Trace actual) {
    return assertThat(TraceAssertions.view(actual));
  }

  /**
   * {@return soft assertions on one span seen on its own}
   *
   * @param actual the span
   */
  public SpanAssert assertThat(RecordedSpan actual) {
    return SpanAssert.of(AssertState.of(null, this), actual);
  }

  /**
   * Runs the assertions softly and fails with every collected error at the end.
   *
   * @param assertions the assertions to run softly
   */
  public static void assertSoftly(Consumer<TraceSoftAssertions> assertions) {
    SoftAssertionsProvider.assertSoftly(TraceSoftAssertions.class, assertions);
  }
}
