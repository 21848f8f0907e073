package dev.traceunit.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spans that no test recorded, by the thread that started them, for the whole JVM: a pool thread
 * whose task carried no captured context while tests ran in parallel, a thread that outlived the
 * test that started it, a thread that never had a context. Core counts them as they happen; the
 * JUnit extension prints {@link #summaryLine()} at the end of the run and the HTML report shows
 * {@link #entries()}. Not API: may change.
 *
 * <p>At most {@value #MAX_THREADS} threads are listed; spans of further threads are counted in
 * {@link #total()} and {@link #unlistedThreads()}.
 */
public final class UnrecordedSpans {

  /** How many threads are listed by name. */
  public static final int MAX_THREADS = 100;

  /** Why a thread's spans were recorded in no test. */
  public enum Reason {
    /**
     * A reused pool thread (a worker of a {@code ThreadPoolExecutor}, a {@code ForkJoinPool}…) ran a
     * task with no captured context while no fallback collector was active (parallel execution).
     */
    POOL_THREAD,
    /** The thread's context belongs to a test that had ended. */
    TEST_ENDED,
    /** The thread never had a context and no fallback collector was active. */
    NO_CONTEXT
  }

  /**
   * One thread's unrecorded spans.
   *
   * @param threadName the thread's name
   * @param firstSpan the name of its first unrecorded span
   * @param startedBy the trace id of the test the thread took its context from (the test that
   *     started it, or whose task it ran), or null if none
   * @param reason why its first unrecorded span was recorded nowhere
   * @param spans how many of its spans were recorded nowhere
   */
  public record Entry(String threadName, String firstSpan, String startedBy, Reason reason, long spans) {}

  /** A thread's running count; core keeps it per thread so counting allocates nothing. */
  public static final class Counter {
    private final String threadName;
    private final String firstSpan;
    private final String startedBy;
    private final Reason reason;
    private final long order;
    private final AtomicLong spans = new AtomicLong();

    private Counter(String threadName, String firstSpan, String startedBy, Reason reason, long order) {
      this.threadName = threadName;
      this.firstSpan = firstSpan;
      this.startedBy = startedBy;
      this.reason = reason;
      this.order = order;
    }

    /** Counts one more span. */
    public void increment() {
      spans.incrementAndGet();
      TOTAL.incrementAndGet();
    }

  }

  private record Key(String threadName, String startedBy) {}

  private static final ConcurrentHashMap<Key, Counter> COUNTERS = new ConcurrentHashMap<>();
  private static final AtomicLong TOTAL = new AtomicLong();
  private static final AtomicLong ORDER = new AtomicLong();
  private static final Counter UNLISTED = new Counter("(other threads)", "", null, Reason.NO_CONTEXT, Long.MAX_VALUE);

  private UnrecordedSpans() {}

  /**
   * The counter of a thread's spans that are recorded nowhere, created with {@code firstSpan} and
   * {@code reason} the first time the thread (with that {@code startedBy}) asks. Beyond
   * {@value #MAX_THREADS} threads, one shared counter of unlisted threads.
   */
  public static Counter counter(String threadName, String firstSpan, String startedBy, Reason reason) {
    Key key = new Key(threadName, startedBy);
    Counter existing = COUNTERS.get(key);
    if (existing != null) {
      return existing;
    }
    if (COUNTERS.size() >= MAX_THREADS) {
      return UNLISTED;
    }
    return COUNTERS.computeIfAbsent(key,
        k -> new Counter(threadName, firstSpan, startedBy, reason, ORDER.incrementAndGet()));
  }

  /** Counts one span of a thread (allocates; for rare cases such as spans after a test ended). */
  public static void count(String threadName, String spanName, String startedBy, Reason reason) {
    counter(threadName, spanName, startedBy, reason).increment();
  }

  /** Spans recorded in no test since the JVM started (or {@link #clear()}). */
  public static long total() {
    return TOTAL.get();
  }

  /** Spans of threads beyond the first {@value #MAX_THREADS}, which are not listed by name. */
  public static long unlistedThreads() {
    return UNLISTED.spans.get();
  }

  /** The counts now, to report later only what came after (a run's own spans): see {@link #entries(Mark)}. */
  public static Mark mark() {
    Map<Counter, Long> counts = new HashMap<>();
    for (Counter counter : COUNTERS.values()) {
      counts.put(counter, counter.spans.get());
    }
    return new Mark(counts, TOTAL.get(), UNLISTED.spans.get());
  }

  /** The counts at one moment, from {@link #mark()}. */
  public static final class Mark {
    private static final Mark ZERO = new Mark(Map.of(), 0, 0);
    private final Map<Counter, Long> counts;
    private final long total;
    private final long unlisted;

    private Mark(Map<Counter, Long> counts, long total, long unlisted) {
      this.counts = counts;
      this.total = total;
      this.unlisted = unlisted;
    }

    /** Spans recorded in no test up to this mark. */
    public long total() {
      return total;
    }

    /** The mark before anything was counted: everything counts. */
    public static Mark zero() {
      return ZERO;
    }
  }

  /** The listed threads in the order their first unrecorded span came, with every span counted. */
  public static List<Entry> entries() {
    return entries(Mark.ZERO);
  }

  /** The threads with spans counted after {@code since}, with only those spans. */
  public static List<Entry> entries(Mark since) {
    List<Counter> counters = new ArrayList<>(COUNTERS.values());
    counters.sort(Comparator.comparingLong(counter -> counter.order));
    List<Entry> entries = new ArrayList<>(counters.size());
    for (Counter counter : counters) {
      long spans = counter.spans.get() - since.counts.getOrDefault(counter, 0L);
      if (spans > 0) {
        entries.add(new Entry(counter.threadName, counter.firstSpan, counter.startedBy, counter.reason, spans));
      }
    }
    return entries;
  }

  /** Like {@link #summaryLine(Mark)} for everything counted in this JVM. */
  public static Optional<String> summaryLine() {
    return summaryLine(Mark.ZERO);
  }

  /**
   * One line for the end of a run, or empty when every span since {@code since} was recorded: how
   * many spans and threads, the first thread with its first span and test, and what to do.
   */
  public static Optional<String> summaryLine(Mark since) {
    long total = TOTAL.get() - since.total;
    if (total <= 0) {
      return Optional.empty();
    }
    List<Entry> entries = entries(since);
    StringBuilder line = new StringBuilder("traceunit: ").append(total).append(total == 1 ? " span was" : " spans were")
        .append(" recorded in no test, from ").append(Quantities.count(entries.size(), "thread"));
    if (UNLISTED.spans.get() > since.unlisted) {
      line.append(" and more");
    }
    if (!entries.isEmpty()) {
      Entry first = entries.get(0);
      line.append(" (first: thread '").append(first.threadName()).append("', span '").append(first.firstSpan())
          .append("', ").append(describe(first)).append(')');
    }
    return Optional.of(line.append("; hand tasks to pools through Tracing.wrap").toString());
  }

  /** What happened to an entry's spans, in words. */
  public static String describe(Entry entry) {
    switch (entry.reason()) {
      case POOL_THREAD:
        return "a pool thread started while " + entry.startedBy() + " ran, running a task with no captured context";
      case TEST_ENDED:
        return "its context belongs to " + entry.startedBy() + ", which had ended";
      default:
        return "a thread with no context while no test was the fallback";
    }
  }

  /** Forgets every count (for tests of this class). */
  public static void clear() {
    COUNTERS.clear();
    TOTAL.set(0);
    UNLISTED.spans.set(0);
  }
}
