package dev.traceunit.assertions;

/**
 * How {@code hasTreeShape} and {@code matchesSnapshot} compare the children of a span (and the
 * roots of a trace).
 *
 * <pre>{@code
 * assertThat(spans).hasTreeShape("""
 *     order.prepare
 *       shipping.quote
 *       inventory.reserve
 *     """, SiblingOrder.ANY);
 * }</pre>
 */
public enum SiblingOrder {
  /** In start order (spans that start at the same instant: see docs/same-dumps.md). */
  START,
  /** As a set: each expected child must be there, in any order (a concurrent fan-out). */
  ANY
}
