package dev.traceunit.assertions;

import static dev.traceunit.assertions.TraceFailure.found;
import static dev.traceunit.core.internal.Quantities.millis;
import static dev.traceunit.assertions.TraceFailure.quote;

import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Redaction;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Trace;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.data.Offset;

/**
 * Assertions on one recorded span and navigation to its relatives. Every failure names the span by
 * its path ({@code checkout > payment.call[1]}) and shows the trace with the span marked by
 * {@code ▶}.
 *
 * <pre>{@code
 * assertThat(spans).hasRootSpan("checkout")
 *     .hasChildrenNamed("payment.call", "payment.call")
 *     .child("payment.call", 1)
 *     .hasAttribute("attempt", 2)
 *     .hasDuration(Duration.ofMillis(120));
 * }</pre>
 *
 * <p>Reached through {@link SpansAssert} it knows the whole trace; created from a lone
 * {@link RecordedSpan} it sees a trace of that span only, so it has no parent or children.
 * Navigation hands on the chain's description and soft mode: after
 * {@code assertThat(spans).as("checkout flow")}, a failure of any span or event reached from there
 * starts with {@code [checkout flow]}.
 */
public class SpanAssert extends AbstractAssert<SpanAssert, RecordedSpan> {

  /**
   * The trace, soft mode and description of the chain. Set once, by {@link #of}: AssertJ's soft
   * proxies build asserts through the public constructor only.
   */
  private AssertState state = AssertState.THROWING;

  /**
   * Assertions on a span seen on its own (no parent, no children).
   *
   * @param actual the span
   */
  public SpanAssert(RecordedSpan actual) {
    super(actual, SpanAssert.class);
  }

  /** The assertions of {@code span} in a chain of this state: a soft proxy in soft mode. */
  static SpanAssert of(AssertState state, RecordedSpan span) {
    SoftAssertionsProvider soft = state.soft();
    SpanAssert created = soft == null ? new SpanAssert(span) : soft.proxy(SpanAssert.class, RecordedSpan.class, span);
    created.state = state;
    return state.describe(created);
  }

  // ---- identity and place in the tree

  /**
   * Verifies the span's name.
   *
   * @param expected the name it must have
   * @return this assertion
   */
  public SpanAssert hasName(String expected) {
    if (!span().name().equals(expected)) {
      throw fail("to have name " + quote(expected), "its name was " + quote(actual.name()), actual.name(), expected);
    }
    return myself;
  }

  /**
   * Verifies the span's kind, e.g. {@code SpanKind.CLIENT} or {@code SpanKind.of("llm_call")}.
   *
   * @param expected the kind it must have
   * @return this assertion
   */
  public SpanAssert hasKind(SpanKind expected) {
    if (!span().kind().equals(expected)) {
      throw fail("to have kind " + expected, "its kind was " + actual.kind(), actual.kind(), expected);
    }
    return myself;
  }

  /**
   * Verifies the span has no parent.
   *
   * @return this assertion
   */
  public SpanAssert isRoot() {
    Optional<RecordedSpan> parent = trace().parent(span());
    if (parent.isPresent() || !actual.isRoot()) {
      throw fail("to be a root span", parent.map(p -> "its parent is " + TraceFailure.path(trace(), p)).orElse(noParent()));
    }
    return myself;
  }

  /**
   * Verifies the span's parent has this name.
   *
   * @param name the parent's name
   * @return this assertion
   */
  public SpanAssert hasParent(String name) {
    Optional<RecordedSpan> parent = trace().parent(span());
    if (parent.isEmpty()) {
      throw fail("to have a parent named " + quote(name), noParent());
    }
    if (!parent.get().name().equals(name)) {
      throw fail("to have a parent named " + quote(name), "its parent is " + TraceFailure.path(trace(), parent.get()));
    }
    return myself;
  }

  /** {@return the parent's assertions} Fails if the span is a root. */
  public SpanAssert parent() {
    Optional<RecordedSpan> parent = trace().parent(span());
    if (parent.isEmpty()) {
      return cannotNavigate("to have a parent", noParent());
    }
    return of(handOn(), parent.get());
  }

  /** Why a span has no parent in the trace: it is a root, or (seen on its own) its parent is elsewhere. */
  private String noParent() {
    return actual.isRoot() ? "it is a root span" : "its parent (span " + actual.parentId() + ") is not in the trace";
  }

  /**
   * Verifies the span has at least one child with this name; stays on this span.
   *
   * @param name the child's name
   * @return this assertion
   */
  public SpanAssert hasChild(String name) {
    if (childrenNamed(name).isEmpty()) {
      throw fail("to have a child named " + quote(name), childNames());
    }
    return myself;
  }

  /**
   * {@return the assertions of the only child with this name} Fails if there is none or several; pick one of
   * several with {@link #child(String, int)}.
   *
   * @param name the child's name
   */
  public SpanAssert child(String name) {
    List<RecordedSpan> matches = childrenNamed(name);
    if (matches.size() == 1) {
      return of(handOn(), matches.get(0));
    }
    if (matches.isEmpty()) {
      return cannotNavigate("to have a child named " + quote(name), childNames());
    }
    return cannotNavigate("to have exactly one child named " + quote(name),
        found(trace(), matches, "children named " + quote(name))
            + "\n  pick one with child(" + quote(name) + ", index)");
  }

  /**
   * {@return the assertions of the child with this name at this index among same-named children, in start
   * order; {@code child("payment.call", 1)} is the path {@code ... > payment.call[1]}}
   *
   * @param name the child's name
   * @param index its index among children of that name, from 0
   * @throws IllegalArgumentException if the index is negative
   */
  public SpanAssert child(String name, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be at least 0 but was " + index);
    }
    List<RecordedSpan> matches = childrenNamed(name);
    if (index < matches.size()) {
      return of(handOn(), matches.get(index));
    }
    String expecting = "to have a child named " + quote(name) + " at index " + index;
    return cannotNavigate(expecting, matches.isEmpty() ? childNames()
        : found(trace(), matches, "children named " + quote(name)));
  }

  /**
   * Verifies the names of all children, exactly and in start order.
   *
   * @param names the children's names, in start order
   * @return this assertion
   */
  public SpanAssert hasChildrenNamed(String... names) {
    List<String> expected = Arrays.asList(names);
    List<String> children = trace().children(span()).stream().map(RecordedSpan::name).collect(Collectors.toList());
    if (!children.equals(expected)) {
      throw fail("to have children named " + show(expected) + " in start order",
          "its children were " + show(children), children, expected);
    }
    return myself;
  }

  /**
   * Verifies that a child with this name satisfies the requirements; with several such children,
   * one of them must.
   *
   * <pre>{@code
   * assertThat(spans).hasRootSpan("checkout")
   *     .hasChildSatisfying("payment.call", call -> call.isOk().hasAttribute("attempt", 2));
   * }</pre>
   *
   * @param name the child's name
   * @param requirements the assertions the child must pass
   * @return this assertion
   */
  public SpanAssert hasChildSatisfying(String name, Consumer<SpanAssert> requirements) {
    Objects.requireNonNull(requirements, "requirements");
    List<RecordedSpan> matches = childrenNamed(name);
    if (matches.isEmpty()) {
      throw fail("to have a child named " + quote(name) + " satisfying the requirements", childNames());
    }
    // Each child is checked by a throwing assert; a summary of several drops their description.
    AssertState each = matches.size() == 1 ? handOn().throwing() : handOn().throwing().describedAs(null);
    List<String> failures = new ArrayList<>();
    for (RecordedSpan child : matches) {
      try {
        requirements.accept(of(each, child));
        return myself;
      } catch (AssertionError error) {
        if (matches.size() == 1) {
          throw error;
        }
        failures.add(TraceFailure.path(trace(), child) + ": " + firstLines(error));
      }
    }
    throw fail("to have a child named " + quote(name) + " satisfying the requirements",
        "none of the " + matches.size() + " children named " + quote(name) + " did:\n    "
            + String.join("\n    ", failures));
  }

  /**
   * Verifies this span and everything below it match the test's snapshot file, as {@link
   * SpansAssert#matchesSnapshot()} does for a whole trace (the subtree has no problems section).
   *
   * <pre>{@code
   * assertThat(spans).hasRootSpan("agent.run").child("tool.call").matchesSnapshot(Snapshot.named("tool"));
   * }</pre>
   *
   * @return this assertion
   */
  public SpanAssert matchesSnapshot() {
    return matchesSnapshot(Snapshot.of());
  }

  /**
   * Verifies this span's subtree matches a snapshot, named and compared as {@code snapshot} says.
   *
   * @param snapshot which snapshot and how to compare
   * @return this assertion
   */
  public SpanAssert matchesSnapshot(Snapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    SnapshotCheck.Outcome outcome = SnapshotCheck.ofSubtree(trace(), span(), snapshot);
    if (!outcome.passed()) {
      throw failureWithActualExpected(outcome.actual(), outcome.expected(), "%s", outcome.message());
    }
    return myself;
  }

  /**
   * Verifies a span with this name is somewhere below this one.
   *
   * @param name the descendant's name
   * @return this assertion
   */
  public SpanAssert hasDescendant(String name) {
    Deque<RecordedSpan> todo = new ArrayDeque<>(trace().children(span()));
    while (!todo.isEmpty()) {
      RecordedSpan next = todo.pop();
      if (next.name().equals(name)) {
        return myself;
      }
      todo.addAll(trace().children(next));
    }
    throw fail("to have a descendant named " + quote(name), "no span below it has that name");
  }

  // ---- attributes

  /**
   * Verifies the span has an attribute with this key, whatever its value.
   *
   * @param key the attribute's key
   * @return this assertion
   */
  public SpanAssert hasAttribute(String key) {
    if (!span().attributes().containsKey(key)) {
      throw fail("to have attribute " + show(key), AttributeValues.missing(actual.attributes(), key, representation()));
    }
    return myself;
  }

  /**
   * Verifies an attribute's value, comparing the way values are stored: {@code hasAttribute("attempt", 2)}
   * matches a stored {@code 2L}, a float matches its stored double, a list or array matches a stored
   * list. Numbers of different kinds never match ({@code 2} is not {@code 2.0}); use
   * {@link #hasAttributeCloseTo} for a tolerance.
   *
   * @param key the attribute's key
   * @param expected the value it must have
   * @return this assertion
   */
  public SpanAssert hasAttribute(String key, Object expected) {
    String mismatch = AttributeValues.mismatch(span().attributes(), key, expected, representation(), redaction());
    if (mismatch != null) {
      throw fail("to have attribute " + show(key) + " equal to " + show(visible(key, expected)), mismatch,
          visible(key, actual.attributes().get(key)), visible(key, AttributeValues.normalize(expected)));
    }
    return myself;
  }

  /**
   * Verifies a numeric attribute is within the offset of the expected value, e.g. {@code within(0.01)}.
   *
   * @param key the attribute's key
   * @param expected the value it must be close to
   * @param offset how far from {@code expected} it may be
   * @return this assertion
   */
  public SpanAssert hasAttributeCloseTo(String key, double expected, Offset<Double> offset) {
    Objects.requireNonNull(offset, "offset");
    String mismatch = AttributeValues.notCloseTo(span().attributes(), key, expected, offset, representation(),
        redaction());
    if (mismatch != null) {
      throw fail("to have attribute " + show(key) + " close to " + show(visible(key, expected)) + " within "
          + offset.value, mismatch);
    }
    return myself;
  }

  /**
   * Verifies the span has this attribute and its value passes the requirements.
   *
   * @param key the attribute's key
   * @param requirements the assertions its value must pass
   * @return this assertion
   */
  public SpanAssert hasAttributeSatisfying(String key, Consumer<Object> requirements) {
    Objects.requireNonNull(requirements, "requirements");
    hasAttribute(key);
    Object value = actual.attributes().get(key);
    try {
      requirements.accept(value);
    } catch (AssertionError error) {
      throw fail("to have attribute " + show(key) + " satisfying the requirements",
          "its value " + show(visible(key, value)) + " did not:\n    " + failureOf(key, error));
    }
    return myself;
  }

  /**
   * Verifies the span has no attribute with this key.
   *
   * @param key the attribute's key
   * @return this assertion
   */
  public SpanAssert doesNotHaveAttribute(String key) {
    if (span().attributes().containsKey(key)) {
      throw fail("not to have attribute " + show(key), "it was " + show(visible(key, actual.attributes().get(key))));
    }
    return myself;
  }

  // ---- events

  /**
   * Verifies the span has at least one event with this name.
   *
   * @param name the event's name
   * @return this assertion
   */
  public SpanAssert hasEvent(String name) {
    if (eventsNamed(name).isEmpty()) {
      throw fail("to have an event named " + quote(name), eventNames());
    }
    return myself;
  }

  /**
   * Verifies the names of all the span's events, exactly and in the order they were recorded.
   *
   * @param names the events' names, in recording order
   * @return this assertion
   */
  public SpanAssert hasEventsNamed(String... names) {
    List<String> expected = Arrays.asList(names);
    List<String> events = span().events().stream().map(SpanEvent::name).collect(Collectors.toList());
    if (!events.equals(expected)) {
      throw fail("to have events named " + show(expected) + " in this order",
          "its events were " + show(events), events, expected);
    }
    return myself;
  }

  /**
   * Verifies the span has no events.
   *
   * @return this assertion
   */
  public SpanAssert hasNoEvents() {
    if (!span().events().isEmpty()) {
      throw fail("to have no events", eventNames());
    }
    return myself;
  }

  /**
   * {@return the assertions of the only event with this name} Fails if there is none or several; pick
   * one of several with {@link #event(String, int)}.
   *
   * @param name the event's name
   */
  public SpanEventAssert event(String name) {
    if (!hasSpanForEvents()) {
      return SpanEventAssert.of(state.dead(), null, null);
    }
    List<SpanEvent> matches = eventsNamed(name);
    if (matches.size() == 1) {
      return SpanEventAssert.of(handOn(), actual, matches.get(0));
    }
    return cannotReachEvent("to have exactly one event named " + quote(name),
        matches.isEmpty() ? eventNames() : eventOffsets(matches));
  }

  /**
   * {@return the assertions of the event with this name at this index among same-named events, in the order
   * they were recorded, as {@link #child(String, int)} picks a child}
   *
   * <pre>{@code
   * assertThat(spans).hasSpan("poll").event("tick", 1).hasOffset(Duration.ofMillis(5));
   * }</pre>
   *
   * @param name the event's name
   * @param index its index among events of that name, from 0
   * @throws IllegalArgumentException if the index is negative
   */
  public SpanEventAssert event(String name, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be at least 0 but was " + index);
    }
    if (!hasSpanForEvents()) {
      return SpanEventAssert.of(state.dead(), null, null);
    }
    List<SpanEvent> matches = eventsNamed(name);
    if (index < matches.size()) {
      return SpanEventAssert.of(handOn(), actual, matches.get(index));
    }
    return cannotReachEvent("to have an event named " + quote(name) + " at index " + index,
        matches.isEmpty() ? eventNames() : eventOffsets(matches));
  }

  /**
   * Whether there is a span to look events up in. Without one (a dead chain, or a null span) the
   * failure goes where this chain's failures go and the caller returns a dead event assert: a soft
   * proxy cannot hand this span assert back where an event assert is expected.
   */
  private boolean hasSpanForEvents() {
    try {
      isNotNull();
      return true;
    } catch (AssertionError error) {
      state.lookUpFailed(error);
      return false;
    }
  }

  private static String eventOffsets(List<SpanEvent> matches) {
    return "found " + matches.size() + ", at offsets " + matches.stream().map(e -> "+" + millis(e.offset()))
        .collect(Collectors.joining(", "));
  }

  private SpanEventAssert cannotReachEvent(String expecting, String found) {
    state.lookUpFailed(fail(expecting, found));
    return SpanEventAssert.of(state.dead(), null, null);
  }

  // ---- time

  /**
   * Verifies the span ended after exactly this duration.
   *
   * @param expected the duration it must have
   * @return this assertion
   */
  public SpanAssert hasDuration(Duration expected) {
    Objects.requireNonNull(expected, "expected");
    requireEnded("to have duration " + millis(expected));
    if (!actual.duration().equals(expected)) {
      throw fail("to have duration " + millis(expected), "it took " + millis(actual.duration()),
          actual.duration(), expected);
    }
    return myself;
  }

  /**
   * Verifies the span ended after a duration from {@code min} to {@code max}, both included.
   *
   * @param min the shortest allowed duration
   * @param max the longest allowed duration
   * @return this assertion
   */
  public SpanAssert hasDurationBetween(Duration min, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("min must not be greater than max but min was " + millis(min)
          + " and max " + millis(max));
    }
    String expecting = "to have a duration from " + millis(min) + " to " + millis(max);
    requireEnded(expecting);
    if (actual.duration().compareTo(min) < 0 || actual.duration().compareTo(max) > 0) {
      throw fail(expecting, "it took " + millis(actual.duration()));
    }
    return myself;
  }

  /**
   * Verifies the span started at this offset since the collector's epoch (the test's start).
   *
   * @param offset the start offset it must have
   * @return this assertion
   */
  public SpanAssert startedAt(Duration offset) {
    Objects.requireNonNull(offset, "offset");
    if (!span().startOffset().equals(offset)) {
      throw fail("to start at +" + millis(offset), "it started at +" + millis(actual.startOffset()),
          actual.startOffset(), offset);
    }
    return myself;
  }

  /**
   * Verifies the span comes before the only span with this name in start order: an earlier start
   * offset or, at the same instant (usual under a mock clock), a lower span id (ids are handed out
   * in the order spans start).
   *
   * @param name the other span's name
   * @return this assertion
   */
  public SpanAssert startedBefore(String name) {
    return startedRelativeTo(name, true);
  }

  /**
   * Verifies the span comes after the only span with this name in start order; see {@link #startedBefore}.
   *
   * @param name the other span's name
   * @return this assertion
   */
  public SpanAssert startedAfter(String name) {
    return startedRelativeTo(name, false);
  }

  /**
   * Verifies the span ran at the same time as the only span with this name: each started before
   * the other ended (an open span lasts until the snapshot). For work that must run in parallel.
   *
   * <pre>{@code
   * assertThat(spans).hasSpan("inventory.reserve").overlaps("shipping.quote");
   * }</pre>
   *
   * @param name the other span's name
   * @return this assertion
   */
  public SpanAssert overlaps(String name) {
    String expecting = "to overlap in time with the span named " + quote(name);
    List<RecordedSpan> others = trace().named(name);
    if (others.size() != 1) {
      throw fail(expecting + " (exactly one such span)", found(trace(), others, "spans named " + quote(name)));
    }
    RecordedSpan other = others.get(0);
    boolean overlap = actual.startOffset().compareTo(other.endOffset()) < 0
        && other.startOffset().compareTo(actual.endOffset()) < 0;
    if (!overlap) {
      throw fail(expecting, "it ran from +" + millis(actual.startOffset()) + " to +" + millis(actual.endOffset())
          + " and " + TraceFailure.path(trace(), other) + " from +" + millis(other.startOffset()) + " to +"
          + millis(other.endOffset()));
    }
    return myself;
  }

  private SpanAssert startedRelativeTo(String name, boolean before) {
    String expecting = "to start " + (before ? "before" : "after") + " the span named " + quote(name);
    List<RecordedSpan> others = trace().named(name);
    if (others.size() != 1) {
      throw fail(expecting + " (exactly one such span)", found(trace(), others, "spans named " + quote(name)));
    }
    RecordedSpan other = others.get(0);
    int order = span().startOffset().compareTo(other.startOffset());
    if (order == 0) {
      order = Long.compare(actual.spanId(), other.spanId());
    }
    if (before ? order >= 0 : order <= 0) {
      throw fail(expecting, "it started at +" + millis(actual.startOffset()) + " (span " + actual.spanId()
          + ") and " + TraceFailure.path(trace(), other) + " at +" + millis(other.startOffset()) + " (span " + other.spanId() + ")");
    }
    return myself;
  }

  // ---- outcome

  /**
   * Verifies the span is a marker: a zero-duration point recorded with {@code Tracing.marker}.
   *
   * @return this assertion
   */
  public SpanAssert isMarker() {
    if (!span().marker()) {
      throw fail("to be a marker", "it is an ordinary span");
    }
    return myself;
  }

  /**
   * Verifies the span has ended.
   *
   * @return this assertion
   */
  public SpanAssert isEnded() {
    if (!span().ended()) {
      throw fail("to have ended", "it is still open");
    }
    return myself;
  }

  /**
   * Verifies the span is still open.
   *
   * @return this assertion
   */
  public SpanAssert isOpen() {
    if (span().ended()) {
      throw fail("to be open", "it ended after " + millis(actual.duration()));
    }
    return myself;
  }

  /**
   * Verifies the span did not fail: its status is not {@link SpanStatus#ERROR} ({@code UNSET}, the
   * usual status of a successful span, counts as ok). For an explicit {@code OK} use
   * {@link #hasStatus(SpanStatus)}.
   *
   * @return this assertion
   */
  public SpanAssert isOk() {
    if (span().status() == SpanStatus.ERROR) {
      throw fail("to be ok (status not ERROR)", "its status was ERROR" + errorText(actual.error()));
    }
    return myself;
  }

  /**
   * Verifies the span's status exactly.
   *
   * @param expected the status it must have
   * @return this assertion
   */
  public SpanAssert hasStatus(SpanStatus expected) {
    if (span().status() != expected) {
      throw fail("to have status " + expected, "its status was " + actual.status(), actual.status(), expected);
    }
    return myself;
  }

  /**
   * Verifies the span failed: its status is {@link SpanStatus#ERROR}.
   *
   * @return this assertion
   */
  public SpanAssert isError() {
    if (span().status() != SpanStatus.ERROR) {
      throw fail("to have status ERROR", "its status was " + actual.status());
    }
    return myself;
  }

  /**
   * Verifies the span recorded an exception of this type or a subtype.
   *
   * @param type the exception's type
   * @return this assertion
   */
  public SpanAssert hasError(Class<? extends Throwable> type) {
    Objects.requireNonNull(type, "type");
    ErrorInfo error = span().error();
    String expecting = "to have recorded an exception of type " + type.getName();
    if (error == null) {
      throw fail(expecting, "it recorded no exception (status " + actual.status() + ")");
    }
    if (!isOfType(error.type(), type)) {
      throw fail(expecting, "it recorded " + error.type() + (error.message() == null ? "" : ": " + error.message()));
    }
    return myself;
  }

  /**
   * Verifies the message of the exception recorded on the span.
   *
   * @param expected the message it must have
   * @return this assertion
   */
  public SpanAssert hasErrorMessage(String expected) {
    ErrorInfo error = span().error();
    String expecting = "to have recorded an exception with message " + show(redaction().scrub(expected, trace()));
    if (error == null) {
      throw fail(expecting, "it recorded no exception (status " + actual.status() + ")");
    }
    if (!Objects.equals(error.message(), expected)) {
      // Free text: a value masked elsewhere in the trace is masked here too.
      String shown = redaction().scrub(error.message(), trace());
      throw fail(expecting, "the message was " + show(shown), shown, redaction().scrub(expected, trace()));
    }
    return myself;
  }

  /**
   * Verifies the span links to the span with this name in the same trace.
   *
   * @param name the linked span's name
   * @return this assertion
   */
  public SpanAssert hasLinkTo(String name) {
    for (SpanLink link : span().links()) {
      if (link.traceId().equals(trace().traceId())) {
        Optional<RecordedSpan> target = trace().byId(link.spanId());
        if (target.isPresent() && target.get().name().equals(name)) {
          return myself;
        }
      }
    }
    throw fail("to link to a span named " + quote(name), linkTargets());
  }

  /**
   * Verifies the name of the thread that started the span.
   *
   * @param threadName the thread's name
   * @return this assertion
   */
  public SpanAssert ranOnThread(String threadName) {
    if (!span().threadName().equals(threadName)) {
      throw fail("to have started on thread " + quote(threadName), "it started on " + quote(actual.threadName()),
          actual.threadName(), threadName);
    }
    return myself;
  }

  // ---- internals

  /** The trace of the span; for a span asserted on its own, a trace of that span only. */
  Trace trace() {
    isNotNull();
    if (state.trace() == null) {
      state = state.withTrace(Trace.of(actual.traceId(), List.of(actual), List.of(), 0));
    }
    return state.trace();
  }

  /**
   * The span, after checking there is one: the first thing every check reads, so a dead chain
   * (actual null) fails there and the failure is dropped.
   */
  private RecordedSpan span() {
    isNotNull();
    return actual;
  }

  /** What the next assert of the chain gets: this chain's state with this assert's description. */
  private AssertState handOn() {
    return state.from(info);
  }

  private String show(Object value) {
    return representation().toStringOf(value);
  }

  /** A value as a message may show it: masked if its key is secret, by the trace's redaction. */
  private Object visible(String key, Object value) {
    return redaction().mask(key, value);
  }

  private Redaction redaction() {
    return trace().redaction();
  }

  /** The first lines of a failed requirement, unless they would show a secret value. */
  private String failureOf(String key, AssertionError error) {
    return redaction().masks(key) ? "(its message is not shown: " + quote(key) + " is a secret key)"
        : firstLines(error);
  }

  private org.assertj.core.presentation.Representation representation() {
    return info.representation();
  }

  private AssertionError fail(String expecting, String found) {
    return failure("%s", TraceFailure.aboutSpan(trace(), actual, expecting, found));
  }

  private AssertionError fail(String expecting, String found, Object actualValue, Object expectedValue) {
    return failureWithActualExpected(actualValue, expectedValue, "%s",
        TraceFailure.aboutSpan(trace(), actual, expecting, found));
  }

  private SpanAssert cannotNavigate(String expecting, String found) {
    return lookUpFailed(handOn(), fail(expecting, found));
  }

  /**
   * After a failed look-up: the error is thrown or, in soft mode, collected, and the returned
   * assert is dead: its checks fail on the missing span and go nowhere (no second failure about
   * the same look-up).
   */
  static SpanAssert lookUpFailed(AssertState state, AssertionError error) {
    state.lookUpFailed(error);
    return of(state.dead(), null);
  }

  private void requireEnded(String expecting) {
    if (!span().ended()) {
      throw fail(expecting, "it is still open (" + millis(actual.duration()) + " so far)");
    }
  }

  private List<RecordedSpan> childrenNamed(String name) {
    return trace().children(span()).stream().filter(c -> c.name().equals(name)).collect(Collectors.toList());
  }

  private String childNames() {
    List<RecordedSpan> children = trace().children(span());
    return children.isEmpty() ? "it has no children"
        : "its children were " + show(children.stream().map(RecordedSpan::name).collect(Collectors.toList()));
  }

  private List<SpanEvent> eventsNamed(String name) {
    return span().events().stream().filter(e -> e.name().equals(name)).collect(Collectors.toList());
  }

  private String eventNames() {
    return actual.events().isEmpty() ? "it has no events"
        : "its events are " + show(actual.events().stream().map(SpanEvent::name).collect(Collectors.toList()));
  }

  private String linkTargets() {
    if (actual.links().isEmpty()) {
      return "it has no links";
    }
    List<String> targets = new ArrayList<>();
    for (SpanLink link : actual.links()) {
      Optional<RecordedSpan> target = link.traceId().equals(trace().traceId()) ? trace().byId(link.spanId())
          : Optional.empty();
      targets.add(target.map(t -> TraceFailure.path(trace(), t) + " (span " + t.spanId() + ")")
          .orElse("span " + link.spanId() + " of trace " + link.traceId() + ", not in this trace"));
    }
    return "it links to:" + lines(targets);
  }

  private static String lines(List<String> lines) {
    return lines.stream().map(line -> "\n    " + line).collect(Collectors.joining());
  }

  private static String errorText(ErrorInfo error) {
    return error == null ? "" : " with " + error.simpleType() + (error.message() == null ? "" : ": " + error.message());
  }

  private static boolean isOfType(String recorded, Class<? extends Throwable> type) {
    if (recorded.equals(type.getName())) {
      return true;
    }
    try {
      return type.isAssignableFrom(Class.forName(recorded, false, type.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The head of another assertion's message, for a summary line. */
  static String firstLines(AssertionError error) {
    String message = String.valueOf(error.getMessage()).strip();
    int tree = message.indexOf("\nin:\n");
    return (tree < 0 ? message : message.substring(0, tree)).replace("\n", "\n    ");
  }
}
