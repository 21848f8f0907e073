package dev.traceunit.otel;

import dev.traceunit.clock.MockClock;
import dev.traceunit.core.Limits;
import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.TimeSource;
import io.opentelemetry.api.trace.Tracer;

/** What the extension gives a test, built by hand: a mock clock, a collector on it, an SDK into it. */
final class TestBed implements AutoCloseable {
  final MockClock clock = MockClock.create();
  final SpanCollector collector =
      new SpanCollector(TimeSource.of(clock::nanoTime, clock::instant), Limits.defaults());
  final TracedOpenTelemetry otel = TracedOpenTelemetry.create(collector);
  final Tracer tracer = otel.getTracer("test");
  private final Scope scope = collector.activate();

  @Override
  public void close() {
    scope.close();
    otel.close();
  }
}
