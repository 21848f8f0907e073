package dev.traceunit.clock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link ScheduledExecutorService} of a {@link MockClock}; see {@link MockClock#scheduler()}. */
final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final Timeline timeline;

  VirtualScheduler(Timeline timeline) {
    this.timeline = timeline;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return timeline.schedule(new VirtualTask<>(timeline, command, null, 0), unit.toNanos(delay));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Objects.requireNonNull(callable, "callable");
    return timeline.schedule(new VirtualTask<>(timeline, callable, 0), unit.toNanos(delay));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    long periodNanos = positiveNanos("scheduleAtFixedRate", "period", period, unit);
    return schedulePeriodic(command, initialDelay, periodNanos, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    long delayNanos = positiveNanos("scheduleWithFixedDelay", "delay", delay, unit);
    return schedulePeriodic(command, initialDelay, -delayNanos, unit);
  }

  /** As in the JDK, a positive period is a fixed rate, a negative one a fixed delay. */
  private ScheduledFuture<?> schedulePeriodic(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return timeline.schedule(
        new VirtualTask<>(timeline, command, null, period), unit.toNanos(initialDelay));
  }

  private static long positiveNanos(String method, String name, long amount, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    if (amount <= 0) {
      throw new IllegalArgumentException(
          method + ": the " + name + " must be positive, was " + amount + " " + unit);
    }
    return unit.toNanos(amount);
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    Objects.requireNonNull(task, "task");
    return timeline.schedule(new VirtualTask<>(timeline, task, result, 0), 0);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  /**
   * On the driving thread, runs the due tasks (as {@link MockClock#runDueTasks()}) instead of
   * waiting, since nothing else would run them; on any other thread, waits as the JDK does.
   */
  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    if (!timeline.isDrivenBy(Thread.currentThread())) {
      return super.invokeAll(tasks);
    }
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    try {
      for (Callable<T> task : tasks) {
        futures.add(submit(task));
      }
      timeline.runDueTasks("invokeAll");
    } finally {
      // As the JDK promises, every returned future is done, even after a failure.
      for (Future<T> future : futures) {
        future.cancel(false);
      }
    }
    return futures;
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    return timeline.isDrivenBy(Thread.currentThread())
        ? invokeAll(tasks)
        : super.invokeAll(tasks, timeout, unit);
  }

  /** As {@link #invokeAll(Collection)}; on the driving thread every task runs. */
  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    if (!timeline.isDrivenBy(Thread.currentThread())) {
      return super.invokeAny(tasks);
    }
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("invokeAny needs at least one task, was given none");
    }
    ExecutionException failure = null;
    for (Future<T> future : invokeAll(tasks)) {
      try {
        return future.get();
      } catch (ExecutionException e) {
        failure = e;
      } catch (CancellationException e) {
        failure = new ExecutionException("the task was cancelled before it ran", e);
      }
    }
    throw failure;
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(unit, "unit");
    return timeline.isDrivenBy(Thread.currentThread())
        ? invokeAny(tasks)
        : super.invokeAny(tasks, timeout, unit);
  }

  @Override
  public void shutdown() {
    timeline.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return timeline.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return timeline.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return timeline.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return timeline.awaitTermination(timeout, unit);
  }

  /**
   * {@code ExecutorService.close()} of Java 19 and later: shuts down and waits for the remaining
   * tasks. Its default would spin forever on the driving thread, where waiting moves no time, so
   * there a wait for remaining tasks fails fast instead. Called from a task, with nothing else
   * queued, it returns at once: the tasks still running are this thread's own, and they end as it
   * returns.
   */
  public void close() {
    shutdown();
    if (isTerminated()) {
      return;
    }
    if (timeline.isDrivenBy(Thread.currentThread())) {
      if (timeline.pendingTasks() == 0) {
        return;
      }
      throw new IllegalStateException("close() would wait forever for the "
          + timeline.pendingTasks() + " delayed tasks still scheduled: this thread drives the"
          + " MockClock and waiting does not move virtual time. Run them first with"
          + " advanceUntilIdle(), or drop them with shutdownNow().");
    }
    boolean interrupted = false;
    while (!isTerminated()) {
      try {
        awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          shutdownNow();
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
