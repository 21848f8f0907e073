package dev.traceunit.core.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Span id to position (-1: none): a plain array when ids are dense (the usual 1, 2, 3…), else a
 * map. For indexes of a trace's spans by id. Not API: may change.
 *
 * <pre>{@code
 * IdIndex ids = new IdIndex(spans.size());
 * ids.put(span.spanId(), 0);
 * int position = ids.get(span.spanId());
 * }</pre>
 */
public final class IdIndex {
  /** Dense ids go up to four per span (plus slack), beyond that a map costs less. */
  private final long denseLimit;
  private final int expected;
  private int[] dense;
  private Map<Long, Integer> sparse;

  /**
   * An empty index for about {@code spans} spans.
   *
   * @param spans how many spans it will hold
   */
  public IdIndex(int spans) {
    denseLimit = 4L * spans + 1024;
    expected = spans;
    dense = new int[spans + 1];
    Arrays.fill(dense, -1);
  }

  /**
   * Maps {@code id} to {@code index}.
   *
   * @param id a span id
   * @param index its position
   * @return the index it had before, or -1
   */
  public int put(long id, int index) {
    if (dense != null && (id <= 0 || id > denseLimit)) {
      toSparse();
    }
    if (dense == null) {
      Integer previous = sparse.put(id, index);
      return previous == null ? -1 : previous;
    }
    if (id >= dense.length) {
      int length = dense.length;
      dense = Arrays.copyOf(dense, (int) Math.min(denseLimit + 1, Math.max(id + 1, 2L * length)));
      Arrays.fill(dense, length, dense.length, -1);
    }
    int previous = dense[(int) id];
    dense[(int) id] = index;
    return previous;
  }

  private void toSparse() {
    sparse = new HashMap<>(Math.max(16, expected * 4 / 3 + 1));
    for (int id = 1; id < dense.length; id++) {
      if (dense[id] >= 0) {
        sparse.put((long) id, dense[id]);
      }
    }
    dense = null;
  }

  /**
   * {@return the position of {@code id}, or -1 if it has none}
   *
   * @param id a span id
   */
  public int get(long id) {
    if (dense == null) {
      return sparse.getOrDefault(id, -1);
    }
    if (id <= 0 || id >= dense.length) {
      return -1;
    }
    return dense[(int) id];
  }
}
