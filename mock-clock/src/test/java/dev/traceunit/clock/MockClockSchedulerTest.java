package dev.traceunit.clock;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.assertj.core.api.FutureAssert;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MockClockSchedulerTest {
  private final MockClock clock = MockClock.create();
  private final ScheduledExecutorService scheduler = clock.scheduler();
  private final List<String> log = new ArrayList<>();

  /** Picks AssertJ's Future assertions for a ScheduledFuture, which is also Comparable. */
  private static <T> FutureAssert<T> assertThatFuture(Future<T> future) {
    return assertThat(future);
  }

  private Runnable record(String name) {
    return () -> log.add(name + "@" + clock.elapsed().toMillis());
  }

  // ---- when and in which order tasks run

  @Test
  void tasksRunWithTheClockSetExactlyAtTheirDeadline() {
    List<Object> seen = new ArrayList<>();
    scheduler.schedule(() -> {
      seen.add(clock.nanoTime());
      seen.add(clock.instant());
    }, 1_500_000_001, NANOSECONDS);

    clock.advanceTime(Duration.ofSeconds(5));

    assertThat(seen).containsExactly(
        1_500_000_001L, Instant.parse("2000-01-01T00:00:01.500000001Z"));
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aTaskDoesNotRunBeforeItsDeadlineAndRunsWhenTheClockReachesIt() {
    scheduler.schedule(record("task"), 2, SECONDS);

    clock.advanceTime(Duration.ofMillis(1999));
    assertThat(log).isEmpty();

    clock.advanceTime(Duration.ofMillis(1));
    assertThat(log).containsExactly("task@2000");
  }

  @Test
  void tasksRunInDeadlineOrder() {
    scheduler.schedule(record("third"), 3, SECONDS);
    scheduler.schedule(record("first"), 1, SECONDS);
    scheduler.schedule(record("second"), 2, SECONDS);

    clock.advanceTime(Duration.ofSeconds(3));

    assertThat(log).containsExactly("first@1000", "second@2000", "third@3000");
  }

  @Test
  void tasksDueAtTheSameInstantRunInSubmissionOrder() {
    for (int i = 0; i < 20; i++) {
      scheduler.schedule(record("task" + i), 1, SECONDS);
    }
    scheduler.schedule(record("earlier"), 500, MILLISECONDS);

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(log).hasSize(21).startsWith("earlier@500", "task0@1000", "task1@1000")
        .endsWith("task19@1000");
  }

  @Test
  void tasksScheduledDuringAnAdvanceThatFallInsideTheWindowRunInTheSameAdvance() {
    scheduler.schedule(() -> {
      record("outer").run();
      scheduler.schedule(record("inside"), 2, SECONDS);
      scheduler.schedule(record("beyond"), 10, SECONDS);
      scheduler.execute(record("now"));
    }, 1, SECONDS);

    clock.advanceTime(Duration.ofSeconds(5));

    assertThat(log).containsExactly("outer@1000", "now@1000", "inside@3000");
    assertThat(clock.nextTaskDelay()).contains(Duration.ofSeconds(6));
  }

  @Test
  void tasksRunOnTheThreadThatAdvancesTheClock() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    scheduler.schedule(() -> ranOn.set(Thread.currentThread()), 1, SECONDS);

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(ranOn).hasValue(Thread.currentThread());
  }

  @Test
  void aNegativeDelayMeansDueNow() {
    scheduler.schedule(record("task"), -5, SECONDS);

    assertThat(clock.nextTaskDelay()).contains(Duration.ZERO);
    clock.runDueTasks();
    assertThat(log).containsExactly("task@0");
  }

  @Test
  void executedAndSubmittedTasksAreDueNowAndRunAtTheNextRunDueTasks() throws Exception {
    scheduler.execute(record("executed"));
    Future<String> submitted = scheduler.submit(() -> "result");
    Future<?> runnable = scheduler.submit(record("submitted"));
    Future<Integer> withResult = scheduler.submit(record("with result"), 42);

    assertThat(log).isEmpty();
    assertThat(submitted).isNotDone();
    assertThat(clock.pendingTasks()).isEqualTo(4);

    MockClock returned = clock.runDueTasks();

    assertThat(returned).isSameAs(clock);
    assertThat(log).containsExactly("executed@0", "submitted@0", "with result@0");
    assertThat(submitted.get()).isEqualTo("result");
    assertThat(runnable.get()).isNull();
    assertThat(withResult.get()).isEqualTo(42);
    assertThat(clock.elapsed()).isZero();
  }

  @Test
  void runDueTasksDoesNotMoveTimeOrRunLaterTasks() {
    scheduler.schedule(record("later"), 1, NANOSECONDS);

    clock.runDueTasks();

    assertThat(log).isEmpty();
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void aTaskThatAdvancesTheClockItselfRunsTheTasksItPassesAndTheOuterAdvanceEndsNoEarlier() {
    scheduler.schedule(() -> {
      record("slow call starts").run();
      clock.advanceTime(Duration.ofSeconds(3)); // simulates a call that takes 3 s
      record("slow call ends").run();
    }, 1, SECONDS);
    scheduler.schedule(record("during the call"), 2, SECONDS);

    clock.advanceTime(Duration.ofSeconds(2));

    assertThat(log).containsExactly(
        "slow call starts@1000", "during the call@2000", "slow call ends@4000");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(4));
  }

  // ---- periodic tasks

  @Test
  void aFixedRateTaskRunsEveryPeriodFromItsInitialDelay() {
    scheduler.scheduleAtFixedRate(record("tick"), 1, 2, SECONDS);

    clock.advanceTime(Duration.ofSeconds(7));

    assertThat(log).containsExactly("tick@1000", "tick@3000", "tick@5000", "tick@7000");
    assertThat(clock.pendingTasks()).isEqualTo(1);
    assertThat(clock.nextTaskDelay()).contains(Duration.ofSeconds(2));
  }

  @Test
  void fixedRateRunsAreSpacedFromTheirStartsAndFixedDelayRunsFromTheEndOfThePreviousRun() {
    List<Long> rateStarts = startsOfATaskTakingThreeSeconds((scheduler, task) ->
        scheduler.scheduleAtFixedRate(task, 1, 10, SECONDS));
    List<Long> delayStarts = startsOfATaskTakingThreeSeconds((scheduler, task) ->
        scheduler.scheduleWithFixedDelay(task, 1, 10, SECONDS));

    assertThat(rateStarts).containsExactly(1L, 11L, 21L);
    assertThat(delayStarts).containsExactly(1L, 14L, 27L);
  }

  /** The seconds at which a periodic task starts in 30 s, if each run takes 3 s. */
  private static List<Long> startsOfATaskTakingThreeSeconds(
      BiConsumer<ScheduledExecutorService, Runnable> schedule) {
    MockClock clock = MockClock.create();
    List<Long> starts = new ArrayList<>();
    schedule.accept(clock.scheduler(), () -> {
      starts.add(clock.elapsed().toSeconds());
      clock.advanceTime(Duration.ofSeconds(3));
    });
    clock.advanceTime(Duration.ofSeconds(30));
    return starts;
  }

  @Test
  void aFixedRateTaskThatFallsBehindRunsLateBackToBackWithoutOverlapping() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    scheduler.scheduleAtFixedRate(() -> {
      if (inside.getAndIncrement() > 0) {
        overlaps.incrementAndGet();
      }
      record("tick").run();
      if (log.size() == 1) {
        clock.advanceTime(Duration.ofMillis(2500)); // the first run overruns two periods
      }
      inside.decrementAndGet();
    }, 0, 1, SECONDS);

    clock.advanceTime(Duration.ofSeconds(4));

    assertThat(log).containsExactly("tick@0", "tick@2500", "tick@2500", "tick@3000", "tick@4000");
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void schedulingRejectsANonPositivePeriodOrDelayNamingIt() {
    assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(record("x"), 0, 0, SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheduleAtFixedRate: the period must be positive, was 0 SECONDS");
    assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(record("x"), 0, -3, MILLISECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheduleWithFixedDelay: the delay must be positive, was -3 MILLISECONDS");
    assertThatThrownBy(() -> scheduler.schedule((Runnable) null, 1, SECONDS))
        .isInstanceOf(NullPointerException.class);
    assertThat(clock.pendingTasks()).isZero();
  }

  // ---- failures, cancellation, futures

  @Test
  void aThrowingTaskStoresItsExceptionInItsFutureAndTheAdvanceGoesOn() {
    UncheckedIOException failure = new UncheckedIOException(new IOException("connection reset"));
    ScheduledFuture<?> failing = scheduler.schedule(() -> {
      throw failure;
    }, 1, SECONDS);
    scheduler.schedule(record("after"), 2, SECONDS);

    clock.advanceTime(Duration.ofSeconds(2));

    assertThatFuture(failing).isDone();
    assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).hasCause(failure);
    assertThat(log).containsExactly("after@2000");
  }

  @Test
  void aThrowingPeriodicTaskStopsAndStoresItsException() {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
      if (runs.incrementAndGet() == 3) {
        throw new IllegalStateException("third run fails");
      }
    }, 1, 1, SECONDS);

    clock.advanceTime(Duration.ofSeconds(10));

    assertThat(runs).hasValue(3);
    assertThatFuture(periodic).isDone();
    assertThatThrownBy(periodic::get).isInstanceOf(ExecutionException.class)
        .cause().hasMessage("third run fails");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void getDelayIsMeasuredInVirtualTime() {
    ScheduledFuture<?> future = scheduler.schedule(record("task"), 10, SECONDS);

    clock.advanceTime(Duration.ofMillis(2500));

    assertThat(future.getDelay(MILLISECONDS)).isEqualTo(7500);
    assertThat(future.getDelay(SECONDS)).isEqualTo(7);
    clock.setWallTime(Instant.EPOCH);
    assertThat(future.getDelay(MILLISECONDS)).isEqualTo(7500);
  }

  @Test
  void futuresCompareByDeadline() {
    ScheduledFuture<?> later = scheduler.schedule(record("later"), 2, SECONDS);
    ScheduledFuture<?> sooner = scheduler.schedule(record("sooner"), 1, SECONDS);

    assertThat(sooner.compareTo(later)).isNegative();
    assertThat(later.compareTo(later)).isZero();
  }

  @Test
  void aCancelledTaskDoesNotRunAndIsNoLongerPending() {
    ScheduledFuture<?> cancelled = scheduler.schedule(record("cancelled"), 1, SECONDS);
    scheduler.schedule(record("kept"), 2, SECONDS);

    assertThat(cancelled.cancel(false)).isTrue();

    assertThatFuture(cancelled).isCancelled().isDone();
    assertThat(clock.pendingTasks()).isEqualTo(1);
    assertThat(clock.nextTaskDelay()).contains(Duration.ofSeconds(2));
    clock.advanceTime(Duration.ofSeconds(2));
    assertThat(log).containsExactly("kept@2000");
    assertThatThrownBy(cancelled::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void aPeriodicTaskCanCancelItselfWithInterruptWithoutLeavingTheAdvancingThreadInterrupted() {
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    AtomicReference<Boolean> interruptedInside = new AtomicReference<>();
    self.set(scheduler.scheduleAtFixedRate(() -> {
      record("poll").run();
      if (log.size() == 2) {
        self.get().cancel(true);
        interruptedInside.set(Thread.currentThread().isInterrupted());
      }
    }, 1, 1, SECONDS));

    clock.advanceTime(Duration.ofSeconds(5));

    assertThat(log).containsExactly("poll@1000", "poll@2000");
    assertThat(interruptedInside).as("the task sees the interrupt, as in the JDK").hasValue(true);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThatFuture(self.get()).isCancelled();
    assertThat(clock.pendingTasks()).isZero();
  }

  // ---- waiting on the driving thread

  @Test
  void getOnTheDrivingThreadFailsFastForATaskThatOnlyRunsWhenTimeAdvances() {
    Callable<String> fetch = () -> "ok";
    ScheduledFuture<String> future = scheduler.schedule(fetch, 5, SECONDS);
    clock.advanceTime(Duration.ofSeconds(2));

    assertThatThrownBy(future::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("get() would wait forever for task scheduled at "
            + MockClockSchedulerTest.class.getName()
            + ".getOnTheDrivingThreadFailsFastForATaskThatOnlyRunsWhenTimeAdvances(")
        .hasMessageContaining("this thread drives the MockClock")
        .hasMessageContaining("It runs when virtual time reaches +PT5S, PT3S from now: advance the"
            + " clock first, e.g. advanceTime(PT3S) or advanceUntilIdle()");

    clock.advanceTime(Duration.ofSeconds(3));
    assertThatFuture(future).succeedsWithin(Duration.ZERO).isEqualTo("ok");
  }

  @Test
  void getOnTheDrivingThreadFailsFastForATaskDueNow() {
    Future<?> future = scheduler.submit(record("task"));

    assertThatThrownBy(future::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("It is due now and runs at the next runDueTasks() or advanceTime");
  }

  @Test
  void getOnTheDrivingThreadFailsFastForAPeriodicTask() {
    ScheduledFuture<?> periodic = scheduler.scheduleWithFixedDelay(record("poll"), 1, 1, SECONDS);

    assertThatThrownBy(periodic::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("task (with a fixed delay of PT1S) scheduled at")
        .hasMessageContaining("A periodic task completes only when it is cancelled or fails");
  }

  @Test
  void getFromInsideATaskOnALaterTaskFailsFastInsteadOfDeadlocking() {
    ScheduledFuture<?> later = scheduler.schedule(record("later"), 2, SECONDS);
    ScheduledFuture<?> waiting = scheduler.schedule(() -> {
      try {
        return later.get();
      } catch (InterruptedException | ExecutionException e) {
        throw new AssertionError(e);
      }
    }, 1, SECONDS);

    clock.advanceTime(Duration.ofSeconds(2));

    assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PT1S from now");
    assertThat(log).containsExactly("later@2000");
  }

  @Test
  void getOfATaskOnItselfFailsFast() {
    AtomicReference<Future<?>> self = new AtomicReference<>();
    self.set(scheduler.submit(() -> {
      try {
        return self.get().get();
      } catch (InterruptedException | ExecutionException e) {
        throw new AssertionError(e);
      }
    }));

    clock.runDueTasks();

    assertThatThrownBy(() -> self.get().get()).isInstanceOf(ExecutionException.class)
        .cause().hasMessageContaining("It is running right now, so it would wait for itself");
  }

  @Test
  void timedGetOnTheDrivingThreadTimesOutAtOnceWithoutMovingTime() {
    ScheduledFuture<?> future = scheduler.schedule(record("task"), 2, SECONDS);

    assertThatThrownBy(() -> future.get(5, SECONDS))
        .isInstanceOf(TimeoutException.class)
        .hasMessageStartingWith("get(5, SECONDS) timed out at once for task")
        .hasMessageContaining("advanceTime(PT2S)");
    assertThat(clock.elapsed()).isZero();
  }

  @Test
  void getOfAFinishedTaskReturnsItsResultOnTheDrivingThread() throws Exception {
    ScheduledFuture<String> future = scheduler.schedule(() -> "done", 1, SECONDS);
    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(future.get()).isEqualTo("done");
    assertThat(future.get(0, SECONDS)).isEqualTo("done");
  }

  // ---- advanceUntilIdle

  @Test
  void advanceUntilIdleRunsOneShotTasksToExhaustionAdvancingTimeToEach() {
    scheduler.schedule(() -> {
      record("first").run();
      scheduler.schedule(record("scheduled by first"), 1, SECONDS);
    }, 30, SECONDS);
    scheduler.schedule(record("second"), 90, SECONDS);

    MockClock returned = clock.advanceUntilIdle();

    assertThat(returned).isSameAs(clock);
    assertThat(log).containsExactly("first@30000", "scheduled by first@31000", "second@90000");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(90));
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void advanceUntilIdleRunsPeriodicTasksOnTheWayButStopsWhenOnlyTheyRemain() {
    scheduler.scheduleAtFixedRate(record("tick"), 1, 1, SECONDS);
    scheduler.schedule(record("once"), 3, SECONDS);

    clock.advanceUntilIdle();

    assertThat(log).containsExactly("tick@1000", "tick@2000", "once@3000", "tick@3000");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(3));
    assertThat(clock.pendingTasks()).isEqualTo(1);

    clock.advanceUntilIdle();
    assertThat(clock.elapsed()).as("only a periodic task is left").isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void advanceUntilIdleStopsASelfReschedulingTaskAfterABoundedNumberOfRunsNamingIt() {
    AtomicInteger runs = new AtomicInteger();
    Runnable heartbeat = new Runnable() {
      @Override
      public void run() {
        runs.incrementAndGet();
        scheduler.schedule(this, 1, SECONDS);
      }

      @Override
      public String toString() {
        return "heartbeat";
      }
    };
    scheduler.schedule(heartbeat, 1, SECONDS);

    assertThatThrownBy(clock::advanceUntilIdle)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("advanceUntilIdle() ran 100000 tasks, up to +PT27H46M40S, and the"
            + " scheduler was still not idle")
        .hasMessageContaining("The task that ran most often (99999 times) is task heartbeat"
            + " scheduled at " + MockClockSchedulerTest.class.getName() + "$1.run(")
        .hasMessageEndingWith("Cancel it, or advance a fixed span with advanceTime(Duration).");
    assertThat(runs).hasValue(100_000);
    assertThat(clock.pendingTasks()).isEqualTo(1);
  }

  @Test
  void advanceUntilIdleStopsAPeriodicTaskThatKeepsSchedulingWorkNamingIt() {
    scheduler.scheduleAtFixedRate(
        () -> scheduler.schedule(() -> { }, 5, SECONDS), 0, 1, SECONDS);

    assertThatThrownBy(clock::advanceUntilIdle)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageMatching("(?s).* ran 100000 tasks, .*The task that ran most often \\(500\\d\\d"
            + " times\\) is task \\(at a fixed rate of PT1S\\) scheduled at dev\\.traceunit\\.clock"
            + "\\.MockClockSchedulerTest\\.advanceUntilIdleStopsAPeriodicTask.*");
  }

  @Test
  void advanceTimeStopsATaskThatResubmitsItselfWithoutDelayNamingIt() {
    Runnable spinner = new Runnable() {
      @Override
      public void run() {
        scheduler.execute(this);
      }

      @Override
      public String toString() {
        return "spinner";
      }
    };
    scheduler.schedule(spinner, 1, SECONDS);

    assertThatThrownBy(() -> clock.advanceTime(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("advanceTime(PT2S) ran 100000 tasks at +PT1S without virtual time"
            + " moving, and more were due")
        .hasMessageContaining("(99999 times) is task spinner scheduled at "
            + MockClockSchedulerTest.class.getName() + "$2.run(")
        .hasMessageEndingWith("Give it a delay, or cancel it.");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  // ---- shutdown, invokeAll, invokeAny

  @Test
  void shutdownRejectsNewTasksRunsDelayedOnesAndCancelsPeriodicOnesAsTheJdkDoes() throws Exception {
    ScheduledFuture<?> delayed = scheduler.schedule(record("delayed"), 2, SECONDS);
    ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(record("tick"), 1, 1, SECONDS);

    scheduler.shutdown();

    assertThat(scheduler.isShutdown()).isTrue();
    assertThatFuture(periodic).isCancelled();
    assertThatThrownBy(() -> scheduler.execute(record("late")))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageStartingWith("The MockClock's scheduler is shut down and accepts no new task:"
            + " rejected task scheduled at");
    assertThat(scheduler.isTerminated()).isFalse();
    assertThat(scheduler.awaitTermination(1, SECONDS))
        .as("on the driving thread nothing can progress: false at once").isFalse();

    clock.advanceTime(Duration.ofSeconds(2));

    assertThat(log).containsExactly("delayed@2000");
    assertThatFuture(delayed).isDone();
    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(scheduler.awaitTermination(1, SECONDS)).isTrue();
  }

  @Test
  void shutdownNowReturnsTheTasksThatNeverRanInDeadlineOrder() {
    ScheduledFuture<?> later = scheduler.schedule(record("later"), 2, SECONDS);
    ScheduledFuture<?> sooner = scheduler.schedule(record("sooner"), 1, SECONDS);

    List<Runnable> neverRan = scheduler.shutdownNow();

    assertThat(new ArrayList<Object>(neverRan)).containsExactly(sooner, later);
    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(clock.pendingTasks()).isZero();
    assertThatThrownBy(sooner::get).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("It is no longer scheduled (shutdownNow() removed it)");

    neverRan.get(0).run();
    assertThat(log).containsExactly("sooner@0");
    assertThatFuture(sooner).isDone();
  }

  @Test
  void closeOnTheDrivingThreadFailsFastWhileDelayedTasksRemain() {
    scheduler.schedule(record("delayed"), 1, SECONDS);
    VirtualScheduler closeable = (VirtualScheduler) scheduler;

    assertThatThrownBy(closeable::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("close() would wait forever for the 1 delayed tasks still"
            + " scheduled");

    clock.advanceUntilIdle();
    closeable.close();
    assertThat(scheduler.isTerminated()).isTrue();
  }

  @Test
  void closeFromTheOnlyTaskLeftShutsDownAndReturnsWithoutWaitingForItself() throws Exception {
    VirtualScheduler closeable = (VirtualScheduler) scheduler;
    ScheduledFuture<?> closing = scheduler.schedule(closeable::close, 1, SECONDS);

    clock.advanceUntilIdle();

    assertThat(closing.get()).isNull();
    assertThat(scheduler.isShutdown()).isTrue();
    assertThat(scheduler.isTerminated()).isTrue();
  }

  @Test
  void closeFromATaskWhileAnotherIsDelayedNamesOnlyTheDelayedOne() {
    VirtualScheduler closeable = (VirtualScheduler) scheduler;
    ScheduledFuture<?> closing = scheduler.schedule(closeable::close, 1, SECONDS);
    scheduler.schedule(record("delayed"), 2, SECONDS);

    clock.advanceTime(1, SECONDS);

    assertThatThrownBy(closing::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("close() would wait forever for the 1 delayed tasks still"
            + " scheduled");
  }

  @Test
  void invokeAllOnTheDrivingThreadRunsTheDueTasksInsteadOfWaiting() throws Exception {
    scheduler.execute(record("queued before"));
    List<Callable<String>> tasks = List.of(() -> "a", () -> "b");

    List<Future<String>> futures = scheduler.invokeAll(tasks);

    assertThat(futures).allSatisfy(future -> assertThat(future).isDone());
    assertThat(futures.get(0).get() + futures.get(1).get()).isEqualTo("ab");
    assertThat(log).containsExactly("queued before@0");
    assertThat(scheduler.invokeAll(tasks, 1, SECONDS)).hasSize(2);
    assertThat(clock.elapsed()).isZero();
  }

  @Test
  void invokeAnyReturnsTheFirstSuccessfulResultOrTheLastFailure() throws Exception {
    List<Callable<String>> someFail = List.of(
        () -> {
          throw new IOException("first fails");
        },
        () -> "second");
    List<Callable<String>> allFail = List.of(() -> {
      throw new IOException("only one, fails");
    });

    assertThat(scheduler.invokeAny(someFail)).isEqualTo("second");
    assertThat(scheduler.invokeAny(someFail, 1, SECONDS)).isEqualTo("second");
    assertThatThrownBy(() -> scheduler.invokeAny(allFail))
        .isInstanceOf(ExecutionException.class).cause().hasMessage("only one, fails");
    assertThatThrownBy(() -> scheduler.invokeAny(List.<Callable<String>>of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nextTaskDelayAndPendingTasksDescribeTheQueue() {
    scheduler.schedule(record("a"), 3, SECONDS);
    scheduler.scheduleAtFixedRate(record("b"), 1, 1, SECONDS);

    assertThat(clock.pendingTasks()).isEqualTo(2);
    assertThat(clock.nextTaskDelay()).contains(Duration.ofSeconds(1));

    clock.advanceTime(Duration.ofMillis(1500));

    assertThat(clock.nextTaskDelay()).contains(Duration.ofMillis(500));
    clock.advanceTime(Duration.ofMillis(1500));
    assertThat(clock.pendingTasks()).isEqualTo(1);
  }
}
