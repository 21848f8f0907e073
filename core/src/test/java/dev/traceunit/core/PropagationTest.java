package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PropagationTest {

  private final FakeTime time = new FakeTime();
  private final SpanCollector collector = FakeTime.collector(time);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private RecordedSpan parentOf(String name) {
    Trace trace = collector.snapshot();
    return trace.parent(trace.named(name).get(0)).orElseThrow();
  }

  @Test
  void wrapCarriesCollectorAndParentIntoExecutorTasks() throws Exception {
    // The pool's threads exist before any collector is active, so only wrap() can tell them.
    pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
    pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
    try (Scope scope = collector.activate(); SpanHandle fanOut = Tracing.start("fan.out")) {
      Runnable inventory = Tracing.wrap(() -> Tracing.run(SpanKind.CLIENT, "inventory", () -> {}));
      Callable<String> shipping = Tracing.wrap(() -> Tracing.supply(SpanKind.CLIENT, "shipping", () -> "ok"));
      CompletableFuture<Void> a = CompletableFuture.runAsync(inventory, pool);
      String b = pool.submit(shipping).get(10, TimeUnit.SECONDS);
      a.get(10, TimeUnit.SECONDS);
      assertThat(b).isEqualTo("ok");
    }
    assertThat(parentOf("inventory").name()).isEqualTo("fan.out");
    assertThat(parentOf("shipping").name()).isEqualTo("fan.out");
  }

  @Test
  void aWrappedExecutorServiceWrapsEveryTask() throws Exception {
    ExecutorService traced = Tracing.wrap(pool);
    try (Scope scope = collector.activate(); SpanHandle parent = Tracing.start("parent")) {
      traced.submit(() -> Tracing.run("submitted", () -> {})).get(10, TimeUnit.SECONDS);
      List<java.util.concurrent.Future<Integer>> all = traced.invokeAll(List.of(
          () -> Tracing.supply("invoked.1", () -> 1), () -> Tracing.supply("invoked.2", () -> 2)));
      for (java.util.concurrent.Future<Integer> f : all) {
        f.get(10, TimeUnit.SECONDS);
      }
      CountDownLatch done = new CountDownLatch(1);
      Tracing.wrap((java.util.concurrent.Executor) pool).execute(() -> {
        Tracing.run("executed", () -> {});
        done.countDown();
      });
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
    for (String name : List.of("submitted", "invoked.1", "invoked.2", "executed")) {
      assertThat(parentOf(name).name()).as(name).isEqualTo("parent");
    }
    assertThat(traced.isShutdown()).isFalse();
  }

  @Test
  void aWrappedSchedulerCarriesTheContextOfTheSchedulingThread() throws Exception {
    ScheduledExecutorService scheduler = Tracing.wrap(Executors.newSingleThreadScheduledExecutor());
    try {
      try (Scope scope = collector.activate(); SpanHandle parent = Tracing.start("parent")) {
        scheduler.schedule(() -> Tracing.run("later", () -> {}), 1, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
      }
      assertThat(parentOf("later").name()).isEqualTo("parent");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aTaskWrappedWithoutContextDoesNotSeeTheContextOfTheThreadRunningIt() {
    Runnable bare = Tracing.wrap(() -> Tracing.run("nowhere", () -> {}));
    try (Scope scope = collector.activate()) {
      bare.run();
      Tracing.run("here", () -> {});
    }
    assertThat(collector.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("here");
  }

  @Test
  void threadsStartedInsideAnActiveCollectorInheritIt() throws Exception {
    try (Scope scope = collector.activate(); SpanHandle parent = Tracing.start("parent")) {
      Thread child = new Thread(() -> Tracing.run("in.child.thread", () -> {}));
      child.start();
      child.join(10_000);
    }
    assertThat(parentOf("in.child.thread").name()).isEqualTo("parent");
  }

  @Test
  void threadsWithoutContextRecordIntoTheFallbackCollector() throws Exception {
    Thread bare = new Thread(() -> Tracing.run("fallback.root", () -> Tracing.run("fallback.child", () -> {})));
    try (Scope fallback = collector.activateAsFallback()) {
      bare.start();
      bare.join(10_000);
    }
    assertThat(parentOf("fallback.child").name()).isEqualTo("fallback.root");
    assertThat(collector.snapshot().named("fallback.root").get(0).isRoot()).isTrue();
  }

  @Test
  void withoutAnyCollectorSpansGoNowhere() throws Exception {
    Thread bare = new Thread(() -> Tracing.run("lost", () -> {}));
    bare.start();
    bare.join(10_000);
    assertThat(collector.size()).isZero();
  }

  @Test
  void closingTheFallbackScopeRestoresThePreviousFallback() {
    SpanCollector other = FakeTime.collector(time);
    try (Scope outer = other.activateAsFallback()) {
      try (Scope inner = collector.activateAsFallback()) {
        Tracing.run("to.inner", () -> {});
      }
      Tracing.run("to.outer", () -> {});
    }
    Tracing.run("to.nobody", () -> {});
    assertThat(collector.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("to.inner");
    assertThat(other.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("to.outer");
  }

  @Test
  void activatingAnotherCollectorIsolatesItAndClosingRestoresTheFirst() {
    SpanCollector other = FakeTime.collector(time);
    try (Scope first = collector.activate(); SpanHandle outer = Tracing.start("outer")) {
      try (Scope second = other.activate()) {
        Tracing.run("isolated", () -> {});
      }
      Tracing.run("back", () -> {});
    }
    assertThat(other.snapshot().spans()).extracting(RecordedSpan::name).containsExactly("isolated");
    assertThat(other.snapshot().spans().get(0).isRoot()).isTrue();
    assertThat(parentOf("back").name()).isEqualTo("outer");
  }

  @Test
  void timeIsTheSystemClockWhenNothingIsActive() {
    assertThat(Tracing.time()).isSameAs(TimeSource.system());
    try (Scope scope = collector.activate()) {
      assertThat(Tracing.time()).isSameAs(time);
    }
  }
}
