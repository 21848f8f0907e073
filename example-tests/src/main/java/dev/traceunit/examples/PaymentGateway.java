package dev.traceunit.examples;

import java.io.IOException;

/** The payment provider's API, as the payment client sees it. */
public interface PaymentGateway {

  /** Charges an order; an {@link IOException} is worth retrying. */
  Receipt charge(String orderId, long amountCents) throws IOException;

  /** What the provider returns for a successful charge. */
  record Receipt(String paymentId) {}
}
