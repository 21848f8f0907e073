package dev.traceunit.examples;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import dev.traceunit.examples.PaymentGateway.Receipt;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The {@code POST /checkout} handler: charges the order and answers 200, 502 when the payment
 * failed, or 504 when it timed out. The request is a SERVER span that ends with the response.
 */
public final class CheckoutService {

  /** The request body. */
  public record CheckoutRequest(String orderId, long amountCents) {}

  /** The response: an HTTP status, the payment id on success, and when the answer was given. */
  public record CheckoutResponse(int status, String paymentId, Instant completedAt) {}

  private final PaymentClient payments;
  private final Clock clock;

  public CheckoutService(PaymentClient payments, Clock clock) {
    this.payments = payments;
    this.clock = clock;
  }

  public CompletableFuture<CheckoutResponse> handle(CheckoutRequest request) {
    SpanHandle span = Tracing.span("POST /checkout")
        .kind(SpanKind.SERVER)
        .attribute("http.route", "/checkout")
        .attribute("order.id", request.orderId())
        .startAsync();
    try (Scope scope = span.activate()) {
      return payments.charge(request.orderId(), request.amountCents()).handle((receipt, failure) -> {
        Throwable cause = unwrap(failure);
        CheckoutResponse response = respond(receipt, cause);
        span.attribute("http.status_code", response.status());
        if (cause != null) {
          span.error(cause);
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
