package dev.traceunit.micrometer.internal;

import dev.traceunit.core.CapturedContext;
import dev.traceunit.core.Scope;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.ArrayDeque;

/**
 * Carries traceunit's context (the test's collector and current span) wherever Micrometer's
 * context-propagation carries thread-local values: {@code ContextExecutorService},
 * {@code ContextSnapshot.wrap}, Reactor's automatic context propagation. Registered as a service,
 * so {@code ContextRegistry.getInstance()} has it; users never call it. Not API: may change.
 *
 * <pre>{@code
 * ExecutorService pool = ContextExecutorService.wrap(Executors.newFixedThreadPool(2), ContextSnapshotFactory.builder().build());
 * pool.submit(() -> Tracing.run("inventory.call", inventory::reserve)); // a child of the caller's span
 * }</pre>
 */
public final class TracingThreadLocalAccessor implements ThreadLocalAccessor<CapturedContext> {

  /** Created by Micrometer's context propagation, which finds it as a service. */
  public TracingThreadLocalAccessor() {}

  /** The key of traceunit's context among context-propagation's values. */
  public static final String KEY = "traceunit";

  /** What {@link #setValue} opened on this thread, innermost last, for {@link #restore} to close. */
  private static final ThreadLocal<ArrayDeque<Scope>> OPENED = ThreadLocal.withInitial(ArrayDeque::new);

  @Override
  public Object key() {
    return KEY;
  }

  /** The calling thread's context, or null (context-propagation's "no value") when it has none. */
  @Override
  public CapturedContext getValue() {
    CapturedContext captured = CapturedContext.now();
    return captured.isEmpty() ? null : captured;
  }

  @Override
  public void setValue(CapturedContext value) {
    OPENED.get().addLast(value.activate());
  }

  /** The captured values had none of traceunit's: the thread records nothing until it is restored. */
  @Override
  public void setValue() {
    setValue(CapturedContext.none());
  }

  @Override
  public void restore(CapturedContext previousValue) {
    restore();
  }

  /** Puts back what the thread had before the matching {@code setValue}. */
  @Override
  public void restore() {
    ArrayDeque<Scope> opened = OPENED.get();
    Scope innermost = opened.pollLast();
    if (innermost != null) {
      innermost.close();
    }
    if (opened.isEmpty()) {
      OPENED.remove();
    }
  }
}
