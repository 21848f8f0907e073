package dev.traceunit.benchmarks;

import dev.traceunit.core.Limits;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.TimeSource;
import dev.traceunit.core.Tracing;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A trace of exactly {@code n} spans shaped like a busy test: one server root, a {@code request}
 * child every ten spans, and {@code db.query} client spans with two attributes under each request.
 * Time comes from a counter (1 µs a read), so the rendered tree is the same on every run.
 */
final class SampleTrace {

  static final String ROOT = "suite";
  /**
   * The fixed heap of every scale benchmark's fork. A million-span trace and its collector stay
   * live through a trial, and each operation builds hundreds of megabytes next to them: in 4 GB the
   * collections in measured iterations took over a second (repeated snapshot of 1M spans, five
   * iterations: 1258 ms of GC), which measures G1 working on the fixture, not our code. In a larger
   * heap the young generation keeps moving into memory the JVM has never touched, and the kernel's
   * page faults then doubled render's later iterations; touching the heap once at start-up (about
   * 3 s a fork) takes that out. The collector stays G1.
   */
  static final String HEAP_MIN = "-Xms8g";
  static final String HEAP_MAX = "-Xmx8g";
  static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

  private static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

  private SampleTrace() {}

  static SpanCollector record(int n) {
    AtomicLong nanos = new AtomicLong();
    TimeSource counter = TimeSource.of(() -> nanos.addAndGet(1_000), () -> EPOCH.plusNanos(nanos.get()));
    SpanCollector collector = new SpanCollector("t-bench", counter, Limits.defaults().withMaxSpans(Math.max(n, 1)));
    try (Scope activation = collector.activate(); SpanHandle root = Tracing.start(SpanKind.SERVER, ROOT)) {
      SpanHandle request = null;
      for (int i = 2; i <= n; i++) {
        if (isRequest(i)) {
          if (request != null) {
            request.close();
          }
          request = Tracing.start("request").attribute("request.id", i);
        } else {
          try (SpanHandle query = Tracing.start(SpanKind.CLIENT, "db.query")) {
            query.attribute("db.statement", "select * from orders where id = ?");
            query.attribute("db.rows", i % 7);
          }
        }
      }
      if (request != null) {
        request.close();
      }
    }
    if (collector.size() != n || !collector.snapshot().problems().isEmpty()) {
      throw new IllegalStateException("expected " + n + " spans and no problems but recorded " + collector);
    }
    return collector;
  }

  /** The tree of {@link #record(int)} in the notation of {@code hasTreeShape}. */
  static String treeShape(int n) {
    StringBuilder shape = new StringBuilder(n * 24);
    shape.append(ROOT).append(" [server]\n");
    for (int i = 2; i <= n; i++) {
      shape.append(isRequest(i) ? "  request\n" : "    db.query [client]\n");
    }
    return shape.toString();
  }

  /**
   * Collects the setup's garbage and moves what it keeps (up to a gigabyte at 1M spans) to the old
   * generation now, so that the copying does not land in the first measured iterations.
   */
  static void settleHeap() {
    System.gc();
  }

  private static boolean isRequest(int i) {
    return (i - 2) % 10 == 0;
  }
}
