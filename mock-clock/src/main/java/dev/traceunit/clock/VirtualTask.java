package dev.traceunit.clock;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task of a {@link MockClock}'s scheduler and its future. {@link FutureTask} keeps the JDK's
 * result, exception and cancellation semantics; this class adds a deadline in virtual time and
 * refuses waits that nothing could end (see {@link MockClock#scheduler()}).
 */
final class VirtualTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
  // The call site is a few frames up; walking there is most of what scheduling costs (~3 µs).
  private static final StackWalker STACK = StackWalker.getInstance(Set.of(), 8);
  private static final Set<String> INTERNAL_CLASSES = Set.of(
      MockClock.class.getName(), Timeline.class.getName(),
      VirtualScheduler.class.getName(), VirtualTask.class.getName());

  private final Timeline timeline;
  private final Object action;
  private final String callSite;
  /** 0 for a one-shot task; as in the JDK, &gt; 0 is a fixed rate and &lt; 0 a fixed delay. */
  private final long period;

  private volatile long deadline;
  private long sequence;           // guarded by timeline; breaks deadline ties in submission order
  volatile boolean queued;         // written under timeline's lock
  private volatile boolean running;
  private volatile boolean interruptRequested;

  VirtualTask(Timeline timeline, Callable<V> callable, long period) {
    super(callable);
    this.timeline = timeline;
    this.action = callable;
    this.period = period;
    this.callSite = callSite();
  }

  VirtualTask(Timeline timeline, Runnable runnable, V result, long period) {
    super(runnable, result);
    this.timeline = timeline;
    this.action = runnable;
    this.period = period;
    this.callSite = callSite();
  }

  @Override
  public boolean isPeriodic() {
    return period != 0;
  }

  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(deadline - timeline.peekNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    if (other == this) {
      return 0;
    }
    if (other instanceof VirtualTask<?> task) {
      int byDeadline = Long.compare(deadline, task.deadline);
      return byDeadline != 0 ? byDeadline : Long.compare(sequence, task.sequence);
    }
    return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
  }

  @Override
  public void run() {
    running = true;
    try {
      if (!isPeriodic()) {
        super.run();
      } else if (runAndReset() && !timeline.requeue(this)) {
        cancel(false); // the scheduler was shut down: periodic tasks stop, as in the JDK
      }
    } finally {
      running = false;
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    // Set before super.cancel delivers the interrupt, so the advancing thread can tell it apart.
    interruptRequested |= mayInterruptIfRunning;
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      timeline.remove(this);
    }
    return cancelled;
  }

  @Override
  public V get() throws InterruptedException, ExecutionException {
    if (!isDone() && timeline.isDrivenBy(Thread.currentThread())) {
      throw new IllegalStateException(cannotWait("get() would wait forever"));
    }
    return super.get();
  }

  @Override
  public V get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!isDone() && timeline.isDrivenBy(Thread.currentThread())) {
      throw new TimeoutException(cannotWait("get(" + timeout + ", " + unit + ") timed out at once"));
    }
    return super.get(timeout, unit);
  }

  @Override
  public String toString() {
    return describe();
  }

  long deadline() {
    return deadline;
  }

  /** Called with the timeline's lock held. */
  void setDeadline(long deadline, long sequence) {
    this.deadline = deadline;
    this.sequence = sequence;
  }

  /** The deadline of the run after the one that just ended at {@code now}. */
  long nextDeadline(long now) {
    return period > 0 ? Timeline.saturatedAdd(deadline, period) : Timeline.saturatedAdd(now, -period);
  }

  /** Whether a cancel(true) may have interrupted the thread that ran this task. */
  boolean interruptRequested() {
    return interruptRequested;
  }

  /** Groups the runs of one task, and of the copies a self-rescheduling task makes of itself. */
  String identity() {
    return action.getClass().getName() + " " + callSite;
  }

  String describe() {
    Class<?> type = action.getClass();
    String what = type.isHidden() || type.isSynthetic() ? "task" : "task " + action;
    String repeat = period > 0 ? " (at a fixed rate of " + Duration.ofNanos(period) + ")"
        : period < 0 ? " (with a fixed delay of " + Duration.ofNanos(-period) + ")"
        : "";
    return what + repeat + " scheduled at " + callSite;
  }

  private String cannotWait(String outcome) {
    String why;
    if (running) {
      why = "it is running right now, so it would wait for itself";
    } else if (isPeriodic()) {
      why = "a periodic task completes only when it is cancelled or fails";
    } else if (queued) {
      long delay = deadline - timeline.peekNanos();
      why = delay > 0
          ? "it runs when virtual time reaches +" + Duration.ofNanos(deadline) + ", "
              + Duration.ofNanos(delay) + " from now: advance the clock first, e.g. advanceTime("
              + Duration.ofNanos(delay) + ") or advanceUntilIdle()"
          : "it is due now and runs at the next runDueTasks() or advanceTime(...)";
    } else {
      why = "it is no longer scheduled (shutdownNow() removed it) and completes only if it is run"
          + " or cancelled";
    }
    return outcome + " for " + describe() + ": this thread drives the MockClock (it was the last"
        + " to advance it, or created it), nothing else runs the task while it waits, and waiting"
        + " does not move virtual time. " + capitalize(why) + ". To wait while the clock is"
        + " advanced, wait on a thread that does not advance it.";
  }

  private static String capitalize(String sentence) {
    return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }

  /** The first frame outside this module and java.util.concurrent: where the user scheduled it. */
  private static String callSite() {
    return STACK.walk(frames -> frames
        .filter(frame -> !isInternal(frame.getClassName()))
        .findFirst()
        .map(frame -> frame.getClassName() + "." + frame.getMethodName()
            + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")")
        .orElse("an unknown place"));
  }

  private static boolean isInternal(String className) {
    int nested = className.indexOf('$');
    String outer = nested < 0 ? className : className.substring(0, nested);
    return INTERNAL_CLASSES.contains(outer) || className.startsWith("java.util.concurrent.");
  }
}
