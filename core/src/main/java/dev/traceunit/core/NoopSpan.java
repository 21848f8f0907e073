package dev.traceunit.core;

import java.time.Instant;
import java.util.Map;

/** The handle given out when nothing records: one shared instance, every method does nothing. */
final class NoopSpan implements SpanHandle {
  static final NoopSpan INSTANCE = new NoopSpan();

  private NoopSpan() {}

  @Override public long spanId() { return 0; }
  @Override public String traceId() { return ""; }
  @Override public boolean isRecording() { return false; }
  @Override public SpanHandle attribute(String key, String value) { return this; }
  @Override public SpanHandle attribute(String key, long value) { return this; }
  @Override public SpanHandle attribute(String key, double value) { return this; }
  @Override public SpanHandle attribute(String key, boolean value) { return this; }
  @Override public SpanHandle attribute(String key, Object value) { return this; }
  @Override public SpanHandle attributes(Map<String, ?> attributes) { return this; }
  @Override public SpanHandle attributeIfAbsent(String key, Object value) { return this; }
  @Override public SpanHandle event(String name) { return this; }
  @Override public SpanHandle event(String name, Map<String, ?> attributes) { return this; }
  @Override public SpanHandle event(String name, Map<String, ?> attributes, Instant time) { return this; }
  @Override public SpanHandle rename(String name) { return this; }
  @Override public SpanHandle error(Throwable error) { return this; }
  @Override public SpanHandle error(Throwable error, Instant time) { return this; }
  @Override public SpanHandle status(SpanStatus status) { return this; }
  @Override public SpanLink link() { return SpanLink.to("", 0); }
  @Override public Scope activate() { return Scope.NOOP; }
  @Override public void end() {}
  @Override public void end(Instant time) {}
  @Override public void close() {}

  @Override
  public String toString() {
    return "SpanHandle(not recording)";
  }
}
