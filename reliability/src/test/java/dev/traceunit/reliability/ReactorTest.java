package dev.traceunit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.UnrecordedSpans;
import dev.traceunit.junit.TraceExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Reactor pipeline (no Reactor hooks installed) on a scheduler whose threads an earlier test
 * started: its spans never go to that earlier test. Unwrapped operators record into the running test
 * as roots when tests run one at a time (the fallback), and are counted as recorded nowhere under
 * parallel execution; work handed over through {@link Tracing#wrap} is a child of the span that
 * handed it over in both modes, and with Reactor's schedule hook set to {@code Tracing::wrap} every
 * operator is.
 */
@Isolated // reads the JVM-wide count of unrecorded spans
class ReactorTest {

  @TempDir
  Path reports;

  static Scheduler scheduler;
  static final Map<String, SpanCollector> collectors = new ConcurrentHashMap<>();

  @ExtendWith(TraceExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PipelineSample {
    @Test
    @Order(1)
    void earlier(SpanCollector collector) {
      collectors.put("earlier", collector);
      // The scheduler's threads start now, inside this test, and inherit its context.
      assertThat(Flux.range(1, 4).parallel(2).runOn(scheduler).map(i -> i).sequential().collectList().block())
          .hasSize(4);
    }

    @Test
    @Order(2)
    void later(SpanCollector collector) {
      collectors.put("later", collector);
      try (SpanHandle quote = Tracing.start("quote")) {
        List<Integer> prices = Flux.range(1, 3)
            .publishOn(scheduler)
            .map(i -> Tracing.supply("price", () -> i * 10))
            .collectList()
            .block();
        assertThat(prices).containsExactly(10, 20, 30);
        Integer tax = Mono.fromCallable(Tracing.wrap(() -> Tracing.supply("tax", () -> 7)))
            .subscribeOn(scheduler)
            .block();
        assertThat(tax).isEqualTo(7);
      }
    }
  }

  private EngineExecutionResults run(Map<String, String> configuration) {
    scheduler = Schedulers.newParallel("app-parallel", 2);
    collectors.clear();
    try {
      return Runs.run(Runs.into(reports), configuration, PipelineSample.class);
    } finally {
      scheduler.dispose();
    }
  }

  private static String tree(String test) {
    StringBuilder tree = new StringBuilder();
    Trace trace = collectors.get(test).snapshot();
    for (RecordedSpan span : trace.spans()) {
      tree.append(span.isRoot() ? "" : "  ").append(span.name()).append('\n');
    }
    return tree.toString();
  }

  @Test
  void oneTestAtATimeTheUnwrappedOperatorsGoToTheRunningTestAsRoots() {
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();
    EngineExecutionResults results = run(Runs.config());

    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(tree("earlier")).isEmpty();
    assertThat(collectors.get("earlier").orphanedSpans()).as("spans given to the ended earlier test").isZero();
    assertThat(tree("later")).isEqualTo("quote\nprice\nprice\nprice\n  tax\n");
    assertThat(UnrecordedSpans.entries(before)).isEmpty();
  }

  @Test
  void inParallelTheUnwrappedOperatorsAreCountedAndTheWrappedOneIsAChild() {
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();
    EngineExecutionResults results = run(Runs.config("junit.jupiter.execution.parallel.enabled", "true"));

    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(tree("earlier")).isEmpty();
    // A span given to the ended test would be counted too, but as its orphan: that must not happen.
    assertThat(collectors.get("earlier").orphanedSpans()).as("spans given to the ended earlier test").isZero();
    assertThat(tree("later")).isEqualTo("quote\n  tax\n");
    assertThat(UnrecordedSpans.entries(before)).isNotEmpty().allSatisfy(entry -> {
      assertThat(entry.firstSpan()).isEqualTo("price");
      assertThat(entry.threadName()).startsWith("app-parallel-");
      assertThat(entry.reason()).isEqualTo(UnrecordedSpans.Reason.TEST_ENDED);
      assertThat(entry.startedBy()).isEqualTo(collectors.get("earlier").traceId());
    });
    assertThat(UnrecordedSpans.total() - before.total()).isEqualTo(3);
  }

  @Test
  void withTheScheduleHookEveryOperatorIsAChildOfTheSpanThatRanThePipeline() {
    UnrecordedSpans.Mark before = UnrecordedSpans.mark();
    Schedulers.onScheduleHook("traceunit", Tracing::wrap);
    EngineExecutionResults results;
    try {
      results = run(Runs.config("junit.jupiter.execution.parallel.enabled", "true"));
    } finally {
      Schedulers.resetOnScheduleHook("traceunit");
    }

    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(tree("earlier")).isEmpty();
    assertThat(tree("later")).isEqualTo("quote\n  price\n  price\n  price\n  tax\n");
    assertThat(UnrecordedSpans.entries(before)).isEmpty();
  }
}
