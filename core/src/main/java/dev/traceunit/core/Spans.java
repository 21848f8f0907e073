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

  /** {@return an immutable, indexed snapshot of everything recorded so far} */
  Trace snapshot();

  /** {@return every span recorded so far, by start} */
  default List<RecordedSpan> all() {
    return snapshot().spans();
  }

  /**
   * {@return spans with this name, by start}
   *
   * @param name the name to look for
   */
  default List<RecordedSpan> named(String name) {
    return snapshot().named(name);
  }

  /** {@return spans without a parent, by start} */
  default List<RecordedSpan> roots() {
    return snapshot().roots();
  }

  /** {@return how many spans were recorded so far} */
  default int size() {
    return snapshot().size();
  }

  /** {@return the text tree of everything recorded so far} */
  default String render() {
    return snapshot().render();
  }
}
