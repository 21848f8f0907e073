package dev.traceunit.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link Floor} made safe for what a test's recorder must allow: another thread reading a span
 * while it records (a snapshot) or writing it (a handle passed on). Each span takes its id from
 * one shared counter and is published into a slot with a release store; the thread that started
 * it writes its attributes and events with plain stores between two updates of a sequence count
 * (what a reader checks to know it copied them whole), any other thread under the span's lock into
 * a part of their own; the end is set once with a compare-and-set. Still no context, no limits, no
 * checks: what thread safety alone costs over the floor, the way traceunit makes it safe.
 */
final class SafeFloor {

  /** More slots than a benchmark keeps between two clears. */
  private static final int SLOTS = 1 << 14;

  static final class Span {
    private static final VarHandle END;
    private static final VarHandle WRITES;

    static {
      try {
        END = MethodHandles.lookup().findVarHandle(Span.class, "endNanos", long.class);
        WRITES = MethodHandles.lookup().findVarHandle(Span.class, "writes", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final int id;
    final String name;
    final Span parent;
    final long startNanos;
    final Thread owner = Thread.currentThread();
    private volatile long endNanos;
    /** Odd while the owner writes; a reader that sees it unchanged around its copy copied it whole. */
    private int writes;
    // Written by the owner only.
    private String key1;
    private Object value1;
    private String key2;
    private Object value2;
    private String key3;
    private Object value3;
    private List<Floor.Event> events;
    /** What other threads wrote: guarded by this (a floor span is never handed to code that could lock it). */
    private Map<String, Object> othersAttributes;

    Span(int id, String name, Span parent, long startNanos) {
      this.id = id;
      this.name = name;
      this.parent = parent;
      this.startNanos = startNanos;
    }

    /** Sets the attribute in the first free of the three slots (or the one with its key). */
    void attribute(String key, Object value) {
      if (Thread.currentThread() != owner) {
        synchronized (this) {
          if (othersAttributes == null) {
            othersAttributes = new LinkedHashMap<>();
          }
          othersAttributes.put(key, value);
        }
        return;
      }
      int before = writes;
      writes = before + 1;
      VarHandle.storeStoreFence();
      if (key1 == null || key1.equals(key)) {
        key1 = key;
        value1 = value;
      } else if (key2 == null || key2.equals(key)) {
        key2 = key;
        value2 = value;
      } else if (key3 == null || key3.equals(key)) {
        key3 = key;
        value3 = value;
      }
      WRITES.setRelease(this, before + 2);
    }

    void event(String eventName) {
      Floor.Event event = new Floor.Event(eventName, System.nanoTime());
      if (Thread.currentThread() != owner) {
        synchronized (this) {
          if (othersAttributes == null) {
            othersAttributes = new LinkedHashMap<>();
          }
          othersAttributes.put("event." + eventName, event);
        }
        return;
      }
      int before = writes;
      writes = before + 1;
      VarHandle.storeStoreFence();
      if (events == null) {
        events = new ArrayList<>(2);
      }
      events.add(event);
      WRITES.setRelease(this, before + 2);
    }

    boolean end() {
      return END.compareAndSet(this, 0L, System.nanoTime());
    }
  }

  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicReferenceArray<Span> slots = new AtomicReferenceArray<>(SLOTS);

  Span start(String name, Span parent) {
    int id = ids.incrementAndGet();
    Span span = new Span(id, name, parent, System.nanoTime());
    slots.setRelease((id - 1) & (SLOTS - 1), span);
    return span;
  }

  void end(Span span) {
    span.end();
  }

  /** Starts the slots again from the first: the spans kept are overwritten, as cheaply as can be. */
  void clear() {
    ids.set(0);
  }
}
