package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void eightThreadsRecordingNestedSpansLoseNothingAndKeepEveryParentLink() throws Exception {
    int threads = 8;
    int pairsPerThread = 25_000; // 50,000 spans a thread: a parent and a nested child each round
    SpanCollector collector = new SpanCollector();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> done = new ArrayList<>();
    try (Scope scope = collector.activate()) {
      for (int t = 0; t < threads; t++) {
        String prefix = "w" + t;
        done.add(pool.submit(Tracing.wrap(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < pairsPerThread; i++) {
            try (SpanHandle parent = Tracing.start(prefix + ".parent")) {
              parent.attribute("i", i);
              try (SpanHandle child = Tracing.start(prefix + ".child")) {
                child.attribute("i", i);
              }
            }
          }
          return null;
        })));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Trace trace = collector.snapshot();
    assertThat(trace.size()).isEqualTo(threads * pairsPerThread * 2);
    assertThat(trace.problems()).isEmpty();
    assertThat(trace.openSpans()).isEmpty();
    Map<String, Integer> perName = new HashMap<>();
    for (RecordedSpan span : trace.spans()) {
      perName.merge(span.name(), 1, Integer::sum);
      if (span.name().endsWith(".child")) {
        RecordedSpan parent = trace.parent(span).orElseThrow();
        assertThat(parent.name()).isEqualTo(span.name().replace(".child", ".parent"));
        assertThat(parent.attributes().get("i")).isEqualTo(span.attributes().get("i"));
        assertThat(parent.threadName()).isEqualTo(span.threadName());
      } else {
        assertThat(span.isRoot()).as("%s is a root", span.name()).isTrue();
      }
    }
    assertThat(perName).hasSize(threads * 2).allSatisfy((name, count) -> assertThat(count).isEqualTo(pairsPerThread));
    assertThat(trace.spans()).extracting(RecordedSpan::spanId).doesNotHaveDuplicates();
  }

  @Test
  void snapshotsTakenWhileThreadsRecordAreConsistent() throws Exception {
    SpanCollector collector = new SpanCollector();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Scope scope = collector.activate()) {
      Future<?> writer = pool.submit(Tracing.wrap(() -> {
        for (int i = 0; i < 50_000; i++) {
          Tracing.run("outer", () -> Tracing.run("inner", () -> {}));
        }
      }));
      while (!writer.isDone()) {
        Trace trace = collector.snapshot();
        for (RecordedSpan span : trace.named("inner")) {
          assertThat(trace.parent(span)).isPresent();
        }
      }
      writer.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(collector.size()).isEqualTo(100_000);
  }

  @Test
  void aLargeTraceAnswersEveryParentAndChildLookUpFromItsIndex() {
    int spans = 200_000;
    SpanCollector collector = new SpanCollector("t-big", new FakeTime(), Limits.defaults());
    try (Scope scope = collector.activate()) {
      for (int i = 0; i < spans / 4; i++) {
        try (SpanHandle a = Tracing.start("a")) {
          Tracing.run("b", () -> Tracing.run("c", () -> {}));
          Tracing.run("d", () -> {});
        }
      }
    }
    Trace trace = collector.snapshot();
    long children = 0;
    long parents = 0;
    for (RecordedSpan span : trace.spans()) {
      children += trace.children(span).size();
      parents += trace.parent(span).isPresent() ? 1 : 0;
      assertThat(trace.byId(span.spanId())).containsSame(span);
    }
    assertThat(children).isEqualTo(spans - spans / 4);
    assertThat(parents).isEqualTo(spans - spans / 4);
    assertThat(trace.named("c")).hasSize(spans / 4);
    assertThat(trace.roots()).hasSize(spans / 4);
    // All spans start at the same fake instant: start order falls back to ids.
    assertThat(trace.spans().get(1).spanId()).isEqualTo(2);
  }

  @Test
  void codeHoldingAHandlesMonitorDoesNotBlockRecordingOnOtherThreads() throws Exception {
    SpanCollector collector = new SpanCollector();
    SpanHandle span;
    try (Scope scope = collector.activate()) {
      span = Tracing.startAsync("shared");
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      synchronized (span) { // what a user may do with any object: traceunit's lock is not this one
        pool.submit(() -> {
          span.attribute("from", "worker").event("seen");
          span.end();
        }).get(10, TimeUnit.SECONDS);
        assertThat(collector.snapshot().spans().get(0).attributes()).containsEntry("from", "worker");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(collector.snapshot().spans().get(0).ended()).isTrue();
  }
}
