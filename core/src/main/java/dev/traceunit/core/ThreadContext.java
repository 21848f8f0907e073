package dev.traceunit.core;

/**
 * What a thread records into: its collector and current span. One mutable instance per thread, so
 * switching the current span allocates nothing; threads started while a collector is active get a
 * copy of their parent's.
 */
final class ThreadContext {

  static final InheritableThreadLocal<ThreadContext> CURRENT = new InheritableThreadLocal<>() {
    @Override
    protected ThreadContext childValue(ThreadContext parent) {
      return parent == null || parent.collector == null ? null : new ThreadContext(parent.collector, parent.current);
    }
  };

  /** The collector activated with {@link SpanCollector#activateAsFallback()}, if any. */
  static volatile SpanCollector fallback;

  SpanCollector collector;
  RecordingSpan current;
  /**
   * The thread this context belongs to, set by each span made current in it (always on that
   * thread), so that a span closed on another thread leaves this context alone.
   */
  Thread owner;

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

  /** The collector spans started on this thread go to: its own, else the fallback, else null. */
  static SpanCollector activeCollector(ThreadContext context) {
    SpanCollector own = context == null ? null : context.collector;
    return own != null ? own : fallback;
  }

  /** The live span new spans on this thread hang under, or null. */
  static RecordingSpan liveParent(ThreadContext context, SpanCollector collector) {
    if (context == null || context.collector != collector) {
      return null;
    }
    return RecordingSpan.nearestLive(context.current);
  }

  /**
   * Sets collector and current span, returning a scope that puts the previous ones back. A strict
   * scope closed while a later one is still open reports {@link ProblemCode#SCOPE_CLOSED_OUT_OF_ORDER}
   * and leaves the later one in place; a lenient one (a collector's activation) always restores.
   */
  Scope enter(SpanCollector newCollector, RecordingSpan newCurrent, boolean strict) {
    SpanCollector previousCollector = collector;
    RecordingSpan previousCurrent = current;
    collector = newCollector;
    current = newCurrent;
    Thread owner = Thread.currentThread();
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        if (closed || Thread.currentThread() != owner) {
          return;
        }
        closed = true;
        if (strict && (collector != newCollector || current != newCurrent)) {
          // A scope opened later is still open: leave it in place, its own close restores ours.
          SpanCollector reportTo = newCollector != null ? newCollector : collector;
          if (reportTo != null) {
            reportTo.problem(ProblemCode.SCOPE_CLOSED_OUT_OF_ORDER,
                newCurrent == null ? 0 : newCurrent.id,
                "a scope was closed while a scope opened after it was still open"
                    + (newCurrent == null ? "" : " (scope of span " + newCurrent.id + " " + newCurrent.name() + ")"),
                null);
          }
          return;
        }
        collector = previousCollector;
        current = previousCurrent;
      }
    };
  }
}
