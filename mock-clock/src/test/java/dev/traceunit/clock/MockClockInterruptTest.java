package dev.traceunit.clock;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** A thread that drives the clock and never finishes must not keep other callers waiting past an interrupt. */
class MockClockInterruptTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final MockClock clock = MockClock.create();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stopThreads() throws InterruptedException {
    release.countDown();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(30, SECONDS)).isTrue();
  }

  /** Starts a driver whose task blocks until released; returns its thread's name once it holds the clock. */
  private String stuckDriver() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<String> name = new AtomicReference<>();
    clock.scheduler().schedule(() -> {
      name.set(Thread.currentThread().getName());
      running.countDown();
      release.await();
      return null;
    }, 1, SECONDS);
    threads.submit(() -> clock.advanceTime(Duration.ofSeconds(1)));
    assertThat(running.await(30, SECONDS)).isTrue();
    return name.get();
  }

  @Test
  void everyDrivingCallAnswersAnInterruptWhileAnotherThreadDrives() throws Exception {
    String driver = stuckDriver();
    for (Consumer<MockClock> call : java.util.List.<Consumer<MockClock>>of(c -> c.advanceTime(Duration.ofSeconds(1)),
        MockClock::runDueTasks, MockClock::advanceUntilIdle)) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> flag = new AtomicReference<>();
      CountDownLatch started = new CountDownLatch(1);
      Thread waiter = new Thread(() -> {
        started.countDown();
        try {
          call.accept(clock);
        } catch (Throwable t) {
          thrown.set(t);
          flag.set(Thread.currentThread().isInterrupted());
        }
      }, "waiter");
      waiter.start();
      assertThat(started.await(30, SECONDS)).isTrue();
      long deadline = System.nanoTime() + SECONDS.toNanos(30);
      while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // until it waits for its turn
      }
      waiter.interrupt();
      waiter.join(SECONDS.toMillis(30));
      assertThat(waiter.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
          .hasCauseInstanceOf(InterruptedException.class)
          .hasMessageEndingWith(" was interrupted while it waited for its turn: thread '" + driver
              + "' is driving the clock (running its tasks) and has not finished");
      assertThat(flag.get()).isTrue();
    }
  }

  /** A test that advances a clock another thread is stuck driving. */
  static class StuckSample {
    static MockClock clock;

    @Test
    @Timeout(value = 300, unit = java.util.concurrent.TimeUnit.MILLISECONDS)
    void advancesBehindAStuckDriver() {
      clock.advanceTime(Duration.ofSeconds(1));
    }
  }

  @Test
  void junitsTimeoutEndsATestWaitingBehindAStuckDriver() throws Exception {
    stuckDriver();
    StuckSample.clock = clock;
    Event failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(StuckSample.class)).execute()
        .testEvents().failed().stream().findFirst().orElseThrow();
    Throwable failure = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertThat(failure).isInstanceOf(TimeoutException.class).hasMessageContaining("timed out after 300 milliseconds");
    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
  }
}
