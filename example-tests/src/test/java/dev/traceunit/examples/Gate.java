package dev.traceunit.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a fake's answer until the test opens it; waits at most five seconds, never forever. */
final class Gate {

  private final CountDownLatch open = new CountDownLatch(1);

  void open() {
    open.countDown();
  }

  void pass() {
    try {
      if (!open.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    }
  }
}
