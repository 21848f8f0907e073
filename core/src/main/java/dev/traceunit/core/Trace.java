package dev.traceunit.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An immutable, indexed snapshot of everything a collector recorded: spans, problems and what was
 * dropped. Parent, child and name look-ups cost O(1) or O(k) after an O(n log n) build.
 *
 * <pre>{@code
 * Trace trace = collector.snapshot();
 * RecordedSpan checkout = trace.named("checkout").get(0);
 * List<RecordedSpan> calls = trace.children(checkout);
 * System.out.println(trace.render());
 * }</pre>
 */
public final class Trace {

  private static final Comparator<RecordedSpan> BY_START =
      Comparator.comparing(RecordedSpan::startOffset).thenComparingLong(RecordedSpan::spanId);

  private final String traceId;
  private final List<RecordedSpan> spans;
  private final List<Problem> problems;
  private final long droppedSpans;

  private final IdIndex indexById;
  private final int[] parentIndex;
  private final int[][] childIndexes;
  private final List<RecordedSpan> roots;
  private final Map<String, List<RecordedSpan>> byName;

  private Trace(String traceId, List<RecordedSpan> spans, List<Problem> problems, long droppedSpans) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
    RecordedSpan[] sorted = spans.toArray(new RecordedSpan[0]);
    Arrays.sort(sorted, BY_START);
    this.spans = Collections.unmodifiableList(Arrays.asList(sorted));
    this.problems = List.copyOf(problems);
    if (droppedSpans < 0) {
      throw new IllegalArgumentException("droppedSpans must be at least 0 but was " + droppedSpans);
    }
    this.droppedSpans = droppedSpans;

    int n = sorted.length;
    indexById = new IdIndex(sorted);
    for (int i = 0; i < n; i++) {
      Integer previous = indexById.put(sorted[i].spanId(), i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "span id " + sorted[i].spanId() + " appears twice in trace " + traceId + ": '"
                + sorted[previous].name() + "' and '" + sorted[i].name() + "'");
      }
    }
    parentIndex = new int[n];
    int[] childCounts = new int[n];
    List<RecordedSpan> rootList = new ArrayList<>();
    byName = new HashMap<>();
    for (int i = 0; i < n; i++) {
      RecordedSpan span = sorted[i];
      Integer parent = span.parentId() == 0 ? null : indexById.get(span.parentId());
      parentIndex[i] = parent == null ? -1 : parent;
      if (parent == null) {
        rootList.add(span);
      } else {
        childCounts[parent]++;
      }
      byName.computeIfAbsent(span.name(), k -> new ArrayList<>(2)).add(span);
    }
    childIndexes = new int[n][];
    for (int i = 0; i < n; i++) {
      childIndexes[i] = childCounts[i] == 0 ? EMPTY : new int[childCounts[i]];
      childCounts[i] = 0;
    }
    for (int i = 0; i < n; i++) {
      int parent = parentIndex[i];
      if (parent >= 0) {
        childIndexes[parent][childCounts[parent]++] = i;
      }
    }
    roots = Collections.unmodifiableList(rootList);
  }

  private static final int[] EMPTY = new int[0];

  /**
   * A trace of the given spans, problems and dropped-span count, e.g. read back from a file.
   *
   * @throws IllegalArgumentException if two spans share an id
   */
  public static Trace of(String traceId, List<RecordedSpan> spans, List<Problem> problems, long droppedSpans) {
    return new Trace(traceId, spans, problems, droppedSpans);
  }

  /** The id of this trace, e.g. {@code t-0001}. */
  public String traceId() {
    return traceId;
  }

  /** Every span, by start offset and then id. */
  public List<RecordedSpan> spans() {
    return spans;
  }

  /** How many spans were kept. */
  public int size() {
    return spans.size();
  }

  /** Whether no span was kept. */
  public boolean isEmpty() {
    return spans.isEmpty();
  }

  /** Spans without a parent in this trace (a parent cut by a limit makes its child a root too). */
  public List<RecordedSpan> roots() {
    return roots;
  }

  /** The children of a span, by start offset and then id. */
  public List<RecordedSpan> children(RecordedSpan span) {
    int i = indexOf(span);
    int[] children = childIndexes[i];
    if (children.length == 0) {
      return List.of();
    }
    RecordedSpan[] out = new RecordedSpan[children.length];
    for (int c = 0; c < children.length; c++) {
      out[c] = spans.get(children[c]);
    }
    return List.of(out);
  }

  /** The parent of a span, if it has one in this trace. */
  public Optional<RecordedSpan> parent(RecordedSpan span) {
    int parent = parentIndex[indexOf(span)];
    return parent < 0 ? Optional.empty() : Optional.of(spans.get(parent));
  }

  /** The span with this id. */
  public Optional<RecordedSpan> byId(long spanId) {
    Integer i = indexById.get(spanId);
    return i == null ? Optional.empty() : Optional.of(spans.get(i));
  }

  /** Spans with this name, by start offset and then id. */
  public List<RecordedSpan> named(String name) {
    List<RecordedSpan> found = byName.get(name);
    return found == null ? List.of() : Collections.unmodifiableList(found);
  }

  /** Spans that had not ended when the snapshot was taken. */
  public List<RecordedSpan> openSpans() {
    List<RecordedSpan> open = new ArrayList<>();
    for (RecordedSpan span : spans) {
      if (!span.ended()) {
        open.add(span);
      }
    }
    return open;
  }

  /** Problems in the order they were recorded. */
  public List<Problem> problems() {
    return problems;
  }

  /** Spans cut by the span limit. */
  public long droppedSpans() {
    return droppedSpans;
  }

  /**
   * Where a span sits, from its root: {@code checkout > payment.call[1]}. A name is followed by
   * its index among same-named siblings only when there are several.
   */
  public String path(RecordedSpan span) {
    List<String> parts = new ArrayList<>();
    int i = indexOf(span);
    while (i >= 0) {
      RecordedSpan current = spans.get(i);
      int parent = parentIndex[i];
      List<RecordedSpan> siblings = parent < 0 ? roots : children(spans.get(parent));
      int index = 0;
      int count = 0;
      for (RecordedSpan sibling : siblings) {
        if (sibling.name().equals(current.name())) {
          if (sibling.spanId() == current.spanId()) {
            index = count;
          }
          count++;
        }
      }
      parts.add(count > 1 ? current.name() + "[" + index + "]" : current.name());
      i = parent;
    }
    Collections.reverse(parts);
    return String.join(" > ", parts);
  }

  /** The text tree: one line a span, events under their span, problems after the tree. */
  public String render() {
    return new TraceRenderer(this, span -> false, 0).render();
  }

  /**
   * The text tree with the spans that match marked by {@code ▶} in the margin, e.g. the span an
   * assertion failed on.
   */
  public String render(Predicate<? super RecordedSpan> marked) {
    return new TraceRenderer(this, Objects.requireNonNull(marked, "marked"), 0).render();
  }

  /**
   * The text tree with marked spans, at most {@code maxLines} lines of it: the window around the
   * first marked span (or the top), with the lines left out counted above and below. For failure
   * messages of very large traces; header, problems and dropped counts are always there.
   *
   * <pre>{@code
   * String message = trace.render(span -> span.spanId() == failed.spanId(), 200);
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code maxLines} is less than 1
   */
  public String render(Predicate<? super RecordedSpan> marked, int maxLines) {
    if (maxLines < 1) {
      throw new IllegalArgumentException("maxLines must be at least 1 but was " + maxLines);
    }
    return new TraceRenderer(this, Objects.requireNonNull(marked, "marked"), maxLines).render();
  }

  private int indexOf(RecordedSpan span) {
    Integer i = indexById.get(span.spanId());
    if (i == null || spans.get(i) != span && !spans.get(i).equals(span)) {
      throw new IllegalArgumentException(
          "span " + span.spanId() + " '" + span.name() + "' is not part of trace " + traceId);
    }
    return i;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Trace)) {
      return false;
    }
    Trace that = (Trace) other;
    return traceId.equals(that.traceId) && droppedSpans == that.droppedSpans
        && spans.equals(that.spans) && problems.equals(that.problems);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spans, problems, droppedSpans);
  }

  /** The rendered tree. */
  @Override
  public String toString() {
    return render();
  }

  /** Span id to position: a plain array when ids are dense (the usual 1, 2, 3…), else a map. */
  private static final class IdIndex {
    private final int[] dense;
    private final Map<Long, Integer> sparse;

    IdIndex(RecordedSpan[] spans) {
      long max = 0;
      boolean positive = true;
      for (RecordedSpan span : spans) {
        max = Math.max(max, span.spanId());
        positive &= span.spanId() > 0;
      }
      if (positive && max <= 4L * spans.length + 1024) {
        dense = new int[(int) max + 1];
        Arrays.fill(dense, -1);
        sparse = null;
      } else {
        dense = null;
        sparse = new HashMap<>(Math.max(16, spans.length * 4 / 3 + 1));
      }
    }

    Integer put(long id, int index) {
      if (dense == null) {
        return sparse.put(id, index);
      }
      int previous = dense[(int) id];
      dense[(int) id] = index;
      return previous < 0 ? null : previous;
    }

    Integer get(long id) {
      if (dense == null) {
        return sparse.get(id);
      }
      if (id <= 0 || id >= dense.length) {
        return null;
      }
      int index = dense[(int) id];
      return index < 0 ? null : index;
    }
  }
}
