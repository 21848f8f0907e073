package dev.traceunit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The least any in-memory recorder can do: read the clock at start and end, keep a name, three
 * attributes and the events, and append the span to a list. No ids, no context, no limits, no
 * snapshot: the yardstick the real recorders are measured against.
 */
final class Floor {

  static final class Span {
    final String name;
    final Span parent;
    final long startNanos;
    long endNanos;
    String key1;
    Object value1;
    String key2;
    Object value2;
    String key3;
    Object value3;
    List<Event> events;

    Span(String name, Span parent, long startNanos) {
      this.name = name;
      this.parent = parent;
      this.startNanos = startNanos;
    }

    void event(String eventName) {
      if (events == null) {
        events = new ArrayList<>(2);
      }
      events.add(new Event(eventName, System.nanoTime()));
    }
  }

  record Event(String name, long nanos) {}

  private final Collection<Span> spans;

  Floor(Collection<Span> spans) {
    this.spans = spans;
  }

  Span start(String name, Span parent) {
    return new Span(name, parent, System.nanoTime());
  }

  void end(Span span) {
    span.endNanos = System.nanoTime();
    spans.add(span);
  }

  void clear() {
    spans.clear();
  }
}
