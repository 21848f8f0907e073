package dev.traceunit.clock;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads; every wait is bounded, so a bug fails the test instead of hanging it. */
class MockClockConcurrencyTest {
  private static final long BOUND_SECONDS = 30;
  private static final Instant START = Instant.parse("2000-01-01T00:00:00Z");

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final MockClock clock = MockClock.create();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(BOUND_SECONDS, SECONDS)).isTrue();
  }

  @Test
  void concurrentAdvancesFromSeveralThreadsAreSerializedAndNeverRunATaskTwice() throws Exception {
    int advancers = 4;
    int stepsEach = 250;
    int oneShots = advancers * stepsEach;
    AtomicIntegerArray runs = new AtomicIntegerArray(oneShots);
    AtomicInteger periodicRuns = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Set<String> ranOn = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < oneShots; i++) {
      int task = i;
      long deadline = MILLISECONDS.toNanos(i + 1);
      clock.scheduler().schedule(() -> {
        if (running.incrementAndGet() != 1) {
          problems.add("task " + task + " ran while another task was running");
        }
        if (clock.nanoTime() != deadline) {
          problems.add("task " + task + " ran at " + clock.nanoTime() + ", not at " + deadline);
        }
        runs.incrementAndGet(task);
        ranOn.add(Thread.currentThread().getName());
        running.decrementAndGet();
      }, deadline, NANOSECONDS);
    }
    clock.scheduler().scheduleAtFixedRate(periodicRuns::incrementAndGet, 1, 1, MILLISECONDS);

    CyclicBarrier start = new CyclicBarrier(advancers);
    List<Future<String>> done = new ArrayList<>();
    for (int t = 0; t < advancers; t++) {
      done.add(threads.submit(() -> {
        start.await(BOUND_SECONDS, SECONDS);
        for (int step = 0; step < stepsEach; step++) {
          clock.advanceTime(Duration.ofMillis(1));
        }
        return Thread.currentThread().getName();
      }));
    }
    Set<String> advancerNames = ConcurrentHashMap.newKeySet();
    for (Future<String> future : done) {
      advancerNames.add(future.get(BOUND_SECONDS, SECONDS));
    }

    assertThat(problems).isEmpty();
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(oneShots));
    for (int i = 0; i < oneShots; i++) {
      assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
    }
    assertThat(periodicRuns).hasValue(oneShots);
    assertThat(advancerNames).containsAll(ranOn);
  }

  @Test
  void readsFromOtherThreadsWhileTheClockAdvancesAreConsistentAndNeverGoBack() throws Exception {
    int readers = 3;
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch reading = new CountDownLatch(readers);
    List<Future<Integer>> results = new ArrayList<>();
    for (int r = 0; r < readers; r++) {
      results.add(threads.submit(() -> {
        long lastNanos = 0;
        int reads = 0;
        while (!stop.get() || reads == 0) {
          long nanos = clock.nanoTime();
          Instant wall = clock.instant();
          if (nanos < lastNanos) {
            throw new AssertionError("nanoTime went back from " + lastNanos + " to " + nanos);
          }
          if (wall.isBefore(START.plusNanos(nanos))) {
            throw new AssertionError("instant " + wall + " was read after nanoTime " + nanos);
          }
          lastNanos = nanos;
          if (++reads == 1) {
            reading.countDown();
          }
        }
        return reads;
      }));
    }
    assertThat(reading.await(BOUND_SECONDS, SECONDS)).isTrue();
    AtomicInteger tasks = new AtomicInteger();
    clock.scheduler().scheduleAtFixedRate(tasks::incrementAndGet, 0, 1, NANOSECONDS);

    for (int step = 0; step < 20_000; step++) {
      clock.advanceTime(Duration.ofNanos(1));
    }
    stop.set(true);

    for (Future<Integer> result : results) {
      assertThat(result.get(BOUND_SECONDS, SECONDS)).isPositive();
    }
    assertThat(tasks).hasValue(20_001);
  }

  @Test
  void tasksScheduledFromOtherThreadsWhileTheClockAdvancesAllRunExactlyOnce() throws Exception {
    int schedulers = 3;
    int tasksEach = 2_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(schedulers * tasksEach);
    CountDownLatch started = new CountDownLatch(schedulers);
    List<Future<?>> done = new ArrayList<>();
    for (int s = 0; s < schedulers; s++) {
      int first = s * tasksEach;
      done.add(threads.submit(() -> {
        started.countDown();
        for (int i = first; i < first + tasksEach; i++) {
          int task = i;
          clock.scheduler().schedule(() -> runs.incrementAndGet(task), task % 7, MILLISECONDS);
        }
        return null;
      }));
    }
    assertThat(started.await(BOUND_SECONDS, SECONDS)).isTrue();
    for (int step = 0; step < 1_000; step++) {
      clock.advanceTime(Duration.ofMillis(1));
    }
    for (Future<?> future : done) {
      future.get(BOUND_SECONDS, SECONDS);
    }

    clock.advanceUntilIdle();

    for (int i = 0; i < runs.length(); i++) {
      assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
    }
  }

  @Test
  void getOnAnotherThreadWaitsUntilTheDrivingThreadRunsTheTask() throws Exception {
    ScheduledFuture<String> answer = clock.scheduler().schedule(() -> "ok", 5, SECONDS);
    AtomicReference<Thread> waiter = new AtomicReference<>();
    Future<String> waited = threads.submit(() -> {
      waiter.set(Thread.currentThread());
      return answer.get();
    });
    awaitBlocked(waiter);

    clock.advanceTime(Duration.ofSeconds(5));

    assertThat(waited.get(BOUND_SECONDS, SECONDS)).isEqualTo("ok");
  }

  @Test
  void theDrivingThreadIsTheOneThatAdvancedTheClockLast() throws Exception {
    ScheduledFuture<String> answer = clock.scheduler().schedule(() -> "ok", 5, SECONDS);
    threads.submit(() -> clock.advanceTime(Duration.ofSeconds(1))).get(BOUND_SECONDS, SECONDS);

    Future<Throwable> onTheDriver = threads.submit(() -> {
      clock.advanceTime(Duration.ZERO);
      return catchThrowable(answer::get);
    });
    assertThat(onTheDriver.get(BOUND_SECONDS, SECONDS))
        .isInstanceOf(IllegalStateException.class);

    assertThatThrownBy(() -> answer.get(1, NANOSECONDS))
        .as("this thread no longer drives the clock: it really waits, as the JDK does")
        .isInstanceOf(TimeoutException.class)
        .hasMessage(null);
  }

  @Test
  void awaitTerminationOnAnotherThreadWaitsForTheLastTask() throws Exception {
    clock.scheduler().schedule(() -> { }, 1, SECONDS);
    clock.scheduler().shutdown();
    AtomicReference<Thread> waiter = new AtomicReference<>();
    Future<Boolean> terminated = threads.submit(() -> {
      waiter.set(Thread.currentThread());
      return clock.scheduler().awaitTermination(Long.MAX_VALUE, NANOSECONDS); // no overflow
    });
    awaitBlocked(waiter);

    clock.advanceTime(Duration.ofSeconds(1));

    assertThat(terminated.get(BOUND_SECONDS, SECONDS)).isTrue();
  }

  @Test
  void invokeAllOnAnotherThreadWaitsForTheDrivingThreadToRunTheTasks() throws Exception {
    List<Callable<String>> tasks = List.of(() -> "a", () -> "b");
    AtomicReference<Thread> waiter = new AtomicReference<>();
    Future<List<Future<String>>> invoked = threads.submit(() -> {
      waiter.set(Thread.currentThread());
      return clock.scheduler().invokeAll(tasks);
    });
    awaitBlocked(waiter);
    assertThat(clock.pendingTasks()).isEqualTo(2);

    clock.runDueTasks();

    List<Future<String>> futures = invoked.get(BOUND_SECONDS, SECONDS);
    assertThat(futures.get(0).get() + futures.get(1).get()).isEqualTo("ab");
  }

  private static Throwable catchThrowable(Callable<?> call) {
    try {
      call.call();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  /** Spins (no sleep) until the thread parks, bounded. */
  private static void awaitBlocked(AtomicReference<Thread> thread) {
    long deadline = System.nanoTime() + SECONDS.toNanos(BOUND_SECONDS);
    while (thread.get() == null || !isParked(thread.get().getState())) {
      if (System.nanoTime() > deadline) {
        fail("thread did not block within " + BOUND_SECONDS + " s: " + thread.get());
      }
      Thread.onSpinWait();
    }
  }

  private static boolean isParked(Thread.State state) {
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }
}
