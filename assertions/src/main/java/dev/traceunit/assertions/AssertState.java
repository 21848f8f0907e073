package dev.traceunit.assertions;

import dev.traceunit.core.Trace;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.api.WritableAssertionInfo;
import org.assertj.core.description.Description;
import org.assertj.core.presentation.Representation;

/**
 * What a chain of trace assertions carries from one assert to the next: the trace, where failures
 * go (thrown, or collected by soft assertions), and the description and representation the user
 * set. It never changes; navigation ({@code hasRootSpan}, {@code child}, {@code parent},
 * {@code event}, {@code spansNamed}…) takes the navigating assert's description and representation
 * into a copy and hands that copy to the assert it creates, as AssertJ hands its assertion info on.
 *
 * <p>A chain whose look-up failed under soft assertions goes on "dead": its asserts are soft
 * proxies of a collector nobody reads ({@link #dead()}), so the checks after the failed look-up run
 * on nothing, fail on the missing span and are dropped, and the look-up is reported once.
 */
final class AssertState {

  /** A chain that throws, outside any trace (a span or an event asserted on its own). */
  static final AssertState THROWING = new AssertState(null, null, null, null);

  /** The trace of the spans, or null for spans and events seen on their own. */
  private final Trace trace;
  /** The soft assertions collecting failures, or null when failures are thrown. */
  private final SoftAssertionsProvider soft;
  /** The description the user set with {@code as(...)}, or null. */
  private final Description description;
  /** The representation the user set, or null for AssertJ's default. */
  private final Representation representation;

  private AssertState(Trace trace, SoftAssertionsProvider soft, Description description,
      Representation representation) {
    this.trace = trace;
    this.soft = soft;
    this.description = description;
    this.representation = representation;
  }

  /** The start of a chain on this trace, throwing or collected by {@code soft} (null to throw). */
  static AssertState of(Trace trace, SoftAssertionsProvider soft) {
    return new AssertState(trace, soft, null, null);
  }

  Trace trace() {
    return trace;
  }

  SoftAssertionsProvider soft() {
    return soft;
  }

  AssertState withTrace(Trace trace) {
    return new AssertState(trace, soft, description, representation);
  }

  /** This state with the description and representation an assert holds now, to hand on to the next. */
  AssertState from(WritableAssertionInfo info) {
    Description described = info.description();
    boolean hasDescription = described != null && !described.value().isEmpty();
    return new AssertState(trace, soft, hasDescription ? described : description, info.representation());
  }

  /** This state throwing its failures, for the asserts of a requirement checked inside a check. */
  AssertState throwing() {
    return new AssertState(trace, null, description, representation);
  }

  /** This state with this description (null for none), keeping the rest. */
  AssertState describedAs(Description described) {
    return new AssertState(trace, soft, described, representation);
  }

  /** The description the user set, or null. */
  Description description() {
    return description;
  }

  /** The state of a chain after a failed look-up under soft assertions: its failures go nowhere. */
  AssertState dead() {
    return new AssertState(trace, new Unread(), description, representation);
  }

  /** Gives a newly created assert this state's description and representation; returns it. */
  <A extends AbstractAssert<?, ?>> A describe(A created) {
    if (description != null) {
      created.info.description(description);
    }
    if (representation != null) {
      created.info.useRepresentation(representation);
    }
    return created;
  }

  /**
   * Hands a failed look-up's error on: thrown, or collected by the soft assertions. In soft mode the
   * caller then returns an assert of {@link #dead()}.
   */
  void lookUpFailed(AssertionError error) {
    if (soft == null) {
      throw error;
    }
    soft.collectAssertionError(error);
  }

  /** The soft assertions of a dead chain: what they collect is never read. */
  private static final class Unread extends AbstractSoftAssertions {}
}
