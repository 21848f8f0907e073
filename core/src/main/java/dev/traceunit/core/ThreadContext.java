package dev.traceunit.core;

import dev.traceunit.core.internal.ActiveCollector;
import dev.traceunit.core.internal.PoolThreads;
import dev.traceunit.core.internal.UnrecordedSpans;
import java.util.Map;

/**
 * What a thread records into: its collector and current span. One mutable instance per thread, so
 * switching the current span allocates nothing.
 *
 * <p>A thread started while a usable context is current gets a copy marked as inherited. An
 * inherited context is never used on a reused pool worker (decided once per thread, see
 * {@link PoolThreads}): a task on a pool thread carries its test only through a captured context
 * ({@link Tracing#wrap(Runnable)}). On a thread started for one piece of work it is used for good:
 * after its test ended, the thread's spans are that test's orphans (counted, never recorded in the
 * next test). A span with no usable context goes to the fallback collector; with none, it is
 * counted in {@link UnrecordedSpans} and, when the thread's context came from a test that still
 * runs, reported there as {@link ProblemCode#UNATTRIBUTED_SPAN}.
 */
final class ThreadContext {

  static final InheritableThreadLocal<ThreadContext> CURRENT = new InheritableThreadLocal<>() {
    @Override
    protected ThreadContext childValue(ThreadContext parent) {
      // Runs on the parent thread, so the parent's own usability is decided where it can be.
      if (parent == null || !parent.usable()) {
        return null;
      }
      ThreadContext child = new ThreadContext(parent.collector, parent.current);
      child.inherited = true;
      return child;
    }
  };

  static {
    ActiveCollector.answerWith(() -> activeCollector(CURRENT.get())); // for modules: core.internal's accessor
  }

  private static final byte UNKNOWN = 0;
  private static final byte ONE_TASK = 1;
  private static final byte POOL_WORKER = 2;

  /** The collector activated with {@link SpanCollector#activateAsFallback()}, if any. */
  static volatile SpanCollector fallback;

  /**
   * Whether any collector was ever activated in this JVM: only then is a span with nowhere to go
   * counted, so production code (where nothing is ever activated) pays a field read and nothing more.
   */
  static volatile boolean recordingStarted;

  SpanCollector collector;
  RecordingSpan current;
  /**
   * The thread this context belongs to, set by each span made current in it (always on that
   * thread), so that a span closed on another thread leaves this context alone.
   */
  Thread owner;
  /** Whether collector and current were copied from the thread that started this one. */
  boolean inherited;
  private byte threadKind = UNKNOWN;
  private UnrecordedSpans.Counter unrecorded;
  private SpanCollector unrecordedStartedBy;
  private boolean ownerTold;
  /** The thread as the spans started here record it: renewed when the thread's name changes. */
  private SpanThread spanThread;

  /**
   * A thread as its spans keep it: the thread (only it writes a span's own part, see
   * {@link RecordingSpan}), its name when the span started, and its context. One per thread and
   * name, shared by the thread's spans.
   */
  record SpanThread(Thread thread, String name, ThreadContext context) {}

  ThreadContext(SpanCollector collector, RecordingSpan current) {
    this.collector = collector;
    this.current = current;
  }

  /** This thread's context, created empty if it has none yet. */
  static ThreadContext forThisThread() {
    ThreadContext context = CURRENT.get();
    if (context == null) {
      context = new ThreadContext(null, null);
      CURRENT.set(context);
    }
    return context;
  }

  /** This thread, for a span it starts; called on the thread whose context this is. */
  SpanThread spanThread() {
    Thread thread = Thread.currentThread();
    SpanThread known = spanThread;
    String name = thread.getName();
    // Identity: a renamed thread has another String; an equal one made anew costs one record.
    if (known == null || known.name() != name || known.thread() != thread) {
      known = new SpanThread(thread, name, this);
      spanThread = known;
    }
    return known;
  }

  /**
   * Whether spans on this thread (whose context this is) go to {@link #collector} under
   * {@link #current}: it is the thread's own, or inherited by a thread that is not a pool worker. A
   * thread started for one piece of work belongs to the test that started it, also after that test
   * ended: then its spans are counted as orphans of that test, never given to the next one.
   */
  boolean usable() {
    return collector != null && (!inherited || !isPoolWorker());
  }

  private boolean isPoolWorker() {
    if (threadKind == UNKNOWN) {
      threadKind = PoolThreads.isPoolWorker() ? POOL_WORKER : ONE_TASK;
    }
    return threadKind == POOL_WORKER;
  }

  /** The collector of a usable context, else the fallback, else null; counts nothing (time look-ups). */
  static SpanCollector activeCollector(ThreadContext context) {
    return context != null && context.usable() ? context.collector : fallback;
  }

  /**
   * Where a span of a thread without a usable context goes: the fallback, or, with none, nowhere:
   * then the span is counted (and its likely owner told) and null is returned.
   */
  static SpanCollector fallbackFor(ThreadContext context, String spanName) {
    SpanCollector chosen = fallback;
    if (chosen == null && recordingStarted) {
      countUnrecorded(context != null ? context : forThisThread(), spanName);
    }
    return chosen;
  }

  private static void countUnrecorded(ThreadContext context, String spanName) {
    SpanCollector startedBy = context.inherited ? context.collector : null;
    if (context.unrecorded == null || context.unrecordedStartedBy != startedBy) {
      UnrecordedSpans.Reason reason = startedBy == null ? UnrecordedSpans.Reason.NO_CONTEXT
          : startedBy.isFinished() ? UnrecordedSpans.Reason.TEST_ENDED : UnrecordedSpans.Reason.POOL_THREAD;
      context.unrecorded = UnrecordedSpans.counter(Thread.currentThread().getName(), String.valueOf(spanName),
          startedBy == null ? null : startedBy.traceId(), reason);
      context.unrecordedStartedBy = startedBy;
    }
    context.unrecorded.increment();
    if (startedBy != null && !context.ownerTold && !startedBy.isFinished()) {
      context.ownerTold = true;
      String thread = Thread.currentThread().getName();
      startedBy.problem(ProblemCode.UNATTRIBUTED_SPAN, 0, "span '" + spanName + "' was started on pool thread '"
          + thread + "', which this test started, by a task that carried no context; with no fallback (parallel"
          + " execution) it and later such spans of the thread were recorded in no test and counted in the run"
          + " summary. Hand tasks to the pool through Tracing.wrap(executor) or Tracing.wrap(task)"
          + " (Reactor: Schedulers.onScheduleHook(\"traceunit\", Tracing::wrap))",
          Map.of("thread", thread, "span", String.valueOf(spanName)));
    }
  }

  /**
   * Whether a span or scope opened after {@code span} of {@code spanCollector} became current here
   * is still open: then closing that one is out of order.
   */
  boolean openedInside(SpanCollector spanCollector, RecordingSpan span) {
    return collector != spanCollector || current != span;
  }

  /**
   * The one report of a span, or a scope made current by {@code activate}, closed while a span or
   * scope opened inside it was still open.
   */
  static void closedOutOfOrder(SpanCollector reportTo, RecordingSpan span, boolean scope) {
    String closed = span == null ? "a scope" : (scope ? "the scope of span " : "span ") + span.id + " " + span.name();
    reportTo.problem(ProblemCode.SCOPE_CLOSED_OUT_OF_ORDER, span == null ? 0 : span.id,
        closed + " was closed while a span or scope opened inside it was still open", null);
  }

  /**
   * Sets collector and current span, returning a scope that puts the previous ones back. A strict
   * scope closed while a later one is still open reports {@link ProblemCode#SCOPE_CLOSED_OUT_OF_ORDER}
   * and leaves the later one in place; a lenient one (a collector's activation) always restores.
   */
  Scope enter(SpanCollector newCollector, RecordingSpan newCurrent, boolean strict) {
    SpanCollector previousCollector = collector;
    RecordingSpan previousCurrent = current;
    boolean previousInherited = inherited;
    collector = newCollector;
    current = newCurrent;
    inherited = false;
    Thread owner = Thread.currentThread();
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed || Thread.currentThread() != owner) {
          return;
        }
        closed = true;
        if (strict && openedInside(newCollector, newCurrent)) {
          // A scope opened later is still open: leave it in place, its own close restores ours.
          SpanCollector reportTo = newCollector != null ? newCollector : collector;
          if (reportTo != null) {
            closedOutOfOrder(reportTo, newCurrent, true);
          }
          return;
        }
        collector = previousCollector;
        current = previousCurrent;
        inherited = previousInherited;
      }
    };
  }
}
