package dev.traceunit.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What production code calls to record spans. When no collector is active on the calling thread it
 * hands out a shared no-op handle, allocates nothing and never throws; misuse is recorded as a
 * {@link Problem}, never thrown at the code under test.
 *
 * <pre>{@code
 * try (SpanHandle span = Tracing.start(SpanKind.SERVER, "checkout")) {
 *   span.attribute("order", order.id());
 *   Tracing.run(SpanKind.CLIENT, "payment.call", () -> gateway.charge(order));
 * }
 * }</pre>
 */
public final class Tracing {

  private Tracing() {}

  /**
   * Starts an {@link SpanKind#INTERNAL} span under the current one and makes it current.
   *
   * @param name the span's name
   * @return the started span, or a no-op handle with no collector active
   */
  public static SpanHandle start(String name) {
    return start(SpanKind.INTERNAL, name, true);
  }

  /**
   * Starts a span under the current one and makes it current; {@link SpanHandle#close()} ends it
   * and restores the previous one. Use with try-with-resources.
   *
   * @param kind the span's kind
   * @param name the span's name
   * @return the started span, or a no-op handle with no collector active
   */
  public static SpanHandle start(SpanKind kind, String name) {
    return start(kind, name, true);
  }

  /**
   * Starts an {@link SpanKind#INTERNAL} span under the current one without making it current.
   *
   * @param name the span's name
   * @return the started span, or a no-op handle with no collector active
   */
  public static SpanHandle startAsync(String name) {
    return start(SpanKind.INTERNAL, name, false);
  }

  /**
   * Starts a span under the current one without making it current: end it from anywhere, or make
   * it current on another thread with {@link SpanHandle#activate()}.
   *
   * @param kind the span's kind
   * @param name the span's name
   * @return the started span, or a no-op handle with no collector active
   */
  public static SpanHandle startAsync(SpanKind kind, String name) {
    return start(kind, name, false);
  }

  private static SpanHandle start(SpanKind kind, String name, boolean makeCurrent) {
    ThreadContext context = ThreadContext.CURRENT.get();
    if (context != null && context.usable()) {
      return context.collector.startSpan(kind, name, context.current, makeCurrent, context);
    }
    SpanCollector fallback = ThreadContext.fallbackFor(context, name);
    if (fallback == null) {
      return NoopSpan.INSTANCE;
    }
    return fallback.startSpan(kind, name, null, makeCurrent, context);
  }

  /**
   * A builder for a span with a kind, attributes, links or an explicit parent set before it starts.
   *
   * @param name the span's name
   * @return the builder
   */
  public static SpanBuilder span(String name) {
    return new SpanBuilder(name);
  }

  /**
   * Runs {@code work} in an {@link SpanKind#INTERNAL} span; see {@link #run(SpanKind, String, Runnable)}.
   *
   * @param name the span's name
   * @param work the code to run
   */
  public static void run(String name, Runnable work) {
    run(SpanKind.INTERNAL, name, work);
  }

  /**
   * Runs {@code work} in a span that is current while it runs. An exception is recorded (status
   * ERROR, {@link ErrorInfo}, an {@code exception} event) and rethrown unchanged. A null
   * {@code work} runs nothing and is recorded as an {@link ProblemCode#UNSUPPORTED_VALUE} problem
   * on the span.
   *
   * @param kind the span's kind
   * @param name the span's name
   * @param work the code to run
   */
  public static void run(SpanKind kind, String name, Runnable work) {
    inSpan(kind, name, work, null, null, "run");
  }

  /**
   * Computes a value in an {@link SpanKind#INTERNAL} span; see {@link #supply(SpanKind, String, Supplier)}.
   *
   * @param <T> the type of the value
   * @param name the span's name
   * @param work the code computing the value
   * @return the value {@code work} returned
   */
  public static <T> T supply(String name, Supplier<T> work) {
    return supply(SpanKind.INTERNAL, name, work);
  }

  /**
   * Computes a value in a span, recording and rethrowing any exception unchanged. A null
   * {@code work} returns null and is recorded as an {@link ProblemCode#UNSUPPORTED_VALUE} problem
   * on the span.
   *
   * @param <T> the type of the value
   * @param kind the span's kind
   * @param name the span's name
   * @param work the code computing the value
   * @return the value {@code work} returned
   */
  public static <T> T supply(SpanKind kind, String name, Supplier<T> work) {
    return inSpan(kind, name, null, work, null, "supply");
  }

  /**
   * Calls code that may throw a checked exception in an {@link SpanKind#INTERNAL} span.
   *
   * @param <T> the type of the value
   * @param <E> the exception {@code work} may throw
   * @param name the span's name
   * @param work the code computing the value
   * @return the value {@code work} returned
   * @throws E the exception {@code work} threw, unchanged
   */
  public static <T, E extends Throwable> T call(String name, ThrowingSupplier<T, E> work) throws E {
    return call(SpanKind.INTERNAL, name, work);
  }

  /**
   * Calls code that may throw a checked exception in a span, recording the exception and rethrowing
   * the same object. A null {@code work} returns null and is recorded as an
   * {@link ProblemCode#UNSUPPORTED_VALUE} problem on the span.
   *
   * <pre>{@code
   * Receipt receipt = Tracing.call(SpanKind.CLIENT, "payment.call", () -> gateway.charge(order));
   * }</pre>
   *
   * @param <T> the type of the value
   * @param <E> the exception {@code work} may throw
   * @param kind the span's kind
   * @param name the span's name
   * @param work the code computing the value
   * @return the value {@code work} returned
   * @throws E the exception {@code work} threw, unchanged
   */
  public static <T, E extends Throwable> T call(SpanKind kind, String name, ThrowingSupplier<T, E> work) throws E {
    return inSpan(kind, name, null, null, work, "call");
  }

  /**
   * Runs the one of {@code runnable}, {@code supplier} and {@code callable} that is given, in a span
   * current while it runs. Each caller passes its own work as it is: wrapping it in a lambda here
   * would allocate on the disabled path. With no work (a null task) the span records an
   * {@link ProblemCode#UNSUPPORTED_VALUE} problem and nothing runs: the caller gets null, not an
   * exception.
   */
  private static <T, E extends Throwable> T inSpan(SpanKind kind, String name, Runnable runnable,
      Supplier<T> supplier, ThrowingSupplier<T, E> callable, String method) throws E {
    SpanHandle span = start(kind, name, true);
    try {
      if (runnable != null) {
        runnable.run();
        return null;
      }
      if (supplier != null) {
        return supplier.get();
      }
      if (callable != null) {
        return callable.get();
      }
      if (span instanceof RecordingSpan) {
        RecordingSpan recording = (RecordingSpan) span;
        recording.problem(ProblemCode.UNSUPPORTED_VALUE, "Tracing." + method + " got no work (null) for span "
            + recording.id + " " + recording.name() + "; nothing ran" + (method.equals("run") ? "" : ", null was returned"),
            null);
      }
      return null;
    } catch (Throwable t) {
      recordError(span, t);
      throw t;
    } finally {
      span.close();
    }
  }

  /**
   * Records the application's exception on its span. Whatever recording it costs (even an {@code
   * Error} such as running out of memory) is dropped here, so the caller always gets its own
   * exception object back.
   */
  private static void recordError(SpanHandle span, Throwable t) {
    try {
      span.error(t);
    } catch (Throwable recordingFailed) {
      // The application's exception matters more than the record of it.
    }
  }

  /**
   * Records a zero-duration {@link SpanKind#INTERNAL} marker; see {@link #marker(SpanKind, String, Map)}.
   *
   * @param name the marker's name
   * @param attributes its attributes
   */
  public static void marker(String name, Map<String, ?> attributes) {
    marker(SpanKind.INTERNAL, name, attributes);
  }

  /**
   * Records a zero-duration span at the current position in the tree: a model switch, a tool mount,
   * a decision point.
   *
   * @param kind the marker's kind
   * @param name the marker's name
   * @param attributes its attributes
   */
  public static void marker(SpanKind kind, String name, Map<String, ?> attributes) {
    ThreadContext context = ThreadContext.CURRENT.get();
    if (context != null && context.usable()) {
      context.collector.marker(kind, name, context.current, attributes);
      return;
    }
    SpanCollector fallback = ThreadContext.fallbackFor(context, name);
    if (fallback != null) {
      fallback.marker(kind, name, null, attributes);
    }
  }

  /**
   * {@return the span current on this thread (ended or not: what new spans here hang under), or a no-op
   * handle if there is none}
   */
  public static SpanHandle current() {
    ThreadContext context = ThreadContext.CURRENT.get();
    if (context == null || context.current == null || !context.usable()) {
      return NoopSpan.INSTANCE;
    }
    return context.current;
  }

  /**
   * A link to the current span, to hand to work that continues elsewhere.
   *
   * @return the link, or empty if no span is current
   */
  public static Optional<SpanLink> currentLink() {
    SpanHandle current = current();
    return current.isRecording() ? Optional.of(current.link()) : Optional.empty();
  }

  /**
   * {@return the time source of the active collector (the mock clock in tests), or the system clock} Code
   * that measures or waits through it is deterministic under test.
   */
  public static TimeSource time() {
    SpanCollector collector = ThreadContext.activeCollector(ThreadContext.CURRENT.get());
    return collector == null ? TimeSource.system() : collector.timeSource;
  }

  /**
   * Captures this thread's collector and current span and restores them while {@code task} runs,
   * on whatever thread that is: spans the task starts are children of the captured span, whether or
   * not it has ended since. With nothing captured, the task runs with no context (never with
   * whatever the executing thread had before), so its spans go to the fallback collector, if any.
   *
   * @param task the task to run with this thread's context
   * @return the wrapped task; null for a null task (wrapping changes nothing then: the code goes on
   *     as it would without traceunit)
   */
  public static Runnable wrap(Runnable task) {
    if (task == null) {
      return null;
    }
    CapturedContext captured = CapturedContext.now();
    return () -> {
      try (Scope scope = captured.activate()) {
        task.run();
      }
    };
  }

  /**
   * Like {@link #wrap(Runnable)}, for a {@link Callable}.
   *
   * @param <T> the task's result type
   * @param task the task to run with this thread's context
   * @return the wrapped task; null for a null task
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    if (task == null) {
      return null;
    }
    CapturedContext captured = CapturedContext.now();
    return () -> {
      try (Scope scope = captured.activate()) {
        return task.call();
      }
    };
  }

  /**
   * An executor that wraps every task with the context of the thread that submits it.
   *
   * @param executor the executor that runs the tasks
   * @return the wrapping executor; null for a null executor
   */
  public static Executor wrap(Executor executor) {
    if (executor == null) {
      return null;
    }
    return command -> executor.execute(wrap(command));
  }

  /**
   * An executor service that wraps every task with the context of the thread that submits it;
   * shutdown and the rest go to {@code executor}.
   *
   * <pre>{@code
   * ExecutorService pool = Tracing.wrap(Executors.newFixedThreadPool(4));
   * pool.submit(() -> Tracing.run("inventory.call", inventory::reserve)); // a child of the caller
   * }</pre>
   *
   * @param executor the executor service that runs the tasks
   * @return the wrapping executor service; null for a null executor service
   */
  public static ExecutorService wrap(ExecutorService executor) {
    if (executor == null) {
      return null;
    }
    return new ContextExecutorService(executor);
  }

  /**
   * Like {@link #wrap(ExecutorService)}, keeping the scheduling methods.
   *
   * @param executor the scheduled executor service that runs the tasks
   * @return the wrapping executor service; null for a null executor service
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    if (executor == null) {
      return null;
    }
    return new ContextExecutorService.Scheduled(executor);
  }
}
