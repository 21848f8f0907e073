package dev.traceunit.examples;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A batch job that buffers records and writes them to a sink every flush interval. Stopping it
 * ends the job and drains what is left in a phase of its own: a root span linked to the job.
 */
public final class BatchExporter {

  /** Where batches go; a failed write is retried at the next flush. */
  public interface Sink {
    void write(List<String> records) throws IOException;
  }

  private final Sink sink;
  private final ScheduledExecutorService scheduler;
  private final Duration interval;
  private final List<String> buffer = new ArrayList<>();
  private SpanHandle job;
  private ScheduledFuture<?> flushes;

  public BatchExporter(Sink sink, ScheduledExecutorService scheduler, Duration interval) {
    this.sink = sink;
    this.scheduler = Tracing.wrap(scheduler);
    this.interval = interval;
  }

  public synchronized void start(String name) {
    job = Tracing.span("batch.job").attribute("job.name", name).startAsync();
    try (Scope scope = job.activate()) { // periodic flushes become children of the job
      flushes = scheduler.scheduleAtFixedRate(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public synchronized void submit(String record) {
    buffer.add(record);
  }

  /** Stops flushing, ends the job and drains the buffer. */
  public void stop() {
    SpanHandle finished;
    synchronized (this) {
      flushes.cancel(false);
      finished = job;
    }
    finished.end();
    try (SpanHandle drain = Tracing.span("batch.drain").noParent().link(finished.link()).start()) {
      drain.attribute("records", flush());
    }
  }

  /** Writes the buffer in a {@code batch.flush} span; returns how many records were written. */
  private int flush() {
    List<String> batch = takeAll();
    if (batch.isEmpty()) {
      return 0;
    }
    try (SpanHandle span = Tracing.start("batch.flush")) {
      span.attribute("records", batch.size());
      try {
        sink.write(batch);
        return batch.size();
      } catch (IOException e) {
        span.error(e);
        span.event("records.requeued", Map.of("records", batch.size()));
        requeue(batch);
        return 0;
      }
    }
  }

  private synchronized List<String> takeAll() {
    List<String> batch = List.copyOf(buffer);
    buffer.clear();
    return batch;
  }

  private synchronized void requeue(List<String> batch) {
    buffer.addAll(0, batch);
  }
}
