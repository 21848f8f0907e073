package dev.traceunit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.CapturedContext;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ActiveCollectorTest {

  @Test
  void answersWithTheThreadsCollectorElseTheFallbackElseNull() {
    SpanCollector own = new SpanCollector();
    SpanCollector fallback = new SpanCollector();

    assertThat(ActiveCollector.ofThisThread()).isNull();
    try (Scope a = fallback.activateAsFallback()) {
      assertThat(ActiveCollector.ofThisThread()).isSameAs(fallback);
      try (Scope b = own.activate()) {
        assertThat(ActiveCollector.ofThisThread()).isSameAs(own);
      }
      assertThat(ActiveCollector.ofThisThread()).isSameAs(fallback);
    }
    assertThat(ActiveCollector.ofThisThread()).isNull();
  }

  @Test
  void aPoolThreadHasTheCollectorOfTheContextItWasHandedOnly() throws Exception {
    SpanCollector own = new SpanCollector();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<SpanCollector> bare;
      CompletableFuture<SpanCollector> handed = new CompletableFuture<>();
      try (Scope a = own.activate()) {
        bare = CompletableFuture.supplyAsync(ActiveCollector::ofThisThread, pool);
        CapturedContext captured = CapturedContext.now();
        pool.execute(() -> {
          try (Scope b = captured.activate()) {
            handed.complete(ActiveCollector.ofThisThread());
          }
        });
      }
      assertThat(bare.get()).isNull();
      assertThat(handed.get()).isSameAs(own);
    } finally {
      pool.shutdown();
    }
  }
}
