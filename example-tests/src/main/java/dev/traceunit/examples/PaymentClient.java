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
import java.util.concurrent.TimeUnit;

/**
 * Charges orders through a {@link PaymentGateway}, retrying I/O failures with exponential backoff
 * (100 ms, 200 ms, 400 ms…) on a scheduler. Every attempt is a CLIENT span {@code payment.charge}.
 */
public final class PaymentClient {

  private final PaymentGateway gateway;
  private final ScheduledExecutorService scheduler;
  private final int maxAttempts;
  private final Duration firstBackoff;

  public PaymentClient(PaymentGateway gateway, ScheduledExecutorService scheduler, int maxAttempts, Duration firstBackoff) {
    this.gateway = gateway;
    // Wrapped: a retry runs under the span that was current when it was scheduled.
    this.scheduler = Tracing.wrap(scheduler);
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
  }

  /** Charges the order; the future fails with {@link PaymentFailedException} once retries run out. */
  public CompletableFuture<Receipt> charge(String orderId, long amountCents) {
    CompletableFuture<Receipt> result = new CompletableFuture<>();
    attempt(orderId, amountCents, 1, result);
    return result;
  }

  private void attempt(String orderId, long amountCents, int attempt, CompletableFuture<Receipt> result) {
    if (result.isDone()) {
      return; // the caller gave up, e.g. its deadline passed
    }
    try (SpanHandle call = Tracing.start(SpanKind.CLIENT, "payment.charge")) {
      call.attribute("attempt", attempt);
      try {
        Receipt receipt = gateway.charge(orderId, amountCents);
        call.attribute("payment.id", receipt.paymentId());
        result.complete(receipt);
      } catch (IOException e) {
        call.error(e);
        if (attempt == maxAttempts) {
          result.completeExceptionally(new PaymentFailedException(orderId, attempt, e));
          return;
        }
        Duration backoff = firstBackoff.multipliedBy(1L << (attempt - 1));
        call.event("retry.scheduled", Map.of("delay_ms", backoff.toMillis()));
        scheduler.schedule(() -> attempt(orderId, amountCents, attempt + 1, result),
            backoff.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }
}
