package dev.traceunit.clock.examples;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Calls an action until it succeeds, waiting longer after each failure: 1 s, 2 s, 4 s... */
public final class Retrier {
  private final ScheduledExecutorService scheduler;
  private final Duration firstDelay;
  private final int maxAttempts;

  public Retrier(ScheduledExecutorService scheduler, Duration firstDelay, int maxAttempts) {
    this.scheduler = scheduler;
    this.firstDelay = firstDelay;
    this.maxAttempts = maxAttempts;
  }

  public <T> CompletableFuture<T> call(Callable<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(action, 1, firstDelay, result);
    return result;
  }

  private <T> void attempt(
      Callable<T> action, int attempt, Duration delay, CompletableFuture<T> result) {
    try {
      result.complete(action.call());
    } catch (Exception e) {
      if (attempt == maxAttempts) {
        result.completeExceptionally(e);
      } else {
        scheduler.schedule(() -> attempt(action, attempt + 1, delay.multipliedBy(2), result),
            delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }
}
