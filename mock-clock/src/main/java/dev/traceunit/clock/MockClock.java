package dev.traceunit.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Clock} that moves only when the test moves it, with a scheduler that runs in its time.
 *
 * <pre>{@code
 * MockClock clock = MockClock.create();                      // 2000-01-01T00:00:00Z, UTC
 * Cache cache = new Cache(clock, clock.scheduler());         // takes a Clock and an executor
 * cache.put("k", "v", Duration.ofMinutes(5));                // schedules its eviction
 * clock.advanceTime(Duration.ofMinutes(5));                  // runs it, now, on this thread
 * assertThat(cache.get("k")).isEmpty();
 * }</pre>
 *
 * <p>It keeps two times, as the JVM does: wall time ({@link #instant()}, {@link #millis()}), which
 * {@link #setWallTime} may step in either direction, and monotonic time ({@link #nanoTime()},
 * {@link #elapsed()}), which starts at 0 and never goes back. {@link #advanceTime} moves both. The
 * {@link #scheduler()} runs on monotonic time: a task runs when a call that drives the clock
 * ({@link #advanceTime}, {@link #runDueTasks()}, {@link #advanceUntilIdle()}) reaches its
 * deadline, on the thread that made that call, with the clock set exactly to the deadline.
 *
 * <p>Thread-safe. Any thread may read the time or schedule tasks, also while tasks run; calls that
 * drive the clock take turns, and a task may itself advance the clock (to simulate a slow call).
 * {@link #withZone} views share time and scheduler with this clock, and are equal to one another
 * when their zones are.
 */
public final class MockClock extends Clock {
  private static final Instant DEFAULT_START = Instant.parse("2000-01-01T00:00:00Z");
  private static final Duration MAX_MONOTONIC = Duration.ofNanos(Long.MAX_VALUE);

  private final Timeline timeline;
  private final ZoneId zone;

  private MockClock(Timeline timeline, ZoneId zone) {
    this.timeline = timeline;
    this.zone = zone;
  }

  /** {@return a clock at {@code 2000-01-01T00:00:00Z} in UTC, monotonic time 0, nothing scheduled} */
  public static MockClock create() {
    return at(DEFAULT_START);
  }

  /**
   * {@return a clock at {@code start} in UTC, monotonic time 0, nothing scheduled}
   *
   * @param start the wall time to start at
   */
  public static MockClock at(Instant start) {
    Objects.requireNonNull(start, "start");
    return new MockClock(new Timeline(start), ZoneOffset.UTC);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of this clock in {@code zone}: same time, same scheduler; advancing either moves both. */
  @Override
  public MockClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(this.zone) ? this : new MockClock(timeline, zone);
  }

  /** The wall time; then, if {@link #autoAdvance} is on, time moves by its step. */
  @Override
  public Instant instant() {
    return timeline.readInstant();
  }

  /** The wall time in epoch milliseconds; a read, as {@link #instant()}. */
  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  /**
   * Monotonic time in nanoseconds, a stand-in for {@link System#nanoTime()}: 0 when the clock was
   * created, moved only by {@link #advanceTime} and {@link #autoAdvance}; a read, as {@link
   * #instant()}.
   *
   * @return the monotonic time in nanoseconds
   */
  public long nanoTime() {
    return timeline.readNanos();
  }

  /** {@return monotonic time since the clock was created; a read, as {@link #instant()}} */
  public Duration elapsed() {
    return Duration.ofNanos(nanoTime());
  }

  /**
   * Moves wall and monotonic time forward by {@code duration}, running every task that falls due
   * on the way, on this thread, each with the clock set exactly to its deadline.
   *
   * <pre>{@code
   * clock.scheduler().schedule(retry, 2, SECONDS);
   * clock.advanceTime(Duration.ofMillis(1999));   // nothing runs
   * clock.advanceTime(Duration.ofMillis(1));      // retry runs at +2s exactly
   * }</pre>
   *
   * <p>Tasks run in deadline order, in submission order for equal deadlines; tasks they schedule
   * inside the window run in this call too, and periodic tasks repeat. A task that throws does not
   * stop the advance: its exception is stored in its future, as the JDK does. The clock ends at
   * its start plus {@code duration}, or later if a task advanced it further. If another thread is
   * advancing, this call waits its turn and then moves time by {@code duration} from where that
   * one left it. Stops with {@link IllegalStateException}, naming the task, when
   * 100,000 tasks run without time moving (a task resubmitting itself). Waiting for its turn answers
   * interrupts, and so JUnit's {@code @Timeout}: an interrupted wait throws {@link
   * IllegalStateException} naming the thread that drives the clock, with the {@link
   * InterruptedException} as its cause and the thread's interrupt flag set again; so do {@link
   * #runDueTasks()} and {@link #advanceUntilIdle()}.
   *
   * @param duration zero or positive; zero runs the tasks that are due now
   * @return this clock
   * @throws IllegalArgumentException if {@code duration} is null, negative, or would take
   *     monotonic time past {@code Long.MAX_VALUE} nanoseconds (292 years)
   * @throws IllegalStateException if interrupted while another thread drives the clock
   */
  public MockClock advanceTime(Duration duration) {
    String call = "advanceTime(" + duration + ")";
    return advance(call, nonNegativeNanos(call, duration, "the duration"));
  }

  private MockClock advance(String call, long nanos) {
    if (!timeline.advance(nanos, call)) {
      throw new IllegalArgumentException(call + ": monotonic time would pass its limit of "
          + MAX_MONOTONIC + " (292 years) after the clock's start; it is at +"
          + Duration.ofNanos(timeline.peekNanos()));
    }
    return this;
  }

  /**
   * As {@link #advanceTime(Duration)}, e.g. {@code advanceTime(30, SECONDS)}.
   *
   * @param amount how much time passes, at least 0
   * @param unit the unit of {@code amount}
   * @return this clock
   * @throws IllegalArgumentException if {@code amount} is negative or too large
   */
  public MockClock advanceTime(long amount, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    String call = "advanceTime(" + amount + ", " + unit + ")";
    Duration duration;
    try {
      duration = Duration.of(amount, unit.toChronoUnit());
    } catch (ArithmeticException beyondDuration) {
      // Far out of range either way: saturate, so that the one check below words the message.
      duration = Duration.ofSeconds(amount < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    return advance(call, nonNegativeNanos(call, duration, "the amount"));
  }

  /**
   * Sets the wall time, forward or back, as an NTP step would. Monotonic time and the scheduler
   * are unaffected: no task runs, and every task stays due after the same delay.
   *
   * @param wallTime the new wall time
   * @return this clock
   */
  public MockClock setWallTime(Instant wallTime) {
    Objects.requireNonNull(wallTime, "wallTime");
    timeline.setWallTime(wallTime);
    return this;
  }

  /**
   * Makes every read ({@link #instant()}, {@link #millis()}, {@link #nanoTime()}, {@link
   * #elapsed()}) move time forward by {@code step} after it returns, so that code measuring a
   * duration sees time pass; {@link Duration#ZERO} turns it off. Auto-advance runs no task: tasks
   * it makes due run, late, at the next call that drives the clock.
   *
   * @param step how far each read moves time, or zero for off
   * @return this clock
   * @throws IllegalArgumentException if {@code step} is null or negative
   */
  public MockClock autoAdvance(Duration step) {
    timeline.setAutoAdvance(nonNegativeNanos("autoAdvance(" + step + ")", step, "the step"));
    return this;
  }

  /**
   * {@return the scheduler that runs in this clock's time, shared by its zone views} Tasks never run on
   * their own: {@link #advanceTime}, {@link #runDueTasks()} or {@link #advanceUntilIdle()} run
   * them on the calling thread. {@code execute} and {@code submit} make a task due now.
   *
   * <p>Futures behave as the JDK's ({@code cancel}, {@code isDone}, a failure stored as an {@link
   * java.util.concurrent.ExecutionException}, a periodic task stopping at its first failure), with
   * {@code getDelay} in virtual time. Waiting is the exception: the thread that drives the clock
   * (the last to advance it, or the one that created it, if none has) cannot wait for a task,
   * since nothing else would run it. On that thread, {@code get()} of an unfinished task throws
   * {@link IllegalStateException} saying when the task is due, {@code get(timeout, unit)} throws
   * {@link java.util.concurrent.TimeoutException} at once, {@code awaitTermination} returns false
   * at once, and {@code invokeAll}/{@code invokeAny} run the due tasks (as {@link
   * #runDueTasks()}) instead of waiting. On any other thread they wait in real time, as the JDK
   * does, for the driving thread to run the task.
   *
   * <p>{@code shutdown} follows {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s
   * defaults: new tasks are rejected, delayed one-shot tasks still run as time advances, periodic
   * ones are cancelled. {@code shutdownNow} returns the tasks that never ran; it interrupts no
   * thread, since tasks run on the test's own thread.
   */
  public ScheduledExecutorService scheduler() {
    return timeline.scheduler;
  }

  /**
   * Runs, on this thread, the tasks due now (and those they make due now) without moving time.
   *
   * @return this clock
   */
  public MockClock runDueTasks() {
    timeline.runDueTasks("runDueTasks()");
    return this;
  }

  /**
   * Runs tasks until no one-shot task is left, advancing time to each deadline in turn. Periodic
   * tasks run when due on the way but don't keep the clock busy: with only periodic tasks left,
   * it returns.
   *
   * <p>Bounded: after 100,000 tasks it stops with an {@link
   * IllegalStateException} that names the task that ran most often, e.g. one that always
   * reschedules itself; use {@link #advanceTime} to cover a fixed span instead.
   *
   * @return this clock
   */
  public MockClock advanceUntilIdle() {
    timeline.advanceUntilIdle();
    return this;
  }

  /**
   * How many tasks are scheduled and not yet run (a periodic task counts once).
   *
   * @return how many tasks wait to run
   */
  public int pendingTasks() {
    return timeline.pendingTasks();
  }

  /** {@return the time until the next task is due (zero if one is due now), or empty if none is scheduled} */
  public Optional<Duration> nextTaskDelay() {
    return timeline.nextTaskDelay();
  }

  /** True for views of the same time (this clock and its {@link #withZone} views) in one zone. */
  @Override
  public boolean equals(Object other) {
    return other instanceof MockClock clock && clock.timeline == timeline && clock.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return 31 * System.identityHashCode(timeline) + zone.hashCode();
  }

  /** Describes the time without reading it: auto-advance does not move it. */
  @Override
  public String toString() {
    return "MockClock[" + timeline.peekInstant() + ", zone " + zone + ", elapsed "
        + Duration.ofNanos(timeline.peekNanos()) + ", pending tasks " + pendingTasks() + "]";
  }

  private static long nonNegativeNanos(String call, Duration duration, String what) {
    if (duration == null || duration.isNegative()) {
      throw new IllegalArgumentException(call + ": time only moves forward, " + what
          + " must be zero or positive");
    }
    if (duration.compareTo(MAX_MONOTONIC) > 0) {
      throw new IllegalArgumentException(call + ": " + what + " must be at most "
          + MAX_MONOTONIC + " (292 years), the range of monotonic time");
    }
    return duration.toNanos();
  }
}
