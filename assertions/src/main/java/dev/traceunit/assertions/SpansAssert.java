package dev.traceunit.assertions;

import static dev.traceunit.assertions.TraceFailure.found;
import static dev.traceunit.assertions.TraceFailure.quote;

import dev.traceunit.core.Problem;
import dev.traceunit.core.ProblemCode;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.SpanStatus;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.core.internal.Quantities;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Assertions on everything a collector recorded. The first check takes a snapshot of the live
 * {@link Spans} and the whole chain reads that one snapshot; call {@code assertThat(spans)} again to
 * see spans recorded later. Every failure shows the trace, with the spans that matter marked by
 * {@code ▶}.
 *
 * <pre>{@code
 * assertThat(spans)
 *     .hasNoProblems()
 *     .hasTreeShape("""
 *         checkout [server]
 *           payment.call [client]
 *           payment.call [client]
 *         """)
 *     .hasRootSpan("checkout").child("payment.call", 1).isOk();
 * }</pre>
 */
public class SpansAssert extends AbstractAssert<SpansAssert, Spans> {

  /**
   * The trace (once the first check took the snapshot), soft mode and description of the chain;
   * soft assertions set it right after building their proxy, which AssertJ builds through the
   * public constructor only.
   */
  private AssertState state = AssertState.THROWING;

  /**
   * Assertions on what {@code actual} recorded.
   *
   * @param actual the recorded spans
   */
  public SpansAssert(Spans actual) {
    super(actual, SpansAssert.class);
  }

  /** Soft assertions on what {@code actual} recorded, their failures collected by {@code soft}. */
  static SpansAssert softly(SoftAssertionsProvider soft, Spans actual) {
    SpansAssert created = soft.proxy(SpansAssert.class, Spans.class, actual);
    created.state = AssertState.of(null, soft);
    return created;
  }

  /**
   * Verifies how many spans were recorded.
   *
   * @param expected how many there must be
   * @return this assertion
   */
  public SpansAssert hasSize(int expected) {
    if (trace().size() != expected) {
      throw fail(none(), "to have " + Quantities.count(expected, "span"), "it has " + trace().size());
    }
    return myself;
  }

  /**
   * Verifies no span was recorded.
   *
   * @return this assertion
   */
  public SpansAssert isEmpty() {
    if (!trace().isEmpty()) {
      throw fail(none(), "to have no spans", "it has " + trace().size());
    }
    return myself;
  }

  /**
   * {@return the assertions of the only span with this name, anywhere in the tree} Fails if there is none or several.
   *
   * @param name the span's name
   */
  public SpanAssert hasSpan(String name) {
    List<RecordedSpan> matches = trace().named(name);
    if (matches.size() == 1) {
      return SpanAssert.of(handOn(), matches.get(0));
    }
    return cannotNavigate(matches, "to have exactly one span named " + quote(name),
        found(trace(), matches, "spans named " + quote(name)));
  }

  /**
   * Verifies how many spans have this name.
   *
   * @param name the spans' name
   * @param count how many there must be
   * @return this assertion
   */
  public SpansAssert hasSpans(String name, int count) {
    List<RecordedSpan> matches = trace().named(name);
    if (matches.size() != count) {
      throw fail(in(matches), "to have " + Quantities.count(count, "span") + " named " + quote(name),
          found(trace(), matches, "spans named " + quote(name)));
    }
    return myself;
  }

  /**
   * Verifies no span has this name.
   *
   * @param name the name no span may have
   * @return this assertion
   */
  public SpansAssert doesNotHaveSpan(String name) {
    List<RecordedSpan> matches = trace().named(name);
    if (!matches.isEmpty()) {
      throw fail(in(matches), "to have no span named " + quote(name), found(trace(), matches, "spans named " + quote(name)));
    }
    return myself;
  }

  /**
   * {@return the assertions of the only root span with this name} Fails if there is none or several.
   *
   * @param name the root span's name
   */
  public SpanAssert hasRootSpan(String name) {
    List<RecordedSpan> matches = rootsNamed(name);
    if (matches.size() == 1) {
      return SpanAssert.of(handOn(), matches.get(0));
    }
    return cannotNavigate(matches, "to have exactly one root span named " + quote(name),
        matches.isEmpty() ? rootNames() : found(trace(), matches, "root spans named " + quote(name)));
  }

  /**
   * Verifies a root span with this name exists; stays on the trace.
   *
   * @param name the root span's name
   * @return this assertion
   */
  public SpansAssert hasChild(String name) {
    if (rootsNamed(name).isEmpty()) {
      throw fail(none(), "to have a root span named " + quote(name), rootNames());
    }
    return myself;
  }

  /**
   * Verifies every span has ended.
   *
   * @return this assertion
   */
  public SpansAssert hasNoOpenSpans() {
    List<RecordedSpan> open = trace().openSpans();
    if (!open.isEmpty()) {
      throw fail(in(open), "to have no open spans", found(trace(), open, "open spans"));
    }
    return myself;
  }

  /**
   * Verifies no span has status {@link SpanStatus#ERROR}.
   *
   * @return this assertion
   */
  public SpansAssert hasNoErrors() {
    List<RecordedSpan> failed = trace().spans().stream().filter(s -> s.status() == SpanStatus.ERROR)
        .collect(Collectors.toList());
    if (!failed.isEmpty()) {
      throw fail(in(failed), "to have no spans with status ERROR", found(trace(), failed, "spans with status ERROR"));
    }
    return myself;
  }

  /**
   * Verifies recording went without problems (see {@link ProblemCode}).
   *
   * @return this assertion
   */
  public SpansAssert hasNoProblems() {
    List<Problem> problems = trace().problems();
    if (!problems.isEmpty()) {
      throw fail(withProblems(problems), "to have no problems", "found " + Quantities.count(problems.size(), "problem") + ":"
          + TraceFailure.listed(problems, String::valueOf));
    }
    return myself;
  }

  /**
   * Verifies recording ran into at least one problem with this code.
   *
   * @param code the problem's code
   * @return this assertion
   */
  public SpansAssert hasProblem(ProblemCode code) {
    Objects.requireNonNull(code, "code");
    if (trace().problems().stream().noneMatch(p -> p.code() == code)) {
      List<ProblemCode> codes = trace().problems().stream().map(Problem::code).collect(Collectors.toList());
      throw fail(none(), "to have a problem " + code,
          codes.isEmpty() ? "it has no problems" : "its problems are " + codes);
    }
    return myself;
  }

  /**
   * Verifies the whole tree: one span a line, two spaces of indent a level, {@code name} or
   * {@code name [kind]}; children in start order ({@link #hasTreeShape(String, SiblingOrder)} takes
   * them in any order). A failure shows both trees side by side with the first difference marked.
   *
   * <pre>{@code
   * assertThat(spans).hasTreeShape("""
   *     checkout
   *       payment.call [client]
   *       receipt
   *     """);
   * }</pre>
   *
   * @param expectedShape the tree, one span a line
   * @return this assertion
   * @throws IllegalArgumentException if the shape is empty, has tabs or skips a level of indent
   */
  public SpansAssert hasTreeShape(String expectedShape) {
    return hasTreeShape(expectedShape, SiblingOrder.START);
  }

  /**
   * Verifies the tree as {@link #hasTreeShape(String)} does, comparing children in the given order:
   * with {@link SiblingOrder#ANY} each expected child may appear at any place among its siblings
   * (a concurrent fan-out), and the failure shows the actual children arranged like the expected.
   *
   * @param expectedShape the tree, one span a line
   * @param siblings how children are compared
   * @return this assertion
   * @throws IllegalArgumentException if the shape is empty, has tabs or skips a level of indent
   */
  public SpansAssert hasTreeShape(String expectedShape, SiblingOrder siblings) {
    Objects.requireNonNull(expectedShape, "expectedShape");
    Objects.requireNonNull(siblings, "siblings");
    if (siblings == SiblingOrder.START && TreeShape.matches(expectedShape, trace())) {
      return myself; // compared as the tree was walked, without a line object for either side
    }
    List<TreeShape.Line> expected = TreeShape.parse(expectedShape);
    List<TreeShape.Line> actualShape = TreeShape.of(trace());
    if (siblings == SiblingOrder.ANY) {
      actualShape = TreeShape.arrangedLike(expected, actualShape);
    }
    int difference = TreeShape.firstDifference(expected, actualShape);
    if (difference >= 0) {
      RecordedSpan at = difference < actualShape.size() ? actualShape.get(difference).span() : null;
      String found = "it differs from line " + (difference + 1) + " on (marked ▶):\n"
          + TreeShape.sideBySide(expected, actualShape, difference).stripTrailing();
      throw failureWithActualExpected(TreeShape.actualText(expected, actualShape, difference),
          TreeShape.expectedText(expected, difference),
          "%s", TraceFailure.aboutTrace(trace(), s -> at != null && TraceFailure.same(s, at),
              "to have the tree shape on the left" + (siblings == SiblingOrder.ANY ? ", siblings in any order" : ""),
              found));
    }
    return myself;
  }

  /**
   * Verifies the whole trace (spans, attributes, events, links, problems) matches the test's
   * snapshot file, {@code src/test/resources/traceunit-snapshots/<package>/<Class>/<test>.trace.txt}.
   * A missing file is written and the test fails saying where (or passes, with {@code
   * traceunit.snapshots.missing=pass}); a different trace fails with the differences, the first one
   * marked, and writes the new version beside the file as {@code .new};
   * {@code -Dtraceunit.snapshots.update=true} rewrites the files instead. The test must run with
   * {@code TraceExtension}. See docs/snapshots.md.
   *
   * <pre>{@code
   * assertThat(spans).matchesSnapshot();
   * }</pre>
   *
   * @return this assertion
   */
  public SpansAssert matchesSnapshot() {
    return matchesSnapshot(Snapshot.of());
  }

  /**
   * Verifies the whole trace matches a snapshot, named and compared as {@code snapshot} says.
   *
   * <pre>{@code
   * assertThat(spans).matchesSnapshot(Snapshot.named("fan-out").siblings(SiblingOrder.ANY));
   * }</pre>
   *
   * @param snapshot which snapshot and how to compare
   * @return this assertion
   */
  public SpansAssert matchesSnapshot(Snapshot snapshot) {
    SnapshotCheck.Outcome outcome = SnapshotCheck.ofTrace(trace(), Objects.requireNonNull(snapshot, "snapshot"));
    if (!outcome.passed()) {
      throw failureWithActualExpected(outcome.actual(), outcome.expected(), "%s", outcome.message());
    }
    return myself;
  }

  /**
   * {@return list assertions over the spans with this name, in start order; elements navigate to {@link SpanAssert}}
   *
   * @param name the spans' name
   */
  public SpanListAssert spansNamed(String name) {
    return SpanListAssert.of(handOn(), trace().named(name), "spans named " + quote(name));
  }

  /**
   * {@return list assertions over the spans of this kind, in start order; elements navigate to {@link SpanAssert}}
   *
   * @param kind the spans' kind
   */
  public SpanListAssert filteredOnKind(SpanKind kind) {
    Objects.requireNonNull(kind, "kind");
    List<RecordedSpan> matches = trace().spans().stream().filter(s -> s.kind().equals(kind))
        .collect(Collectors.toList());
    return SpanListAssert.of(handOn(), matches, "spans of kind " + kind);
  }

  // ---- internals

  /**
   * Verifies the trace equals {@code expected}, a {@link Trace} or the snapshot of live {@link
   * Spans}: the same trace id, spans (every field), problems and dropped count. A difference fails
   * with both trees as expected and actual values, so an IDE shows their diff, and names the first
   * differing span when the trees read the same. Anything else is compared as AssertJ does.
   *
   * <pre>{@code
   * assertThat(TraceJson.read(reader)).isEqualTo(spans.snapshot());
   * }</pre>
   */
  @Override
  public SpansAssert isEqualTo(Object expected) {
    Trace wanted = asTrace(expected);
    if (wanted == null) {
      return super.isEqualTo(expected);
    }
    Trace found = trace();
    if (!found.equals(wanted)) {
      String foundTree = found.render();
      String wantedTree = wanted.render();
      throw failureWithActualExpected(foundTree, wantedTree, "%nExpecting the trace to equal the expected one, but %s"
          + "%nexpected:%n%s%nbut was:%n%s", difference(found, wanted, foundTree.equals(wantedTree)), wantedTree, foundTree);
    }
    return myself;
  }

  /** Verifies the trace differs from {@code expected}, a {@link Trace} or the snapshot of live {@link Spans}. */
  @Override
  public SpansAssert isNotEqualTo(Object other) {
    Trace unwanted = asTrace(other);
    if (unwanted == null) {
      return super.isNotEqualTo(other);
    }
    if (trace().equals(unwanted)) {
      throw failure("%nExpecting the trace not to equal%n%s", unwanted.render());
    }
    return myself;
  }

  private static Trace asTrace(Object value) {
    if (value instanceof Trace trace) {
      return trace;
    }
    return value instanceof Spans spans ? spans.snapshot() : null;
  }

  /** The first field in which two unequal spans differ, e.g. {@code its threadName is "a" instead of "b"}. */
  private static String differentComponent(RecordedSpan is, RecordedSpan was) {
    for (java.lang.reflect.RecordComponent component : RecordedSpan.class.getRecordComponents()) {
      try {
        Object found = component.getAccessor().invoke(is);
        Object wanted = component.getAccessor().invoke(was);
        if (!Objects.equals(found, wanted)) {
          return "its " + component.getName() + " is " + quoted(found) + " instead of " + quoted(wanted);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component.getName() + " of a RecordedSpan", e);
      }
    }
    return "they are unequal in no field";
  }

  private static String quoted(Object value) {
    return value instanceof String text ? quote(text) : String.valueOf(value);
  }

  /** What differs between two unequal traces, in words. */
  private static String difference(Trace found, Trace wanted, boolean sameTrees) {
    if (!found.traceId().equals(wanted.traceId())) {
      return "its id is " + quote(found.traceId()) + " instead of " + quote(wanted.traceId());
    }
    if (!sameTrees) {
      return "the trees differ";
    }
    for (int i = 0; i < Math.min(found.size(), wanted.size()); i++) {
      RecordedSpan is = found.spans().get(i);
      RecordedSpan was = wanted.spans().get(i);
      if (!is.equals(was)) {
        return "span " + is.spanId() + " " + quote(is.name()) + " differs in what the tree does not show: "
            + differentComponent(is, was);
      }
    }
    if (!found.problems().equals(wanted.problems())) {
      return "its problems differ: expected " + wanted.problems() + " but was " + found.problems();
    }
    return "its dropped span count is " + found.droppedSpans() + " instead of " + wanted.droppedSpans();
  }

  Trace trace() {
    if (state.trace() == null) {
      isNotNull();
      state = state.withTrace(Objects.requireNonNull(actual.snapshot(), "snapshot"));
    }
    return state.trace();
  }

  /** What the next assert of the chain gets: this chain's state with this assert's description. */
  private AssertState handOn() {
    trace();
    return state.from(info);
  }

  private List<RecordedSpan> rootsNamed(String name) {
    return trace().roots().stream().filter(r -> r.name().equals(name)).collect(Collectors.toList());
  }

  private String rootNames() {
    return trace().roots().isEmpty() ? "it has no spans"
        : "its root spans are " + info.representation().toStringOf(
            trace().roots().stream().map(RecordedSpan::name).collect(Collectors.toList()));
  }

  private SpanAssert cannotNavigate(List<RecordedSpan> matches, String expecting, String found) {
    return SpanAssert.lookUpFailed(handOn(), fail(in(matches), expecting, found));
  }

  private AssertionError fail(Predicate<? super RecordedSpan> marked, String expecting, String found) {
    return failure("%s", TraceFailure.aboutTrace(trace(), marked, expecting, found));
  }

  private static Predicate<RecordedSpan> none() {
    return span -> false;
  }

  private static Predicate<RecordedSpan> in(List<RecordedSpan> spans) {
    return TraceFailure.marking(spans);
  }

  private static Predicate<RecordedSpan> withProblems(List<Problem> problems) {
    Set<Long> ids = new HashSet<>();
    problems.forEach(problem -> ids.add(problem.spanId()));
    return span -> ids.contains(span.spanId());
  }
}
