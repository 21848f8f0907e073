package dev.traceunit.core;

import java.util.List;

/**
 * The read-only live view of what a collector recorded, as a test is given it. Each call reads the
 * current state; {@link #snapshot()} freezes it into an indexed {@link Trace}.
 *
 * <pre>{@code
 * @Test
 * void recordsCheckout(Spans spans) {
 *   checkout.pay(order);
 *   assertThat(spans.named("payment.call")).hasSize(1);
 * }
 * }</pre>
 */
public interface Spans {

  /** An immutable, indexed snapshot of everything recorded so far. */
  Trace snapshot();

  /** Every span recorded so far, by start. */
  default List<RecordedSpan> all() {
    return snapshot().spans();
  }

  /** Spans with this name, by start. */
  default List<RecordedSpan> named(String name) {
    return snapshot().named(name);
  }

  /** Spans without a parent, by start. */
  default List<RecordedSpan> roots() {
    return snapshot().roots();
  }

  /** How many spans were recorded so far. */
  default int size() {
    return snapshot().size();
  }

  /** The text tree of everything recorded so far. */
  default String render() {
    return snapshot().render();
  }
}
