package dev.traceunit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.CapturedContext;
import dev.traceunit.core.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A pool of one thread started with no traceunit context, like a server's worker made before the
 * test: only propagation (a header, a captured context) can tell it which test it works for.
 */
final class ContextFreeThread implements AutoCloseable {

  final ExecutorService executor = Executors.newSingleThreadExecutor();

  ContextFreeThread() {
    try (Scope none = CapturedContext.none().activate()) { // a thread started now inherits nothing
      executor.submit(() -> {}).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the pool's thread did not start", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }
}
