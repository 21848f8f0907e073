package dev.traceunit.examples;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import dev.traceunit.examples.PaymentGateway.Receipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code POST /checkout} handler: charges the order and answers 200, 502 when the payment
 * failed, or 504 when it did not finish before the deadline. The request is a SERVER span.
 */
public final class CheckoutService {

  /** The request body. */
  public record CheckoutRequest(String orderId, long amountCents) {}

  /** The response: an HTTP status, the payment id on success, and when the answer was given. */
  public record CheckoutResponse(int status, String paymentId, Instant completedAt) {}

  private final PaymentClient payments;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Duration deadline;

  public CheckoutService(PaymentClient payments, ScheduledExecutorService scheduler, Clock clock, Duration deadline) {
    this.payments = payments;
    this.scheduler = Tracing.wrap(scheduler);
    this.clock = clock;
    this.deadline = deadline;
  }

  public CompletableFuture<CheckoutResponse> handle(CheckoutRequest request) {
    SpanHandle span = Tracing.span("POST /checkout")
        .kind(SpanKind.SERVER)
        .attribute("http.route", "/checkout")
        .attribute("order.id", request.orderId())
        .startAsync();
    try (Scope scope = span.activate()) {
      CompletableFuture<Receipt> payment = payments.charge(request.orderId(), request.amountCents());
      ScheduledFuture<?> timeout = scheduler.schedule(
          () -> payment.completeExceptionally(new TimeoutException("no payment within " + deadline.toMillis() + " ms")),
          deadline.toMillis(), TimeUnit.MILLISECONDS);
      return payment.handle((receipt, failure) -> {
        timeout.cancel(false);
        CheckoutResponse response = respond(receipt, unwrap(failure));
        span.attribute("http.status_code", response.status());
        if (failure != null) {
          span.error(unwrap(failure));
        }
        span.end();
        return response;
      });
    }
  }

  private CheckoutResponse respond(Receipt receipt, Throwable failure) {
    int status = failure == null ? 200 : failure instanceof TimeoutException ? 504 : 502;
    return new CheckoutResponse(status, receipt == null ? null : receipt.paymentId(), clock.instant());
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
