package dev.traceunit.micrometer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.micrometer.internal.TracingThreadLocalAccessor;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Tracing;
import dev.traceunit.junit.TraceExtension;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The pool's thread starts with no context of its own: only propagation can give it one. */
@ExtendWith(TraceExtension.class)
class ContextPropagationTest {

  private final ContextFreeThread pool = new ContextFreeThread();

  @AfterEach
  void stopPoolThread() throws InterruptedException {
    pool.close();
  }

  @Test
  void theAccessorIsRegisteredWithContextPropagation() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anyMatch(accessor -> accessor instanceof TracingThreadLocalAccessor
            && accessor.key().equals(TracingThreadLocalAccessor.KEY));
  }

  @Test
  void aContextExecutorServiceCarriesTheCurrentSpan(Spans spans) throws Exception {
    ExecutorService traced = ContextExecutorService.wrap(pool.executor, ContextSnapshotFactory.builder().build());
    try (SpanHandle request = Tracing.start("request")) {
      traced.submit(() -> Tracing.run("inventory.call", () -> {})).get(10, TimeUnit.SECONDS);
    }
    pool.executor.submit(() -> Tracing.run("unwrapped", () -> {})).get(10, TimeUnit.SECONDS);

    assertThat(spans).hasRootSpan("request").hasChildrenNamed("inventory.call");
    assertThat(spans).doesNotHaveSpan("unwrapped"); // the worker's own context was put back
  }

  @Test
  void aContextSnapshotCarriesTheCurrentSpanAndAnObservationsScope(ObservationRegistry registry, Spans spans)
      throws Exception {
    ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
    Observation.createNotStarted("order.place", registry).observe(() -> {
      Runnable task = snapshots.captureAll().wrap(() -> Tracing.run("audit.write", () -> {}));
      try {
        pool.executor.submit(task).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(spans).hasRootSpan("order.place").hasChildrenNamed("audit.write");
  }

  @Test
  void reactorsAutomaticPropagationCarriesTheCurrentSpanAcrossSchedulers(Spans spans) {
    Scheduler scheduler = Schedulers.fromExecutorService(pool.executor);
    Hooks.enableAutomaticContextPropagation();
    try (SpanHandle request = Tracing.start("request")) {
      String answer = Mono.just("sku-1")
          .publishOn(scheduler)
          .map(sku -> Tracing.supply("stock.lookup", () -> sku + ":3"))
          .block();
      assertThat(answer).isEqualTo("sku-1:3");
    } finally {
      Hooks.disableAutomaticContextPropagation();
      scheduler.dispose();
    }
    assertThat(spans).hasRootSpan("request").hasChildrenNamed("stock.lookup");
  }

  @Test
  void reactorsAutomaticPropagationCarriesAnObservationsScopeAndLeavesTheWorkerClean(ObservationRegistry registry,
      Spans spans) throws Exception {
    Scheduler scheduler = Schedulers.fromExecutorService(pool.executor);
    Hooks.enableAutomaticContextPropagation();
    try {
      String answer = Observation.createNotStarted("order.place", registry).observe(() -> Mono.just("sku-1")
          .publishOn(scheduler)
          .map(sku -> Observation.createNotStarted("stock.lookup", registry)
              .observe(() -> Tracing.supply("cache.read", () -> sku + ":3")))
          .block());
      assertThat(answer).isEqualTo("sku-1:3");
      pool.executor.submit(() -> Tracing.run("unwrapped", () -> {})).get(10, TimeUnit.SECONDS); // the worker, after
    } finally {
      Hooks.disableAutomaticContextPropagation();
      scheduler.dispose();
    }

    assertThat(spans).hasTreeShape("""
        order.place
          stock.lookup
            cache.read
        """).hasNoProblems();
  }
}
