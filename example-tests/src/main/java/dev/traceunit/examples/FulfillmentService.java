package dev.traceunit.examples;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Prepares an order for shipping: reserves the items and asks for a shipping quote at the same
 * time, on an executor, and joins the two answers.
 */
public final class FulfillmentService {

  /** The warehouse's API. */
  public interface Inventory {
    String reserve(List<String> skus);
  }

  /** The carrier's API. */
  public interface Shipping {
    long quoteCents(String postcode);
  }

  /** A prepared order: the reservation and the shipping price. */
  public record Fulfillment(String reservationId, long shippingCents) {}

  private final Inventory inventory;
  private final Shipping shipping;
  private final Executor executor;

  public FulfillmentService(Inventory inventory, Shipping shipping, Executor executor) {
    this.inventory = inventory;
    this.shipping = shipping;
    this.executor = Tracing.wrap(executor); // tasks run under the span that submitted them
  }

  public CompletableFuture<Fulfillment> prepare(String orderId, List<String> skus, String postcode) {
    SpanHandle span = Tracing.span("fulfillment.prepare").attribute("order.id", orderId).startAsync();
    try (Scope scope = span.activate()) {
      CompletableFuture<String> reservation = CompletableFuture.supplyAsync(
          () -> Tracing.supply(SpanKind.CLIENT, "inventory.reserve", () -> inventory.reserve(skus)), executor);
      CompletableFuture<Long> quote = CompletableFuture.supplyAsync(
          () -> Tracing.supply(SpanKind.CLIENT, "shipping.quote", () -> shipping.quoteCents(postcode)), executor);
      return reservation.thenCombine(quote, Fulfillment::new).whenComplete((fulfillment, failure) -> {
        if (failure != null) {
          span.error(failure.getCause() != null ? failure.getCause() : failure);
        }
        span.end();
      });
    }
  }
}
