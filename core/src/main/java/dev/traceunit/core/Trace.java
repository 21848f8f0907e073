package dev.traceunit.core;

import dev.traceunit.core.internal.IdIndex;
import dev.traceunit.core.internal.TraceTree;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
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

  private final String traceId;
  private final List<RecordedSpan> spans;
  private final List<Problem> problems;
  private final long droppedSpans;
  private final Redaction redaction;
  /** What free text is scrubbed of: found once, when a text first needs it. */
  private volatile List<String> maskedValues;

  // Indexes into the sorted spans, built in a few passes over plain arrays: a million-span trace
  // should cost a few arrays, not a million small objects.
  private final IdIndex indexById;
  private final int[] parentIndex;
  /** The children of span i are childOrder[childStart[i]] up to childOrder[childStart[i + 1]]. */
  private final int[] childStart;
  private final int[] childOrder;
  private final List<RecordedSpan> roots;
  private final Map<String, List<RecordedSpan>> byName;
  /** Names and kinds by position, and the tree, for walks that touch no span object ({@link TraceTree}). */
  private final TraceTree tree;

  static {
    TraceTree.install(trace -> trace.tree);
  }

  /** Takes {@code spans} as it is, without copying: the caller hands it over and never touches it again. */
  private Trace(String traceId, RecordedSpan[] spans, List<Problem> problems, long droppedSpans, Redaction redaction) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
    this.redaction = Objects.requireNonNull(redaction, "redaction");
    this.problems = List.copyOf(problems);
    if (droppedSpans < 0) {
      throw new IllegalArgumentException("droppedSpans must be at least 0 but was " + droppedSpans);
    }
    this.droppedSpans = droppedSpans;

    // One pass reads what the indexes need from every span into plain arrays; at a million spans
    // each further pass over the span objects themselves would cost a trip through memory.
    int n = spans.length;
    // Each span's parent's position: found in the same pass when the parent started first (as it
    // does unless it is not in the trace), else looked up once every id is indexed.
    parentIndex = new int[n];
    List<Integer> unresolved = new ArrayList<>();
    // Which name each span has, as the index of its count in `counts`: an int array, since an
    // array of a million references is one the garbage collector reclaims only after a marking.
    int[] nameOf = new int[n];
    Map<String, NameCount> names = new HashMap<>();
    List<NameCount> counts = new ArrayList<>();
    int[] kindOf = new int[n];
    Map<SpanKind, Integer> kindIndex = new HashMap<>();
    List<SpanKind> kinds = new ArrayList<>();
    IdIndex ids = new IdIndex(n);
    if (!readInStartOrder(spans, ids, parentIndex, unresolved, nameOf, names, counts, kindOf, kindIndex, kinds)) {
      Arrays.sort(spans, Trace::compareByStart);
      ids = new IdIndex(n);
      unresolved.clear();
      names.clear();
      counts.clear();
      kindIndex.clear();
      kinds.clear();
      readInStartOrder(spans, ids, parentIndex, unresolved, nameOf, names, counts, kindOf, kindIndex, kinds);
    }
    this.spans = Collections.unmodifiableList(Arrays.asList(spans));
    indexById = ids;
    for (int i : unresolved) {
      parentIndex[i] = ids.get(spans[i].parentId());
    }

    childStart = new int[n + 1];
    List<RecordedSpan> rootList = new ArrayList<>();
    int rootCount = 0;
    for (int i = 0; i < n; i++) {
      int parent = parentIndex[i];
      if (parent < 0) {
        rootList.add(spans[i]);
        rootCount++;
      } else {
        childStart[parent]++;
      }
    }
    roots = Collections.unmodifiableList(rootList);
    int[] rootOrder = new int[rootCount];
    for (int i = 0, r = 0; r < rootCount; i++) {
      if (parentIndex[i] < 0) {
        rootOrder[r++] = i;
      }
    }
    // Counts to ends of ranges, then a backward pass fills each range from its end and leaves
    // childStart[i] at the range's start, children in start order.
    int total = 0;
    for (int i = 0; i < n; i++) {
      total += childStart[i];
      childStart[i] = total;
    }
    childStart[n] = total;
    childOrder = new int[total];
    for (int i = n - 1; i >= 0; i--) {
      int parent = parentIndex[i];
      if (parent >= 0) {
        childOrder[--childStart[parent]] = i;
      }
    }

    byName = new HashMap<>(names.size() * 4 / 3 + 1);
    String[] nameTable = new String[counts.size()];
    for (Map.Entry<String, NameCount> entry : names.entrySet()) {
      NameCount count = entry.getValue();
      count.found = new RecordedSpan[count.spans];
      count.spans = 0;
      nameTable[count.index] = entry.getKey();
      byName.put(entry.getKey(), Collections.unmodifiableList(Arrays.asList(count.found)));
    }
    for (int i = 0; i < n; i++) {
      NameCount count = counts.get(nameOf[i]);
      count.found[count.spans++] = spans[i];
    }
    tree = new TraceTree(rootOrder, childStart, childOrder, nameOf, nameTable, kindOf, kinds.toArray(new SpanKind[0]));
  }

  /** A trace of the same spans and indexes as {@code other}, its text masked by {@code redaction}. */
  private Trace(Trace other, Redaction redaction) {
    traceId = other.traceId;
    spans = other.spans;
    problems = other.problems;
    droppedSpans = other.droppedSpans;
    this.redaction = Objects.requireNonNull(redaction, "redaction");
    indexById = other.indexById;
    parentIndex = other.parentIndex;
    childStart = other.childStart;
    childOrder = other.childOrder;
    roots = other.roots;
    byName = other.byName;
    tree = other.tree;
  }

  /**
   * Indexes ids, and reads parents, names and kinds, of spans in start order; returns false as soon
   * as a span is out of order (then nothing read is complete). Snapshots come in id order, which is
   * start order unless threads raced or spans were started at explicit times. A parent not indexed
   * yet (-1 in {@code parentIndex}) is left to the caller, its span's position in {@code unresolved}.
   *
   * @throws IllegalArgumentException if two spans share an id
   */
  private boolean readInStartOrder(RecordedSpan[] spans, IdIndex ids, int[] parentIndex, List<Integer> unresolved,
      int[] nameOf, Map<String, NameCount> names, List<NameCount> counts, int[] kindOf,
      Map<SpanKind, Integer> kindIndex, List<SpanKind> kinds) {
    int duplicate = -1;
    int duplicated = -1;
    SpanKind lastKind = null;
    int lastKindIndex = -1;
    String lastName = null;
    NameCount lastCount = null;
    for (int i = 0; i < spans.length; i++) {
      RecordedSpan span = spans[i];
      if (i > 0 && compareByStart(spans[i - 1], span) > 0) {
        return false;
      }
      SpanKind kind = span.kind();
      if (kind != lastKind) {
        Integer known = kindIndex.get(kind);
        if (known == null) {
          known = kinds.size();
          kindIndex.put(kind, known);
          kinds.add(kind);
        }
        lastKind = kind;
        lastKindIndex = known;
      }
      kindOf[i] = lastKindIndex;
      int previous = ids.put(span.spanId(), i);
      if (previous >= 0 && duplicate < 0) {
        duplicate = i;
        duplicated = previous;
      }
      long parentId = span.parentId();
      int parent = parentId == 0 ? -1 : ids.get(parentId);
      if (parent < 0 && parentId != 0) {
        unresolved.add(i);
      }
      parentIndex[i] = parent;
      String name = span.name();
      if (name != lastName) { // spans of a name come in runs, sharing the one string
        lastCount = names.get(name);
        if (lastCount == null) {
          lastCount = new NameCount(counts.size());
          names.put(name, lastCount);
          counts.add(lastCount);
        }
        lastName = name;
      }
      lastCount.spans++;
      nameOf[i] = lastCount.index;
    }
    if (duplicate >= 0) {
      throw new IllegalArgumentException("span id " + spans[duplicate].spanId() + " appears twice in trace " + traceId
          + ": '" + spans[duplicated].name() + "' and '" + spans[duplicate].name() + "'");
    }
    return true;
  }

  /** Spans of one name: counted in a first pass, collected into an array of that size in a second. */
  private static final class NameCount {
    final int index;
    int spans;
    RecordedSpan[] found;

    NameCount(int index) {
      this.index = index;
    }
  }

  private static int compareByStart(RecordedSpan a, RecordedSpan b) {
    int byStart = a.startOffset().compareTo(b.startOffset());
    return byStart != 0 ? byStart : Long.compare(a.spanId(), b.spanId());
  }

  /** A trace over spans a collector just copied, handed over without another copy. */
  static Trace ofOwned(String traceId, RecordedSpan[] spans, List<Problem> problems, long droppedSpans,
      Redaction redaction) {
    return new Trace(traceId, spans, problems, droppedSpans, redaction);
  }

  /**
   * A trace of the given spans, problems and dropped-span count, e.g. read back from a file; its
   * text masks what {@link Redaction#defaults()} masks.
   *
   * @param traceId the trace's id
   * @param spans its spans, in any order
   * @param problems its problems, in the order they were recorded
   * @param droppedSpans how many spans the span limit cut
   * @return the trace
   * @throws IllegalArgumentException if two spans share an id
   */
  public static Trace of(String traceId, List<RecordedSpan> spans, List<Problem> problems, long droppedSpans) {
    return new Trace(traceId, spans.toArray(new RecordedSpan[0]), problems, droppedSpans, Redaction.defaults());
  }

  /**
   * {@return which values every text of this trace masks: its collector's redaction} The spans themselves
   * keep the real values.
   */
  public Redaction redaction() {
    return redaction;
  }

  /** The strings {@link #redaction()} masks in this trace, for scrubbing free text; computed once. */
  List<String> maskedValues() {
    List<String> found = maskedValues;
    if (found == null) {
      found = redaction.maskedValues(this);
      maskedValues = found;
    }
    return found;
  }

  /**
   * {@return this trace with its text masked by {@code redaction} instead; the spans are the same}
   *
   * @param redaction the redaction its texts use
   */
  public Trace withRedaction(Redaction redaction) {
    return redaction == this.redaction ? this : new Trace(this, redaction);
  }

  /** {@return the id of this trace, e.g. {@code t-0001}} */
  public String traceId() {
    return traceId;
  }

  /** {@return every span, by start offset and then id} */
  public List<RecordedSpan> spans() {
    return spans;
  }

  /** {@return how many spans were kept} */
  public int size() {
    return spans.size();
  }

  /** {@return whether no span was kept} */
  public boolean isEmpty() {
    return spans.isEmpty();
  }

  /** {@return spans without a parent in this trace (a parent cut by a limit makes its child a root too)} */
  public List<RecordedSpan> roots() {
    return roots;
  }

  /**
   * {@return the children of a span, by start offset and then id}
   *
   * @param span a span of this trace
   */
  public List<RecordedSpan> children(RecordedSpan span) {
    return childrenAt(indexOf(span));
  }

  private List<RecordedSpan> childrenAt(int i) {
    int from = childStart[i];
    int to = childStart[i + 1];
    return from == to ? List.of() : new Children(from, to);
  }

  /** A read-only view of one span's range of {@link #childOrder}: render asks for every span's children. */
  private final class Children extends AbstractList<RecordedSpan> implements RandomAccess {
    private final int from;
    private final int size;

    Children(int from, int to) {
      this.from = from;
      this.size = to - from;
    }

    @Override
    public RecordedSpan get(int index) {
      Objects.checkIndex(index, size);
      return spans.get(childOrder[from + index]);
    }

    @Override
    public int size() {
      return size;
    }
  }

  /**
   * {@return the parent of a span, if it has one in this trace}
   *
   * @param span a span of this trace
   */
  public Optional<RecordedSpan> parent(RecordedSpan span) {
    int parent = parentIndex[indexOf(span)];
    return parent < 0 ? Optional.empty() : Optional.of(spans.get(parent));
  }

  /**
   * {@return the span with this id}
   *
   * @param spanId the id
   */
  public Optional<RecordedSpan> byId(long spanId) {
    int i = indexById.get(spanId);
    return i < 0 ? Optional.empty() : Optional.of(spans.get(i));
  }

  /**
   * {@return spans with this name, by start offset and then id}
   *
   * @param name the name to look for
   */
  public List<RecordedSpan> named(String name) {
    List<RecordedSpan> found = byName.get(name);
    return found == null ? List.of() : found;
  }

  /** {@return spans that had not ended when the snapshot was taken} */
  public List<RecordedSpan> openSpans() {
    List<RecordedSpan> open = new ArrayList<>();
    for (RecordedSpan span : spans) {
      if (!span.ended()) {
        open.add(span);
      }
    }
    return open;
  }

  /** {@return problems in the order they were recorded} */
  public List<Problem> problems() {
    return problems;
  }

  /** {@return spans cut by the span limit} */
  public long droppedSpans() {
    return droppedSpans;
  }

  /**
   * Where a span sits, from its root: {@code checkout > payment.call[1]}. A name is followed by
   * its index among same-named siblings only when there are several.
   *
   * @param span a span of this trace
   * @return the path
   */
  public String path(RecordedSpan span) {
    List<String> parts = new ArrayList<>();
    int i = indexOf(span);
    while (i >= 0) {
      RecordedSpan current = spans.get(i);
      int parent = parentIndex[i];
      List<RecordedSpan> siblings = parent < 0 ? roots : childrenAt(parent);
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

  /**
   * {@return the text tree: one line a span, events under their span, problems after the tree; values of
   * secret keys ({@link #redaction()}) masked, control characters and line separators escaped}
   */
  public String render() {
    return new TraceRenderer(this, span -> false, 0).render();
  }

  /**
   * {@return the text tree with the spans that match marked by {@code ▶} in the margin, e.g. the span an
   * assertion failed on}
   *
   * @param marked which spans to mark
   */
  public String render(Predicate<? super RecordedSpan> marked) {
    return new TraceRenderer(this, Objects.requireNonNull(marked, "marked"), 0).render();
  }

  /**
   * {@return the text tree with marked spans, at most {@code maxLines} lines of it: the window around the
   * first marked span (or the top), with the lines left out counted above and below} For failure
   * messages of very large traces; header, problems and dropped counts are always there.
   *
   * <pre>{@code
   * String message = trace.render(span -> span.spanId() == failed.spanId(), 200);
   * }</pre>
   *
   * @param marked which spans to mark
   * @param maxLines the most lines to show, at least 1
   * @throws IllegalArgumentException if {@code maxLines} is less than 1
   */
  public String render(Predicate<? super RecordedSpan> marked, int maxLines) {
    if (maxLines < 1) {
      throw new IllegalArgumentException("maxLines must be at least 1 but was " + maxLines);
    }
    return new TraceRenderer(this, Objects.requireNonNull(marked, "marked"), maxLines).render();
  }

  private int indexOf(RecordedSpan span) {
    int i = indexById.get(span.spanId());
    if (i < 0 || spans.get(i) != span && !spans.get(i).equals(span)) {
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
}
