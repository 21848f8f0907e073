package dev.traceunit.examples;

import java.io.IOException;

/** A charge that failed on every attempt. */
public final class PaymentFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  public PaymentFailedException(String orderId, int attempts, IOException lastFailure) {
    super("payment for order " + orderId + " failed after " + attempts + " attempts", lastFailure);
  }
}
