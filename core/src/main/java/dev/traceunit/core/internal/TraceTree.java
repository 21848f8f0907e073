package dev.traceunit.core.internal;

import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Trace;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link Trace}'s tree as the plain arrays it is indexed by, for walks over millions of spans
 * that need only names and kinds: positions are those of {@link Trace#spans()}, and the walk
 * touches no span object (at a million spans each such object is a trip through memory). Not
 * API: may change.
 *
 * <pre>{@code
 * TraceTree tree = TraceTree.of(trace);
 * for (int i = 0; i < tree.roots(); i++) {
 *   String name = tree.name(tree.root(i));
 * }
 * }</pre>
 */
public final class TraceTree {

  /** How {@link Trace} hands its arrays over; set once, by {@code Trace} as it is loaded. */
  private static volatile Function<Trace, TraceTree> reader;

  private final int[] roots;
  private final int[] childStart;
  private final int[] childOrder;
  private final int[] nameOf;
  private final String[] names;
  private final int[] kindOf;
  private final SpanKind[] kinds;

  /**
   * The arrays of one trace, not copied: the children of position {@code i} are {@code
   * childOrder[childStart[i]]} up to {@code childOrder[childStart[i + 1]]}, its name is {@code
   * names[nameOf[i]]} and its kind {@code kinds[kindOf[i]]}.
   */
  public TraceTree(int[] roots, int[] childStart, int[] childOrder, int[] nameOf, String[] names, int[] kindOf,
      SpanKind[] kinds) {
    this.roots = roots;
    this.childStart = childStart;
    this.childOrder = childOrder;
    this.nameOf = nameOf;
    this.names = names;
    this.kindOf = kindOf;
    this.kinds = kinds;
  }

  /**
   * Lets {@link Trace} hand its arrays over; only the first call counts.
   *
   * @param trees reads a trace's tree
   */
  public static void install(Function<Trace, TraceTree> trees) {
    if (reader == null) {
      reader = Objects.requireNonNull(trees, "trees");
    }
  }

  /**
   * {@return the tree of {@code trace}}
   *
   * @param trace a trace
   */
  public static TraceTree of(Trace trace) {
    Objects.requireNonNull(trace, "trace");
    return reader.apply(trace); // set: Trace was loaded to make the trace
  }

  /** {@return how many roots there are} */
  public int roots() {
    return roots.length;
  }

  /**
   * {@return the position of the root at {@code index}, roots in start order}
   *
   * @param index from 0 to {@link #roots()}
   */
  public int root(int index) {
    return roots[index];
  }

  /**
   * {@return how many children the span at {@code position} has}
   *
   * @param position a position in {@link Trace#spans()}
   */
  public int childCount(int position) {
    return childStart[position + 1] - childStart[position];
  }

  /**
   * {@return the position of the span's child at {@code index}, children in start order}
   *
   * @param position a position in {@link Trace#spans()}
   * @param index from 0 to {@link #childCount(int)}
   */
  public int child(int position, int index) {
    return childOrder[childStart[position] + index];
  }

  /**
   * {@return the name of the span at {@code position}}
   *
   * @param position a position in {@link Trace#spans()}
   */
  public String name(int position) {
    return names[nameOf[position]];
  }

  /**
   * {@return the kind of the span at {@code position}}
   *
   * @param position a position in {@link Trace#spans()}
   */
  public SpanKind kind(int position) {
    return kinds[kindOf[position]];
  }

  /** Sees a span's position in the trace and its depth (0 for a root); false stops the walk. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * Sees one span.
     *
     * @param position the span's position in {@link Trace#spans()}
     * @param depth how many ancestors it has in the trace
     * @return whether the walk goes on
     */
    boolean visit(int position, int depth);
  }

  /**
   * Visits the spans depth-first, a span before its children, roots and children in start order,
   * with a stack of its own (a trace may be nested deeper than the thread's stack).
   *
   * @param visitor what sees each span
   * @return false if the visitor stopped the walk
   */
  public boolean depthFirst(Visitor visitor) {
    int[] positions = new int[16];
    int[] depths = new int[16];
    int top = 0;
    for (int i = roots() - 1; i >= 0; i--) {
      if (top == positions.length) {
        positions = Arrays.copyOf(positions, top * 2);
        depths = Arrays.copyOf(depths, top * 2);
      }
      positions[top] = root(i);
      depths[top++] = 0;
    }
    while (top > 0) {
      int position = positions[--top];
      int depth = depths[top];
      if (!visitor.visit(position, depth)) {
        return false;
      }
      for (int i = childCount(position) - 1; i >= 0; i--) {
        if (top == positions.length) {
          positions = Arrays.copyOf(positions, top * 2);
          depths = Arrays.copyOf(depths, top * 2);
        }
        positions[top] = child(position, i);
        depths[top++] = depth + 1;
      }
    }
    return true;
  }
}
