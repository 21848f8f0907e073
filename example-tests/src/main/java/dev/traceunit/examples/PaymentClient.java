package dev.traceunit.examples;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import dev.traceunit.examples.PaymentGateway.Receipt;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Charges orders through a {@link PaymentGateway}, retrying I/O failures with exponential backoff
 * (100 ms, 200 ms, 400 ms…) on a scheduler, and giving up when the whole charge takes longer than
 * its timeout. Every attempt is a CLIENT span {@code payment.charge}.
 */
public final class PaymentClient {

  private final PaymentGateway gateway;
  private final ScheduledExecutorService scheduler;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration timeout;

  public PaymentClient(PaymentGateway gateway, ScheduledExecutorService scheduler, int maxAttempts,
      Duration firstBackoff, Duration timeout) {
    this.gateway = gateway;
    // Wrapped: a retry runs under the span that was current when it was scheduled.
    this.scheduler = Tracing.wrap(scheduler);
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.timeout = timeout;
  }

  /**
   * Charges the order. The future fails with {@link PaymentFailedException} once retries run out,
   * or with a {@link TimeoutException} when the timeout passes first.
   */
  public CompletableFuture<Receipt> charge(String orderId, long amountCents) {
    CompletableFuture<Receipt> result = new CompletableFuture<>();
    ScheduledFuture<?> timer = scheduler.schedule(
        () -> result.completeExceptionally(new TimeoutException("no payment within " + timeout.toMillis() + " ms")),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((receipt, failure) -> timer.cancel(false));
    scheduler.execute(() -> attempt(orderId, amountCents, 1, result)); // I/O happens on the client's thread
    return result;
  }

  private void attempt(String orderId, long amountCents, int attempt, CompletableFuture<Receipt> result) {
    if (result.isDone()) {
      return; // the caller gave up, e.g. its deadline passed
    }
    Duration retryIn;
    try (SpanHandle call = Tracing.start(SpanKind.CLIENT, "payment.charge")) {
      call.attribute("attempt", attempt);
      try {
        Receipt receipt = gateway.charge(orderId, amountCents);
        call.attribute("payment.id", receipt.paymentId());
        result.complete(receipt);
        return;
      } catch (IOException e) {
        call.error(e);
        if (attempt == maxAttempts) {
          result.completeExceptionally(new PaymentFailedException(orderId, attempt, e));
          return;
        }
        retryIn = firstBackoff.multipliedBy(1L << (attempt - 1));
        call.event("retry.scheduled", Map.of("delay_ms", retryIn.toMillis()));
      }
    }
    // Scheduled after the attempt's span closed: the retry runs under the span current now (the
    // checkout), beside this attempt. Scheduled inside it, the retry would be the attempt's child.
    scheduler.schedule(() -> attempt(orderId, amountCents, attempt + 1, result), retryIn.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
