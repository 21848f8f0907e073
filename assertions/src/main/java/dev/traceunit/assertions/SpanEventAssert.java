package dev.traceunit.assertions;

import static dev.traceunit.core.internal.Quantities.millis;
import static dev.traceunit.assertions.TraceFailure.quote;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Redaction;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.Trace;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.data.Offset;

/**
 * Assertions on one event of a span, reached with {@link SpanAssert#event(String)} or
 * {@link SpanAssert#event(String, int)}. Failures name
 * the event and its span's path and show the trace with the span marked.
 *
 * <pre>{@code
 * assertThat(spans).hasSpan("payment.call")
 *     .event("retry.scheduled")
 *     .hasAttribute("delay", "2s")
 *     .hasOffset(Duration.ofMillis(120));
 * }</pre>
 *
 * <p>Attribute values compare as in {@link SpanAssert#hasAttribute(String, Object)}.
 */
public class SpanEventAssert extends AbstractAssert<SpanEventAssert, SpanEvent> {

  /** The trace, soft mode and description of the chain; set once, by {@link #of}, as in {@link SpanAssert}. */
  private AssertState state = AssertState.THROWING;
  /** The span the event belongs to; null for an event asserted on its own. */
  private RecordedSpan span;

  /**
   * Assertions on an event seen on its own.
   *
   * @param actual the event
   */
  public SpanEventAssert(SpanEvent actual) {
    super(actual, SpanEventAssert.class);
  }

  /** The assertions of {@code event} of {@code span} in a chain of this state: a soft proxy in soft mode. */
  static SpanEventAssert of(AssertState state, RecordedSpan span, SpanEvent event) {
    SoftAssertionsProvider soft = state.soft();
    SpanEventAssert created = soft == null ? new SpanEventAssert(event)
        : soft.proxy(SpanEventAssert.class, SpanEvent.class, event);
    created.state = state;
    created.span = span;
    return state.describe(created);
  }

  /**
   * Verifies the event's name.
   *
   * @param expected the name it must have
   * @return this assertion
   */
  public SpanEventAssert hasName(String expected) {
    if (!event().name().equals(expected)) {
      throw fail("to have name " + quote(expected), "its name was " + quote(actual.name()));
    }
    return myself;
  }

  /**
   * Verifies the event happened this long after its span started.
   *
   * @param expected the offset it must have
   * @return this assertion
   */
  public SpanEventAssert hasOffset(Duration expected) {
    Objects.requireNonNull(expected, "expected");
    if (!event().offset().equals(expected)) {
      throw fail("to happen at +" + millis(expected) + " after its span started",
          "it happened at +" + millis(actual.offset()));
    }
    return myself;
  }

  /**
   * Verifies the event has an attribute with this key, whatever its value.
   *
   * @param key the attribute's key
   * @return this assertion
   */
  public SpanEventAssert hasAttribute(String key) {
    if (!attributes().containsKey(key)) {
      throw fail("to have attribute " + show(key), AttributeValues.missing(attributes(), key, info.representation()));
    }
    return myself;
  }

  /**
   * Verifies an attribute's value; {@code 2} matches a stored {@code 2L} (see {@link SpanAssert#hasAttribute(String, Object)}).
   *
   * @param key the attribute's key
   * @param expected the value it must have
   * @return this assertion
   */
  public SpanEventAssert hasAttribute(String key, Object expected) {
    String mismatch = AttributeValues.mismatch(attributes(), key, expected, info.representation(), redaction());
    if (mismatch != null) {
      throw fail("to have attribute " + show(key) + " equal to " + show(redaction().mask(key, expected)), mismatch);
    }
    return myself;
  }

  /**
   * Verifies a numeric attribute is within the offset of the expected value.
   *
   * @param key the attribute's key
   * @param expected the value it must be close to
   * @param offset how far from {@code expected} it may be
   * @return this assertion
   */
  public SpanEventAssert hasAttributeCloseTo(String key, double expected, Offset<Double> offset) {
    Objects.requireNonNull(offset, "offset");
    String mismatch = AttributeValues.notCloseTo(attributes(), key, expected, offset, info.representation(),
        redaction());
    if (mismatch != null) {
      throw fail("to have attribute " + show(key) + " close to " + show(redaction().mask(key, expected)) + " within "
          + offset.value, mismatch);
    }
    return myself;
  }

  /**
   * Verifies the event has this attribute and its value passes the requirements.
   *
   * @param key the attribute's key
   * @param requirements the assertions its value must pass
   * @return this assertion
   */
  public SpanEventAssert hasAttributeSatisfying(String key, Consumer<Object> requirements) {
    Objects.requireNonNull(requirements, "requirements");
    hasAttribute(key);
    Object value = attributes().get(key);
    try {
      requirements.accept(value);
    } catch (AssertionError error) {
      throw fail("to have attribute " + show(key) + " satisfying the requirements",
          "its value " + show(redaction().mask(key, value)) + " did not:\n    " + (redaction().masks(key)
              ? "(its message is not shown: " + quote(key) + " is a secret key)" : SpanAssert.firstLines(error)));
    }
    return myself;
  }

  /**
   * Verifies the event has no attribute with this key.
   *
   * @param key the attribute's key
   * @return this assertion
   */
  public SpanEventAssert doesNotHaveAttribute(String key) {
    if (attributes().containsKey(key)) {
      throw fail("not to have attribute " + show(key), "it was " + show(redaction().mask(key, attributes().get(key))));
    }
    return myself;
  }

  /**
   * The event, after checking there is one: the first thing every check reads, so a dead chain
   * (actual null) fails there and the failure is dropped.
   */
  private SpanEvent event() {
    isNotNull();
    return actual;
  }

  private Map<String, Object> attributes() {
    return event().attributes();
  }

  private String show(Object value) {
    return info.representation().toStringOf(value);
  }

  /** Which values messages mask: the trace's rule, or the default one for an event seen on its own. */
  private Redaction redaction() {
    return state.trace() == null ? Redaction.defaults() : state.trace().redaction();
  }

  private AssertionError fail(String expecting, String found) {
    String subject = "event " + quote(actual.name()) + " at +" + millis(actual.offset());
    Trace trace = state.trace();
    String message = trace == null || span == null
        ? TraceFailure.message(subject, expecting, found, subject + " " + show(redaction().mask(actual.attributes())) + "\n")
        : TraceFailure.message(subject + " of span " + TraceFailure.path(trace, span), expecting, found,
            TraceFailure.tree(trace, span));
    return failure("%s", message);
  }
}
