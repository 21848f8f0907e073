package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;

/**
 * Entry point for assertions over recorded spans. It does not extend AssertJ's {@code Assertions}:
 * static-import both {@code assertThat}s and the compiler picks this one for spans and traces.
 *
 * <pre>{@code
 * import static dev.traceunit.assertions.TraceAssertions.assertThat;
 * import static org.assertj.core.api.Assertions.assertThat;
 *
 * assertThat(spans).hasRootSpan("checkout").child("payment.call", 1).hasAttribute("attempt", 2);
 * assertThat(receipt.total()).isEqualTo(42);
 * }</pre>
 */
public final class TraceAssertions {

  private TraceAssertions() {}

  /**
   * {@return assertions on everything recorded so far; the first check takes a snapshot}
   *
   * @param actual the recorded spans
   */
  public static SpansAssert assertThat(Spans actual) {
    return new SpansAssert(actual);
  }

  /**
   * {@return assertions on a trace snapshot, e.g. one read back from a file}
   *
   * @param actual the trace
   */
  public static SpansAssert assertThat(Trace actual) {
    return new SpansAssert(view(actual));
  }

  /**
   * {@return assertions on one span seen on its own: it has no parent or children here} To navigate the
   * tree, start from {@code assertThat(spans)}.
   *
   * @param actual the span
   */
  public static SpanAssert assertThat(RecordedSpan actual) {
    return new SpanAssert(actual);
  }

  /**
   * {@link #assertThat(Spans)} for BDD style.
   *
   * @param actual the recorded spans
   * @return the assertions
   */
  public static SpansAssert then(Spans actual) {
    return assertThat(actual);
  }

  /**
   * {@link #assertThat(Trace)} for BDD style.
   *
   * @param actual the trace
   * @return the assertions
   */
  public static SpansAssert then(Trace actual) {
    return assertThat(actual);
  }

  /**
   * {@link #assertThat(RecordedSpan)} for BDD style.
   *
   * @param actual the span
   * @return the assertions
   */
  public static SpanAssert then(RecordedSpan actual) {
    return assertThat(actual);
  }

  /**
   * Waits, in real time, for spans recorded by other threads; see {@link SpansAwait}.
   *
   * <pre>{@code
   * RecordedSpan sent = TraceAssertions.await(spans).atMost(Duration.ofSeconds(2)).untilSpanEnded("email.send");
   * }</pre>
   *
   * @param spans the spans to wait for
   * @return the wait, to configure and start
   */
  public static SpansAwait await(Spans spans) {
    return new SpansAwait(spans);
  }

  /** A trace seen as {@link Spans} that never changes; null stays null so assertions can say so. */
  static Spans view(Trace trace) {
    return trace == null ? null : new FixedSpans(trace);
  }

  /** Spans that never change: a snapshot. */
  static final class FixedSpans implements Spans {
    private final Trace trace;

    FixedSpans(Trace trace) {
      this.trace = trace;
    }

    @Override
    public Trace snapshot() {
      return trace;
    }

    @Override
    public String toString() {
      return trace.render();
    }
  }
}
