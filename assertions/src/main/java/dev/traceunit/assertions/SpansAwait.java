package dev.traceunit.assertions;

import static dev.traceunit.core.internal.Quantities.millis;
import static dev.traceunit.assertions.TraceFailure.quote;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.constraint.AtMostWaitConstraint;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ExecutorLifecycle;
import org.awaitility.pollinterval.FixedPollInterval;

/**
 * Waits for spans that other threads record, polling snapshots with Awaitility. It waits in real
 * time: for work driven by a mock clock, advance the clock and then assert, no waiting needed.
 * Settings belong to this object only (Awaitility's JVM-wide defaults are neither read nor
 * changed), so tests running in parallel do not disturb each other.
 *
 * <pre>{@code
 * worker.submit(order);
 * RecordedSpan sent = TraceAssertions.await(spans)
 *     .atMost(Duration.ofSeconds(2))
 *     .untilSpanEnded("email.send");
 * }</pre>
 *
 * <p>A timeout fails with the trace at the last poll and the last assertion error. When nothing can
 * change any more (the collector has finished) it fails at once instead of waiting out the timeout.
 */
public final class SpansAwait {

  static final Duration DEFAULT_AT_MOST = Duration.ofSeconds(5);
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(20);

  private final Spans spans;
  private final Duration atMost;
  private final Duration pollInterval;

  SpansAwait(Spans spans) {
    this(Objects.requireNonNull(spans, "spans"), DEFAULT_AT_MOST, DEFAULT_POLL_INTERVAL);
  }

  private SpansAwait(Spans spans, Duration atMost, Duration pollInterval) {
    this.spans = spans;
    this.atMost = atMost;
    this.pollInterval = pollInterval;
  }

  /**
   * The longest to wait (default 5 s).
   *
   * @param timeout the longest to wait
   * @return this wait
   * @throws IllegalArgumentException unless the duration is positive
   */
  public SpansAwait atMost(Duration timeout) {
    return new SpansAwait(spans, positive("atMost", timeout), pollInterval);
  }

  /**
   * How long to wait between two looks at the spans (default 20 ms).
   *
   * @param interval the time between two looks
   * @return this wait
   * @throws IllegalArgumentException unless the duration is positive
   */
  public SpansAwait pollInterval(Duration interval) {
    return new SpansAwait(spans, atMost, positive("pollInterval", interval));
  }

  /**
   * Waits until a span with this name has ended and returns it (the first to start, if several have ended).
   *
   * @param name the span's name
   * @return the ended span
   */
  public RecordedSpan untilSpanEnded(String name) {
    Objects.requireNonNull(name, "name");
    return poll("a span named " + quote(name) + " to end", span -> span.name().equals(name),
        trace -> endedSpan(trace, name));
  }

  /**
   * Waits until a span with this name has ended and meets the requirements, and returns the span
   * that met them (the first to start, if several have ended). An ended span can still change (for
   * example {@code attributeIfAbsent} works after the end), so the requirements are checked again at
   * every poll until they hold, the timeout passes, or the collector has finished.
   *
   * <pre>{@code
   * await(spans).untilSpanEnded("email.send", sent -> sent.isOk().hasAttribute("to", "ada@example.com"));
   * }</pre>
   *
   * @param name the span's name
   * @param requirements the assertions the ended span must pass
   * @return the span that passed them
   */
  public RecordedSpan untilSpanEnded(String name, Consumer<SpanAssert> requirements) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requirements, "requirements");
    return poll("a span named " + quote(name) + " to end and meet the requirements",
        span -> span.name().equals(name), trace -> {
          RecordedSpan ended = endedSpan(trace, name);
          if (ended != null) {
            requirements.accept(SpanAssert.of(AssertState.of(trace, null), ended));
          }
          return ended;
        });
  }

  /**
   * Waits until at least this many spans have been recorded; returns the snapshot that had them.
   *
   * @param count how many spans to wait for
   * @return the snapshot with at least {@code count} spans
   */
  public Trace untilSpanCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be at least 0 but was " + count);
    }
    return poll("at least " + count + " spans", NONE, trace -> trace.size() >= count ? trace : null);
  }

  /**
   * Waits until the assertions pass on a fresh snapshot; returns when they do.
   *
   * <pre>{@code
   * await(spans).untilAsserted(trace -> trace.hasSpans("retry", 3).hasNoOpenSpans());
   * }</pre>
   *
   * @param assertions the assertions that must pass
   */
  public void untilAsserted(Consumer<SpansAssert> assertions) {
    Objects.requireNonNull(assertions, "assertions");
    poll("the assertions to pass", NONE, trace -> {
      assertions.accept(new SpansAssert(TraceAssertions.view(trace)));
      return trace;
    });
  }

  /** One look at a snapshot: a result when the wait is over, null to look again, or an assertion error. */
  private interface Attempt<T> {
    T tryOn(Trace trace);
  }

  /** What the polls saw; written by the polling thread, read after the wait. */
  private static final class LastPoll<T> {
    volatile Trace trace;
    volatile AssertionError error;
    volatile T result;
    volatile boolean frozen;
  }

  /** Marks no span: a failure shows the top of the tree. */
  private static final Predicate<RecordedSpan> NONE = span -> false;

  /** Polls until {@code attempt} gives a result; a failure shows the tree around the first {@code marked} span. */
  private <T> T poll(String waitingFor, Predicate<? super RecordedSpan> marked, Attempt<T> attempt) {
    LastPoll<T> last = new LastPoll<>();
    try {
      conditions().until(() -> {
        // Read before the snapshot: only then does "finished" mean this snapshot is the last word.
        boolean finished = cannotChange();
        Trace trace = spans.snapshot();
        last.trace = trace;
        try {
          last.result = attempt.tryOn(trace);
          last.error = null;
        } catch (AssertionError error) {
          last.error = error;
        }
        last.frozen = last.result == null && finished;
        return last.result != null || last.frozen;
      });
    } catch (ConditionTimeoutException timeout) {
      throw failure("Timed out after " + millis(atMost) + " waiting for " + waitingFor, last, marked);
    }
    if (last.result == null) {
      throw failure("Gave up waiting for " + waitingFor + ": the collector has finished recording, so nothing"
          + " will change any more", last, marked);
    }
    return last.result;
  }

  private ConditionFactory conditions() {
    // Built from scratch, not from Awaitility.await(), so no JVM-wide default applies.
    return new ConditionFactory(null, AtMostWaitConstraint.TEN_SECONDS, new FixedPollInterval(pollInterval),
        Duration.ZERO, false, error -> false, null,
        ExecutorLifecycle.withNormalCleanupBehavior(Executors::newSingleThreadExecutor), null)
        .atMost(atMost)
        .pollInSameThread();
  }

  private boolean cannotChange() {
    return spans instanceof SpanCollector && ((SpanCollector) spans).isFinished();
  }

  private static AssertionError failure(String headline, LastPoll<?> last, Predicate<? super RecordedSpan> marked) {
    StringBuilder message = new StringBuilder(headline);
    AssertionError error = last.error;
    String tree = last.trace == null ? "(no poll completed)\n" : TraceFailure.tree(last.trace, marked);
    if (error != null) {
      message.append("\nthe last attempt failed with:").append(indented(error.getMessage()));
    }
    if (error == null || !String.valueOf(error.getMessage()).contains("\nin:\ntrace ")) {
      message.append("\ntrace at the last poll:\n").append(tree);
    }
    AssertionError failure = new AssertionError(message.toString());
    if (error != null) {
      failure.initCause(error);
    }
    return failure;
  }

  private static String indented(String text) {
    return ("\n" + String.valueOf(text).strip()).replace("\n", "\n  ");
  }

  private static Duration positive(String setting, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be a positive duration but was " + value);
    }
    return value;
  }

  private static RecordedSpan endedSpan(Trace trace, String name) {
    for (RecordedSpan span : trace.named(name)) {
      if (span.ended()) {
        return span;
      }
    }
    return null;
  }
}
