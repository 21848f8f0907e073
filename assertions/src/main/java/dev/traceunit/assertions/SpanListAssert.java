package dev.traceunit.assertions;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Trace;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;
import org.assertj.core.api.FactoryBasedNavigableListAssert;

/**
 * AssertJ list assertions over spans of one trace, from {@link SpansAssert#spansNamed(String)} or
 * {@link SpansAssert#filteredOnKind}. Spans print as their paths followed by the trace with them
 * marked; {@code first()}, {@code element(i)} and {@code last()} navigate to {@link SpanAssert}.
 *
 * <pre>{@code
 * assertThat(spans).spansNamed("payment.call")
 *     .hasSize(2)
 *     .allSpansSatisfy(call -> call.hasKind(SpanKind.CLIENT).hasParent("checkout"));
 * }</pre>
 */
public class SpanListAssert
    extends FactoryBasedNavigableListAssert<SpanListAssert, List<RecordedSpan>, RecordedSpan, SpanAssert> {

  /**
   * The trace, soft mode and description of the chain. AssertJ's soft proxies rebuild the assert of
   * {@code filteredOn(...)} and the like through the public constructor, copying only their own
   * info: so the spans themselves carry the state (and the list's own label) across.
   */
  private final AssertState state;
  /** The description this list got from its navigation ({@code spans named "x"}), or null. */
  private final String label;

  /**
   * List assertions over spans seen on their own, outside their trace.
   *
   * @param actual the spans
   */
  public SpanListAssert(List<RecordedSpan> actual) {
    super(actual, SpanListAssert.class, null);
    SpansOfTrace spans = actual instanceof SpansOfTrace ? (SpansOfTrace) actual : null;
    this.state = spans == null ? AssertState.THROWING : spans.state;
    this.label = spans == null ? null : spans.label;
  }

  /**
   * List assertions over spans reached by a navigation in a chain of this state, described as
   * {@code label} (after the user's description, if any: {@code [checkout: spans named "x"]}).
   */
  static SpanListAssert of(AssertState state, List<RecordedSpan> spans, String label) {
    String described = state.description() == null ? label : state.description().value() + ": " + label;
    List<RecordedSpan> carried = new SpansOfTrace(spans, state, described);
    SpanListAssert created = state.soft() == null ? new SpanListAssert(carried)
        : state.soft().proxy(SpanListAssert.class, List.class, carried);
    state.describe(created);
    created.info.useRepresentation(new TraceRepresentation(state.trace(), created.info.representation()));
    created.info.description(described);
    return created;
  }

  /**
   * Verifies every span passes the requirements; the failure lists each span that did not.
   *
   * @param requirements the assertions every span must pass
   * @return this assertion
   */
  public SpanListAssert allSpansSatisfy(Consumer<SpanAssert> requirements) {
    Objects.requireNonNull(requirements, "requirements");
    isNotNull();
    // Each span is checked by a throwing assert without a description: the failure sums them up.
    AssertState each = handOn().throwing().describedAs(null);
    List<String> failures = new ArrayList<>();
    for (RecordedSpan span : actual) {
      try {
        requirements.accept(SpanAssert.of(each, span));
      } catch (AssertionError error) {
        failures.add(SpanAssert.firstLines(error));
      }
    }
    if (!failures.isEmpty()) {
      String found = failures.size() + " of " + actual.size() + " did not:\n    " + String.join("\n    ", failures);
      String subject = "every one of " + info.representation().toStringOf(actual);
      Trace trace = state.trace();
      throw failure("%s", trace == null
          ? TraceFailure.message(subject, "to satisfy the requirements", found, "")
          : TraceFailure.message("each of the " + actual.size() + " spans marked", "to satisfy the requirements",
              found, TraceFailure.tree(trace, actual)));
    }
    return myself;
  }

  /** The first span's assertions. */
  @Override
  public SpanAssert first() {
    return element(0);
  }

  /** The last span's assertions. */
  @Override
  public SpanAssert last() {
    isNotNull();
    return actual.isEmpty() ? cannotNavigate("to have a last span", "it is empty") : element(actual.size() - 1);
  }

  /** The assertions of the only span in the list. */
  @Override
  public SpanAssert singleElement() {
    isNotNull();
    return actual.size() == 1 ? element(0) : cannotNavigate("to hold exactly one span", "it holds " + actual.size());
  }

  /** The assertions of the span at this index. */
  @Override
  public SpanAssert element(int index) {
    isNotNull();
    if (index < 0 || index >= actual.size()) {
      return cannotNavigate("to have a span at index " + index, "it holds " + actual.size());
    }
    // Built here rather than through toAssert, which AssertJ's soft proxies re-wrap without the trace.
    return SpanAssert.of(handOn(), actual.get(index));
  }

  @Override
  public SpanAssert toAssert(RecordedSpan value, String description) {
    return SpanAssert.of(handOn(), value).as(description);
  }

  private SpanAssert cannotNavigate(String expecting, String found) {
    String subject = info.representation().toStringOf(actual);
    return SpanAssert.lookUpFailed(handOn(),
        failure("%s", "\nExpecting " + subject + "\n  " + expecting + "\nbut " + found));
  }

  /**
   * What the span asserts reached from here get: the chain's state, with the description set on
   * this list if it is not the list's own label (a span is not "spans named x").
   */
  private AssertState handOn() {
    String text = info.descriptionText();
    return text.isEmpty() || text.equals(label) ? state : state.describedAs(info.description());
  }

  @Override
  protected SpanListAssert newAbstractIterableAssert(Iterable<? extends RecordedSpan> iterable) {
    List<RecordedSpan> spans = new ArrayList<>();
    iterable.forEach(spans::add);
    SpanListAssert created = new SpanListAssert(new SpansOfTrace(spans, state, label));
    created.info.useRepresentation(info.representation());
    return created;
  }

  /** An unmodifiable copy of spans that keeps the state of the chain they were reached by. */
  private static final class SpansOfTrace extends AbstractList<RecordedSpan> implements RandomAccess {

    private final List<RecordedSpan> spans;
    private final AssertState state;
    private final String label;

    SpansOfTrace(List<RecordedSpan> spans, AssertState state, String label) {
      this.spans = List.copyOf(spans);
      this.state = state;
      this.label = label;
    }

    @Override
    public RecordedSpan get(int index) {
      return spans.get(index);
    }

    @Override
    public int size() {
      return spans.size();
    }
  }
}
