package dev.traceunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A span's attributes and events are written without a lock by the thread that started it, until
 * another thread writes one: these tests hand spans between real threads and read them while they
 * are written, and check that nothing is lost, torn or reordered.
 */
class SharedSpanTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(3);

  @AfterEach
  void stopThePool() {
    pool.shutdownNow();
  }

  @Test
  void aWriteOnAnotherThreadAfterTheOwnersWinsAndTheOwnersNextWriteWinsOverIt() throws Exception {
    SpanCollector collector = new SpanCollector();
    try (Scope scope = collector.activate()) {
      SpanHandle span = Tracing.startAsync("handed.on");
      span.attribute("x", 1L).attribute("owner.only", "a").event("owner.first");
      pool.submit(() -> {
        span.attribute("x", 2L).attribute("other.only", "b").event("other");
        span.attributeIfAbsent("owner.only", "ignored");
      }).get(10, TimeUnit.SECONDS);
      span.attribute("x", 3L).event("owner.again");
      span.attributeIfAbsent("other.only", "ignored too");
      span.end();
    }
    RecordedSpan recorded = collector.snapshot().spans().get(0);
    assertThat(recorded.attributes()).containsExactly(Map.entry("x", 3L), Map.entry("owner.only", "a"),
        Map.entry("other.only", "b"));
    assertThat(recorded.events()).extracting(SpanEvent::name).containsExactly("owner.first", "other", "owner.again");
    assertThat(collector.snapshot().problems()).isEmpty();
  }

  @Test
  void aSnapshotTakenWhileTheOwnerWritesSeesEachEarlierWriteOfALaterOne() throws Exception {
    SpanCollector collector = new SpanCollector();
    int keys = 100;
    AtomicInteger snapshots = new AtomicInteger();
    try (Scope scope = collector.activate()) {
      CyclicBarrier started = new CyclicBarrier(2);
      Future<Long> owner = pool.submit(Tracing.wrap(() -> {
        SpanHandle own = Tracing.startAsync("written");
        // "counter" is the first slot, "copy" the fourth (past the three in fields): a copy read in
        // one pass over the slots, without checking that the owner did not write meanwhile, can
        // show a copy newer than its counter, which the owner never had.
        own.attribute("counter", 0L).attribute("b", 0L).attribute("c", 0L).attribute("copy", 0L);
        started.await(10, TimeUnit.SECONDS);
        long i = 0;
        while (snapshots.get() < 20_000 && i < 50_000_000L) {
          i++;
          own.attribute("counter", i);
          if (i % 16 == 0 && i / 16 <= keys) {
            own.attribute("key." + (i / 16), i); // appended after the counter moved
          }
          own.attribute("copy", i);
        }
        own.end();
        return i;
      }));
      started.await(10, TimeUnit.SECONDS);
      long lastCounter = 0;
      while (!owner.isDone()) {
        Map<String, Object> attributes = collector.snapshot().spans().get(0).attributes();
        snapshots.incrementAndGet();
        long counter = (Long) attributes.get("counter");
        long copy = (Long) attributes.get("copy");
        assertThat(copy).as("the copy, written after the counter").isBetween(counter - 1, counter);
        assertThat(counter).isGreaterThanOrEqualTo(lastCounter);
        lastCounter = counter;
        int seen = 0;
        for (String key : attributes.keySet()) {
          if (key.startsWith("key.")) {
            assertThat(key).as("keys in the order written").isEqualTo("key." + ++seen);
          }
        }
        assertThat(seen * 16L).as("the last key's write, after the counter's").isLessThanOrEqualTo(counter);
      }
      long written = owner.get(60, TimeUnit.SECONDS);
      RecordedSpan last = collector.snapshot().spans().get(0);
      assertThat(last.attributes()).containsEntry("counter", written).containsEntry("copy", written)
          .hasSize(4 + (int) Math.min(keys, written / 16));
    }
    assertThat(snapshots.get()).isPositive();
  }


  @Test
  void ownerAndOtherThreadsWritingAtOnceLoseNoAttributeAndNoEventAndCountWhatTheLimitsDrop() throws Exception {
    for (int round = 0; round < 10; round++) {
      Limits limits = Limits.defaults().withMaxAttributes(5_000).withMaxEvents(4_000);
      SpanCollector collector = new SpanCollector(TimeSource.system(), limits);
      int writers = 3;
      int keysEach = 2_000; // 8,000 keys and events, over the limits of 5,000 and 4,000
      CyclicBarrier ready = new CyclicBarrier(writers + 1);
      AtomicBoolean go = new AtomicBoolean();
      List<Future<?>> done = new ArrayList<>();
      SpanHandle span;
      try (Scope scope = collector.activate()) {
        span = Tracing.startAsync("contended");
        for (int t = 0; t < writers; t++) {
          String prefix = "t" + t + ".";
          done.add(pool.submit(() -> {
            ready.await(10, TimeUnit.SECONDS);
            while (!go.get()) {
              Thread.onSpinWait(); // all start within a few microseconds, not a wake-up apart
            }
            write(span, prefix, keysEach);
            return null;
          }));
        }
        ready.await(10, TimeUnit.SECONDS);
        go.set(true);
        write(span, "owner.", keysEach);
        for (Future<?> future : done) {
          future.get(10, TimeUnit.SECONDS);
        }
        span.end();
      }
      RecordedSpan recorded = collector.snapshot().spans().get(0);
      int written = (writers + 1) * keysEach;
      assertThat(recorded.attributes()).hasSize(5_000);
      assertThat(recorded.attributes().size() + recorded.droppedAttributes()).isEqualTo(written);
      assertThat(recorded.events().size() + recorded.droppedEvents()).isEqualTo(written);
      assertThat(recorded.events()).hasSize(4_000);
      Set<String> names = new HashSet<>();
      recorded.events().forEach(event -> assertThat(names.add(event.name())).isTrue());
      assertThat(collector.snapshot().problems()).extracting(Problem::code)
          .containsExactlyInAnyOrder(ProblemCode.ATTRIBUTE_LIMIT, ProblemCode.EVENT_LIMIT);
    }
  }

  private static void write(SpanHandle span, String prefix, int keys) {
    for (int i = 0; i < keys; i++) {
      span.attribute(prefix + i, (long) i);
      span.event(prefix + i);
    }
  }

  @Test
  void anAttributeWrittenWhileAnotherThreadEndsAndCopiesTheSpanIsInEveryLaterSnapshot() throws Exception {
    for (int round = 0; round < 2_000; round++) {
      SpanCollector collector = new SpanCollector();
      CyclicBarrier start = new CyclicBarrier(2);
      SpanHandle span;
      Future<?> other;
      try (Scope scope = collector.activate()) {
        span = Tracing.startAsync("ended.elsewhere");
        other = pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          span.end();
          return collector.snapshot(); // caches the ended span's copy
        });
        start.await(10, TimeUnit.SECONDS);
        span.attribute("late", (long) round);
        other.get(10, TimeUnit.SECONDS);
      }
      assertThat(collector.snapshot().spans().get(0).attributes()).as("round %d", round)
          .containsEntry("late", (long) round);
    }
  }

  @Test
  void aLateAttributeOfTheOwnerAfterACachedCopyShowsInTheNextSnapshot() {
    SpanCollector collector = new SpanCollector();
    SpanHandle span;
    try (Scope scope = collector.activate()) {
      span = Tracing.start("ended");
      span.end();
    }
    RecordedSpan first = collector.snapshot().spans().get(0);
    assertThat(collector.snapshot().spans().get(0)).isSameAs(first); // the copy is kept
    span.attribute("late", "yes");
    assertThat(collector.snapshot().spans().get(0).attributes()).containsEntry("late", "yes");
    assertThat(first.attributes()).isEmpty();
  }

  @Test
  void aCopyIsNotTakenForCurrentWhenTheOwnersWriteCountComesRoundToItsValueAgain() {
    SpanCollector collector = new SpanCollector();
    SpanHandle span;
    try (Scope scope = collector.activate()) {
      span = Tracing.start("written.often");
      span.attribute("value", -1L);
      span.end();
    }
    assertThat(collector.snapshot().spans().get(0).attributes()).containsEntry("value", -1L);
    // The count of the owner's writes is 14 bits: 16,384 writes bring it back to where it was.
    for (long i = 0; i < 1 << 14; i++) {
      span.attribute("value", i);
    }
    assertThat(collector.snapshot().spans().get(0).attributes()).containsEntry("value", (1L << 14) - 1);
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void aWriteAnErrorLeftUnfinishedStopsNoSnapshotAndTheNextWriteHealsIt() throws Exception {
    SpanCollector collector = new SpanCollector();
    SpanHandle span;
    try (Scope scope = collector.activate()) {
      span = Tracing.start("cut.short");
      span.attribute("before", 1L);
      span.end();
    }
    // What a StackOverflowError thrown between the start and the end of a write leaves: WRITING set.
    java.lang.reflect.Field state = RecordingSpan.class.getDeclaredField("state");
    state.setAccessible(true);
    state.setShort(span, (short) (state.getShort(span) | 1));

    assertThat(collector.snapshot().spans().get(0).attributes()).containsExactly(Map.entry("before", 1L));
    span.attribute("after", 2L);
    assertThat(state.getShort(span) & 1).as("WRITING, after the next write").isZero();
    assertThat(collector.snapshot().spans().get(0).attributes()).containsEntry("after", 2L);
  }
}
