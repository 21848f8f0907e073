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
import org.assertj.core.api.SoftAssertionsProvider;

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

  /** The trace the spans come from; null for spans seen on their own. */
  final Trace trace;
  /** The soft assertions collecting failures; null when failures are thrown. */
  final SoftAssertionsProvider soft;

  /**
   * List assertions over spans seen on their own, outside their trace.
   *
   * @param actual the spans
   */
  public SpanListAssert(List<RecordedSpan> actual) {
    super(actual, SpanListAssert.class, null);
    // AssertJ's soft proxies rebuild the assert of filteredOn(...) and the like through this
    // constructor, copying only their own state: the spans carry the trace and soft mode across.
    SpansOfTrace spans = actual instanceof SpansOfTrace ? (SpansOfTrace) actual : null;
    this.trace = spans == null ? null : spans.trace;
    this.soft = spans == null ? null : spans.soft;
  }

  static SpanListAssert of(Trace trace, List<RecordedSpan> spans, SoftAssertionsProvider soft) {
    List<RecordedSpan> carried = new SpansOfTrace(spans, trace, soft);
    SpanListAssert created = soft == null ? new SpanListAssert(carried)
        : soft.proxy(SpanListAssert.class, List.class, carried);
    created.info.useRepresentation(new TraceRepresentation(trace, created.info.representation()));
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
    List<String> failures = new ArrayList<>();
    for (RecordedSpan span : actual) {
      try {
        requirements.accept(SpanAssert.of(trace, span, null));
      } catch (AssertionError error) {
        failures.add(SpanAssert.firstLines(error));
      }
    }
    if (!failures.isEmpty()) {
      String found = failures.size() + " of " + actual.size() + " did not:\n    " + String.join("\n    ", failures);
      String subject = "every one of " + info.representation().toStringOf(actual);
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
    return SpanAssert.of(trace, actual.get(index), soft);
  }

  @Override
  public SpanAssert toAssert(RecordedSpan value, String description) {
    return SpanAssert.of(trace, value, soft).as(description);
  }

  private SpanAssert cannotNavigate(String expecting, String found) {
    String subject = info.representation().toStringOf(actual);
    return SpanAssert.lookUpFailed(failure("%s", "\nExpecting " + subject + "\n  " + expecting + "\nbut " + found),
        trace, soft);
  }

  @Override
  protected SpanListAssert newAbstractIterableAssert(Iterable<? extends RecordedSpan> iterable) {
    List<RecordedSpan> spans = new ArrayList<>();
    iterable.forEach(spans::add);
    SpanListAssert created = new SpanListAssert(new SpansOfTrace(spans, trace, soft));
    created.info.useRepresentation(info.representation());
    return created;
  }

  /** An unmodifiable copy of spans that keeps the trace they come from and the soft mode of their assert. */
  private static final class SpansOfTrace extends AbstractList<RecordedSpan> implements RandomAccess {

    private final List<RecordedSpan> spans;
    private final Trace trace;
    private final SoftAssertionsProvider soft;

    SpansOfTrace(List<RecordedSpan> spans, Trace trace, SoftAssertionsProvider soft) {
      this.spans = List.copyOf(spans);
      this.trace = trace;
      this.soft = soft;
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
