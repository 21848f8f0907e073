package dev.traceunit.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a {@link MockClock} shares with its zone views: wall and monotonic time, the queue of
 * tasks waiting for virtual time, and the scheduler's lifecycle.
 *
 * <p>Two locks, so that reading the time never waits for a running task: this object's monitor
 * guards every field and is held for a few instructions at a time; {@link #driving} is held by
 * the thread that runs tasks (advanceTime, runDueTasks, advanceUntilIdle), so concurrent advances
 * take turns. It is reentrant: a task may advance the clock, e.g. to simulate a slow call.
 */
final class Timeline {
  /**
   * How many tasks one call may run without virtual time moving (advanceTime, runDueTasks) or
   * in total (advanceUntilIdle) before it stops and reports a runaway.
   */
  static final int RUNAWAY_LIMIT = 100_000;

  final VirtualScheduler scheduler = new VirtualScheduler(this);
  private final ReentrantLock driving = new ReentrantLock();
  /** The thread that advanced the clock last, or created it: the one a blocking wait can't help. */
  private volatile Thread driver = Thread.currentThread();

  // Written under this object's monitor. Volatile, so that a read without auto-advance (every
  // span start and end under the extension's collector) is two field reads and takes no lock.
  private volatile long nanos;
  private volatile Instant wallAtZero; // wall time = wallAtZero + nanos
  private volatile long autoAdvanceNanos;
  // Guarded by this.
  private final PriorityQueue<VirtualTask<?>> queue = new PriorityQueue<>();
  private long nextSequence;
  private int oneShotsQueued;
  private int running;
  private boolean shutdown;

  Timeline(Instant start) {
    this.wallAtZero = start;
  }

  // ---- time

  /** A read by the code under test: returns the time, then applies auto-advance. */
  Instant readInstant() {
    if (autoAdvanceNanos == 0) {
      // Both fields change only under the monitor; the same wallAtZero read on either side of
      // nanos means the pair read is one the clock was in.
      Instant zero = wallAtZero;
      long now = nanos;
      if (wallAtZero == zero) {
        return zero.plusNanos(now);
      }
    }
    return readInstantAndAdvance();
  }

  private synchronized Instant readInstantAndAdvance() {
    Instant now = wallAtZero.plusNanos(nanos);
    nanos = saturatedAdd(nanos, autoAdvanceNanos);
    return now;
  }

  /** A read by the code under test: returns the time, then applies auto-advance. */
  long readNanos() {
    return autoAdvanceNanos == 0 ? nanos : readNanosAndAdvance();
  }

  private synchronized long readNanosAndAdvance() {
    long now = nanos;
    nanos = saturatedAdd(nanos, autoAdvanceNanos);
    return now;
  }

  synchronized long peekNanos() {
    return nanos;
  }

  synchronized Instant peekInstant() {
    return wallAtZero.plusNanos(nanos);
  }

  synchronized void setWallTime(Instant wallTime) {
    wallAtZero = wallTime.minusNanos(nanos);
  }

  synchronized void setAutoAdvance(long stepNanos) {
    autoAdvanceNanos = stepNanos;
  }

  // ---- driving

  boolean isDrivenBy(Thread thread) {
    return driver == thread;
  }

  /**
   * Waits for the turn to drive the clock while another thread drives it, answering interrupts
   * (and so JUnit's {@code @Timeout}): an interrupted wait throws {@link IllegalStateException}
   * whose cause is the {@link InterruptedException}, with the interrupt flag set again.
   */
  private void takeTurn(String call) {
    if (driving.tryLock()) {
      return;
    }
    Thread holder = driver;
    try {
      driving.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(call + " was interrupted while it waited for its turn: thread '"
          + (holder == null ? "?" : holder.getName()) + "' is driving the clock (running its tasks) and has not"
          + " finished", e);
    }
  }

  /**
   * Moves time forward by {@code deltaNanos}, running the tasks that fall due on the way; returns
   * false, having done nothing, if monotonic time would overflow.
   */
  boolean advance(long deltaNanos, String call) {
    takeTurn(call);
    try {
      driver = Thread.currentThread();
      long target;
      synchronized (this) {
        if (nanos > Long.MAX_VALUE - deltaNanos) {
          return false;
        }
        target = nanos + deltaNanos;
      }
      Runaway guard = new Runaway(call, true);
      while (runNext(target, false, guard)) {
        // each turn runs one task
      }
      synchronized (this) {
        nanos = Math.max(nanos, target); // a task may have advanced past the target itself
      }
      return true;
    } finally {
      driving.unlock();
    }
  }

  void runDueTasks(String call) {
    takeTurn(call);
    try {
      driver = Thread.currentThread();
      long now = peekNanos();
      Runaway guard = new Runaway(call, true);
      while (runNext(now, false, guard)) {
        // each turn runs one task
      }
    } finally {
      driving.unlock();
    }
  }

  void advanceUntilIdle() {
    takeTurn("advanceUntilIdle()");
    try {
      driver = Thread.currentThread();
      Runaway guard = new Runaway("advanceUntilIdle()", false);
      do {
        long now = peekNanos();
        while (runNext(now, false, guard)) {
          // run everything due at this instant, periodic tasks included
        }
      } while (runNext(Long.MAX_VALUE, true, guard)); // then move on while one-shot work remains
    } finally {
      driving.unlock();
    }
  }

  /**
   * Runs the first task if it is due at or before {@code target} (and, if asked, only while a
   * one-shot task is queued), with the clock set to its deadline; false if there was none.
   */
  private boolean runNext(long target, boolean whileOneShotsQueued, Runaway guard) {
    VirtualTask<?> task;
    synchronized (this) {
      task = queue.peek();
      boolean idle = whileOneShotsQueued && oneShotsQueued == 0;
      if (task == null || task.deadline() > target || idle) {
        return false;
      }
      long runAt = Math.max(nanos, task.deadline()); // late only if auto-advance overtook it
      guard.beforeRun(task, runAt, nanos);
      poll();
      nanos = runAt;
      running++;
    }
    boolean wasInterrupted = Thread.currentThread().isInterrupted();
    try {
      task.run();
    } finally {
      if (!wasInterrupted && task.interruptRequested()) {
        // Like a JDK worker, don't let an interrupt meant for a cancelled task outlive it: this
        // thread belongs to the test.
        Thread.interrupted();
      }
      synchronized (this) {
        running--;
        notifyAll();
      }
    }
    return true;
  }

  // ---- queue

  synchronized <T extends VirtualTask<?>> T schedule(T task, long delayNanos) {
    if (shutdown) {
      throw new RejectedExecutionException(
          "The MockClock's scheduler is shut down and accepts no new task: rejected " + task);
    }
    enqueue(task, saturatedAdd(nanos, Math.max(0, delayNanos)));
    return task;
  }

  /** Puts a periodic task back for its next run; false if the scheduler was shut down. */
  synchronized boolean requeue(VirtualTask<?> task) {
    if (shutdown) {
      return false;
    }
    // Not if it was cancelled meanwhile, or a user ran it by hand while it was queued.
    if (!task.queued && !task.isDone()) {
      enqueue(task, task.nextDeadline(nanos));
    }
    return true;
  }

  synchronized void remove(VirtualTask<?> task) {
    if (task.queued) {
      queue.remove(task);
      dequeued(task);
      notifyAll();
    }
  }

  synchronized int pendingTasks() {
    return queue.size();
  }

  synchronized Optional<Duration> nextTaskDelay() {
    VirtualTask<?> next = queue.peek();
    return next == null ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.max(0, next.deadline() - nanos)));
  }

  private void enqueue(VirtualTask<?> task, long deadline) {
    task.setDeadline(deadline, nextSequence++);
    task.queued = true;
    queue.add(task);
    if (!task.isPeriodic()) {
      oneShotsQueued++;
    }
  }

  private VirtualTask<?> poll() {
    VirtualTask<?> task = queue.poll();
    dequeued(task);
    return task;
  }

  private void dequeued(VirtualTask<?> task) {
    task.queued = false;
    if (!task.isPeriodic()) {
      oneShotsQueued--;
    }
  }

  // ---- lifecycle, as ScheduledThreadPoolExecutor's defaults: delayed one-shot tasks still run
  // after shutdown, periodic ones are cancelled.

  void shutdown() {
    List<VirtualTask<?>> periodic = new ArrayList<>();
    synchronized (this) {
      shutdown = true;
      for (VirtualTask<?> task : queue) {
        if (task.isPeriodic()) {
          periodic.add(task);
        }
      }
      notifyAll();
    }
    periodic.forEach(task -> task.cancel(false));
  }

  synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> neverRun = new ArrayList<>(queue.size());
    while (!queue.isEmpty()) {
      neverRun.add(poll());
    }
    notifyAll();
    return neverRun;
  }

  synchronized boolean isShutdown() {
    return shutdown;
  }

  synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty() && running == 0;
  }

  /**
   * Waits in real time, as the JDK does, except on the driving thread: nothing can progress while
   * it waits, so it returns at once.
   */
  synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long left = unit.toNanos(timeout);
    while (!isTerminated()) {
      if (left <= 0 || isDrivenBy(Thread.currentThread())) {
        return false;
      }
      long start = System.nanoTime();
      TimeUnit.NANOSECONDS.timedWait(this, left);
      left -= System.nanoTime() - start;
    }
    return true;
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow only if both have the same sign and the sum's sign differs.
    return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
  }

  /** Stops a call that keeps running tasks, and names the task that ran most often. */
  private static final class Runaway {
    private final String call;
    private final boolean perInstant;
    private long instant = Long.MIN_VALUE;
    private int runs;
    private Map<String, Count> byTask = new HashMap<>();

    Runaway(String call, boolean perInstant) {
      this.call = call;
      this.perInstant = perInstant;
    }

    void beforeRun(VirtualTask<?> task, long runAt, long now) {
      if (perInstant && runAt != instant) {
        instant = runAt;
        runs = 0;
        if (!byTask.isEmpty()) {
          byTask = new HashMap<>();
        }
      }
      if (runs == RUNAWAY_LIMIT) {
        throw new IllegalStateException(message(now));
      }
      runs++;
      byTask.computeIfAbsent(task.identity(), key -> new Count(task.describe())).runs++;
    }

    private String message(long now) {
      Count top = byTask.values().stream().max(Comparator.comparingInt(count -> count.runs))
          .orElseThrow();
      String at = "+" + Duration.ofNanos(now);
      String what = perInstant
          ? call + " ran " + runs + " tasks at " + at + " without virtual time moving, and more"
              + " were due: a task that keeps scheduling work without delay never lets time move."
          : call + " ran " + runs + " tasks, up to " + at + ", and the scheduler was still not"
              + " idle: a task that keeps scheduling more work never lets it become idle.";
      String fix = perInstant ? "Give it a delay, or cancel it."
          : "Cancel it, or advance a fixed span with advanceTime(Duration).";
      return what + " The task that ran most often (" + top.runs + " times) is " + top.task
          + ". " + fix;
    }

    private static final class Count {
      final String task;
      int runs;

      Count(String task) {
        this.task = task;
      }
    }
  }
}
