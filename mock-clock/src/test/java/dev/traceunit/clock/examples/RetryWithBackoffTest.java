package dev.traceunit.clock.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.traceunit.clock.MockClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The "Deterministic time" example of docs/deterministic-time.md; the README check in example-tests keeps the two the same. */
class RetryWithBackoffTest {
  private final MockClock clock = MockClock.create();
  private final List<Duration> calls = new ArrayList<>();

  private String payment(int failures) throws IOException {
    calls.add(clock.elapsed());
    if (calls.size() <= failures) {
      throw new IOException("connection reset");
    }
    return "paid";
  }

  @Test
  void retriesWithExponentialBackoffUntilTheCallSucceeds() {
    Retrier retrier = new Retrier(clock.scheduler(), Duration.ofSeconds(1), 5);

    CompletableFuture<String> result = retrier.call(() -> payment(2));

    assertThat(calls).containsExactly(Duration.ZERO);        // the first attempt fails at once
    clock.advanceTime(Duration.ofMillis(999));
    assertThat(calls).hasSize(1);                            // no retry before 1 s
    clock.advanceTime(Duration.ofMillis(1));
    assertThat(calls).containsExactly(Duration.ZERO, Duration.ofSeconds(1));
    clock.advanceUntilIdle();                                // the rest, instantly
    assertThat(calls).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(3));
    assertThat(result).isCompletedWithValue("paid");
  }

  @Test
  void givesUpAfterTheLastAttemptWithItsError() {
    Retrier retrier = new Retrier(clock.scheduler(), Duration.ofSeconds(1), 3);

    CompletableFuture<String> result = retrier.call(() -> payment(Integer.MAX_VALUE));
    clock.advanceUntilIdle();

    assertThat(calls).containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(3));
    assertThatThrownBy(result::join).hasCauseInstanceOf(IOException.class);
    assertThat(clock.pendingTasks()).isZero();
  }
}
