package dev.traceunit.core;

/**
 * A thread's collector and current span, taken now and made current later on any thread: for
 * libraries that carry context across threads themselves (Micrometer's context-propagation, a
 * framework's own task wrapper). Application code wants {@link Tracing#wrap(Runnable)} instead.
 *
 * <pre>{@code
 * CapturedContext captured = CapturedContext.now();     // on the submitting thread
 * try (Scope scope = captured.activate()) {             // on the worker thread
 *   Tracing.run("step", this::work);                    // a child of the submitter's current span
 * }
 * }</pre>
 */
public final class CapturedContext {

  private static final CapturedContext NONE = new CapturedContext(null, null);

  private final SpanCollector collector;
  private final RecordingSpan current;

  private CapturedContext(SpanCollector collector, RecordingSpan current) {
    this.collector = collector;
    this.current = current;
  }

  /**
   * {@return the calling thread's collector and current span; {@link #none()} when it has no usable one (no
   * collector, or a pool thread's context inherited from whichever test started the thread)}
   */
  public static CapturedContext now() {
    ThreadContext context = ThreadContext.CURRENT.get();
    return context == null || !context.usable() ? NONE : new CapturedContext(context.collector, context.current);
  }

  /**
   * No collector and no span: activating it clears a thread's context until the scope closes.
   *
   * @return the empty context
   */
  public static CapturedContext none() {
    return NONE;
  }

  /** {@return whether nothing was captured} */
  public boolean isEmpty() {
    return collector == null;
  }

  /**
   * Makes the captured collector and span current on the calling thread until the scope closes, as
   * {@link Tracing#wrap(Runnable)} does for its task; closing the scope restores what the thread had
   * before.
   *
   * @return the scope to close on the same thread
   */
  public Scope activate() {
    if (collector == null && ThreadContext.CURRENT.get() == null) {
      return Scope.NOOP;
    }
    return ThreadContext.forThisThread().enter(collector, current, false);
  }

  @Override
  public String toString() {
    return collector == null ? "CapturedContext(none)"
        : "CapturedContext(" + collector.traceId() + (current == null ? "" : ", span " + current.id) + ")";
  }
}
