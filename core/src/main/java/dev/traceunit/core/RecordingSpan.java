package dev.traceunit.core;

import dev.traceunit.core.internal.Values;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span being recorded.
 *
 * <p>Its attributes and events are written where most spans get them: on the thread that started
 * it (its owner), which writes them without a lock. Only that thread writes that part, so a write
 * is a few plain stores between two updates of {@link #state}, and a reader (a snapshot, on any
 * thread) copies them and checks that {@code state} did not move meanwhile, else copies again (a
 * sequence lock). Once another thread writes an attribute or event, the span is shared: that
 * write and every later one, the owner's too, go under the span's lock into the {@link Extra},
 * and a copy lays them over the owner's part, so a later write wins over an earlier one whatever
 * thread made it.
 *
 * <p>Everything else (name, status, error, links, counts of what was dropped) changes under the
 * lock. Problems are reported after the lock is released, so listeners never run while a span is
 * locked. The lock is private (one of its collector's, see {@link SpanCollector#lockFor}): code
 * holding the handle cannot block recording by synchronizing on it, and a span costs no lock
 * object of its own.
 */
final class RecordingSpan implements SpanHandle, Values.ProblemSink {

  static final String UNNAMED = "<unnamed>";
  /** The end time of a span still open: no real time, which is kept within ±2^62. */
  private static final long OPEN = Long.MIN_VALUE;
  private static final VarHandle END_NANOS;
  private static final VarHandle STATE;
  private static final VarHandle COPIED_AT;
  private static final VarHandle RECORDED;
  /** {@link #state}: the owner is writing its part. */
  private static final int WRITING = 1;
  /** {@link #state}: Tracing.start made the span current on its thread, and it has not left it. */
  private static final int IN_SCOPE = 2;
  /** {@link #state}: one write of the owner's part, counted in the bits above the flags. */
  private static final int WRITTEN = 4;
  private static final int STATE_BITS = 0xFFFF;

  static {
    try {
      END_NANOS = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "endNanos", long.class);
      STATE = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "state", short.class);
      COPIED_AT = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "copiedAt", short.class);
      RECORDED = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "recorded", RecordedSpan.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // A test keeps every span it records, so the fields are few and small: the first three
  // attributes sit in fields, what most spans never use (links, drop counts, an error, a scope that
  // restores something other than the parent) in an Extra made on demand, and events as compact
  // entries that become SpanEvents only when a snapshot copies the span.
  final SpanCollector collector;
  final RecordingSpan parent;
  final int id;
  final long startNanos;
  /** The thread that started the span: its owner, the only one that writes the owner's part. */
  private final ThreadContext.SpanThread thread;
  final SpanKind kind;

  // Guarded by lock().
  private String name;
  /** When it ended, or {@link #OPEN}: set once (compare-and-set), read without the lock. */
  private volatile long endNanos = OPEN;
  /**
   * Written by the owner only: {@link #WRITING} while it writes its part, {@link #IN_SCOPE}, and a
   * count of its writes above them. A reader that sees the same value before and after copying
   * the owner's part copied one the owner really had. A short, like {@link #copiedAt}: the two fit
   * where one int would, and a span stays 96 bytes. When the count wraps, the owner drops the
   * kept copy (under the lock), so a copy is never taken for current at a count it only repeats.
   */
  private short state;
  /** The state (without IN_SCOPE) the copy in {@link #recorded} was made at; written under the lock. */
  private short copiedAt;

  // The owner's part: written by the owner only, between beginWrite and endWrite.
  // The count is where the first null key is: a field less on every span.
  private String key0;
  private Object value0;
  private String key1;
  private Object value1;
  private String key2;
  private Object value2;
  /** Attributes from the fourth on: key, value, key, value… */
  private Object[] moreAttributes;
  /** Null, one {@link Event}, or an {@link Events} list. */
  private Object events;
  private Extra extra;
  // The copy toRecorded made of the ended span, dropped (under the lock) by any change under the
  // lock, and stale once the owner writes its part again (its state is no longer copiedAt).
  // Volatile so that snapshots read it without locking each of a million spans.
  private volatile RecordedSpan recorded;

  /** What few spans need. Guarded by the span's lock, but for the fields set before it is shared. */
  private static final class Extra {
    /** Wall start time, or null when it is derived from the monotonic clock (see SpanCollector.wallTimeToKeep). */
    Instant startWall;
    boolean marker;
    /** Whether leaving the scope restores the previous* fields rather than the parent. */
    boolean restoresOther;
    boolean previousInherited;
    /** The thread context whose scope this span left while one opened inside it was open. */
    ThreadContext leftScopeIn;
    List<SpanLink> links;
    /** Attributes, events and links cut by their limits: the limit's problem is reported at the first. */
    int droppedAttributes;
    int droppedEvents;
    int droppedLinks;
    SpanStatus status = SpanStatus.UNSET;
    ErrorInfo error;
    SpanCollector previousCollector;
    RecordingSpan previousCurrent;
    /**
     * Whether a thread other than the owner wrote an attribute or an event: from then on all of
     * them, the owner's too, go to the two fields below, which a copy lays over the owner's part.
     */
    boolean shared;
    /** Attributes written since the span was shared: a key here replaces the owner's. */
    Map<String, Object> sharedAttributes;
    /** Events added since the span was shared, after the owner's. */
    List<Event> sharedEvents;
    /** The owner's part as shared writes last read it (see ownedSeen). */
    Owned ownedSeen;
    /** How many keys of sharedAttributes are not in ownedSeen. */
    int sharedNewKeys;
  }

  /** An event as recorded: its offset from the span's start, and its wall time if not derived. */
  private record Event(String name, long offsetNanos, Instant time, Map<String, Object> attributes) {}

  private static final Event[] NO_EVENTS = new Event[0];

  /** Two or more events. */
  private static final class Events {
    Event[] items = new Event[4];
    int size;
  }

  RecordingSpan(SpanCollector collector, int id, RecordingSpan parent, SpanKind kind, String name,
      long startNanos, Instant startWall, boolean marker, ThreadContext.SpanThread thread) {
    this.collector = collector;
    this.id = id;
    this.parent = parent;
    this.kind = kind;
    this.name = name;
    this.startNanos = startNanos;
    this.thread = thread;
    if (startWall != null || marker) {
      Extra e = new Extra();
      e.startWall = startWall;
      e.marker = marker;
      extra = e;
    }
    if (marker) {
      this.endNanos = startNanos;
    }
  }

  SpanCollector collector() {
    return collector;
  }

  /** The span's lock. */
  private Object lock() {
    return collector.lockFor(id);
  }

  /** The span's extra fields, made on first use; called with the lock held. */
  private Extra extra() {
    Extra e = extra;
    if (e == null) {
      e = new Extra();
      extra = e;
    }
    return e;
  }

  private Instant startWall() {
    Instant given = givenStartWall();
    return given != null ? given : collector.wallTime(startNanos);
  }

  /** The wall start time the span was made with, or null when it is derived from the monotonic clock. */
  Instant givenStartWall() {
    Extra e = extra; // startWall never changes after construction
    return e != null ? e.startWall : null;
  }

  String name() {
    synchronized (lock()) {
      return name;
    }
  }

  /** Makes this span current on its thread (the calling one); close() restores what was. */
  void makeCurrent() {
    ThreadContext context = thread.context();
    state = (short) (state | IN_SCOPE);
    Thread owner = thread.thread();
    // A reference stored into a long-lived object costs the garbage collector's barrier: only on a change.
    if (context.owner != owner) {
      context.owner = owner;
    }
    SpanCollector collector = collector();
    if (context.collector != collector || context.current != parent || context.inherited) {
      restoresOther(context);
    }
    if (context.collector != collector) {
      context.collector = collector;
    }
    context.current = this;
    context.inherited = false;
  }

  /** Remembers what leaving the scope restores when it is not the parent in this collector. */
  private void restoresOther(ThreadContext context) {
    synchronized (lock()) {
      Extra e = extra();
      e.restoresOther = true;
      e.previousCollector = context.collector;
      e.previousCurrent = context.current;
      e.previousInherited = context.inherited;
    }
  }

  @Override
  public long spanId() {
    return id;
  }

  @Override
  public String traceId() {
    return collector().traceId();
  }

  @Override
  public boolean isRecording() {
    return true;
  }

  @Override
  public SpanHandle attribute(String key, String value) {
    if (value == null) {
      return attribute(key, (Object) null);
    }
    String checkedKey = checkKey(key);
    return put(checkedKey, masked(key, checkedKey, Values.truncate(value, checkedKey, collector().limits, this)), false);
  }

  @Override
  public SpanHandle attribute(String key, long value) {
    String checkedKey = checkKey(key);
    return put(checkedKey, checkedKey == key ? (Object) value : masked(key, checkedKey, value), false);
  }

  @Override
  public SpanHandle attribute(String key, double value) {
    String checkedKey = checkKey(key);
    return put(checkedKey, checkedKey == key ? (Object) value : masked(key, checkedKey, value), false);
  }

  @Override
  public SpanHandle attribute(String key, boolean value) {
    String checkedKey = checkKey(key);
    return put(checkedKey, checkedKey == key ? (Object) value : masked(key, checkedKey, value), false);
  }

  @Override
  public boolean lostSecret(String key, String cutKey) {
    Redaction redaction = collector().redaction();
    return redaction.masks(key) && !redaction.masks(cutKey);
  }

  /**
   * The value, or the mask if the key was cut by the key length limit and the whole key is secret:
   * the cut key may no longer look secret, so the value is masked here, where the whole key is known.
   */
  private Object masked(String key, String checkedKey, Object value) {
    if (checkedKey == key || key == null || key.length() <= collector().limits.maxKeyLength()) {
      return value;
    }
    return lostSecret(key, checkedKey) ? Redaction.MASK : value;
  }

  @Override
  public SpanHandle attribute(String key, Object value) {
    return putNormalized(key, value, false);
  }

  @Override
  public SpanHandle attributes(Map<String, ?> attributes) {
    if (attributes == null) {
      problem(ProblemCode.UNSUPPORTED_VALUE, "attributes(null) on span " + id + " " + name() + " was ignored", null);
      return this;
    }
    try {
      for (Map.Entry<String, ?> entry : Values.inDefinedOrder(attributes)) {
        putNormalized(entry.getKey(), entry.getValue(), false);
      }
    } catch (Throwable t) {
      userCodeFailed("attributes(map)", t);
    }
    return this;
  }

  /** A user object threw while it was read (a map being iterated, a message): a problem, never an exception. */
  void userCodeFailed(String what, Throwable t) {
    problem(ProblemCode.UNSUPPORTED_VALUE, what + " on span " + id + " threw " + t.getClass().getName()
        + " while it was read; what was read before was kept", Map.of("exception", t.getClass().getName()));
  }

  @Override
  public SpanHandle attributeIfAbsent(String key, Object value) {
    return putNormalized(key, value, true);
  }

  private SpanHandle putNormalized(String key, Object value, boolean ifAbsent) {
    String checkedKey = checkKey(key);
    Object normalized = masked(key, checkedKey, Values.normalize(value, checkedKey, collector().limits, this));
    if (normalized == null) {
      problem(ProblemCode.UNSUPPORTED_VALUE,
          "null value for attribute '" + checkedKey + "' on span " + id + " " + name() + " was ignored",
          Map.of("key", checkedKey));
      return this;
    }
    return put(checkedKey, normalized, ifAbsent);
  }

  private String checkKey(String key) {
    if (key == null || key.isBlank()) {
      return invalidKey(key);
    }
    return key.length() <= collector().limits.maxKeyLength() ? key : cutKey(key);
  }

  private String invalidKey(String key) {
    problem(ProblemCode.INVALID_NAME,
        "attribute key " + (key == null ? "null" : "'" + key + "'") + " on span " + id + " was replaced by "
            + UNNAMED, null);
    return UNNAMED;
  }

  /** A key over the key length limit, cut, with a problem. */
  private String cutKey(String key) {
    int max = collector().limits.maxKeyLength();
    String shortKey = Values.cutText(key, max);
    problem(ProblemCode.KEY_TOO_LONG,
        "attribute key of " + key.length() + " chars on span " + id + " is over the limit of " + max
            + "; cut to '" + TraceRenderer.oneLine(shortKey.length() > 40 ? shortKey.substring(0, 40) + "…" : shortKey) + "'"
            + (lostSecret(key, shortKey) ? " (its value is masked: the whole key is secret)" : ""),
        Map.of("key", shortKey, "length", (long) key.length(), "limit", (long) max));
    return shortKey;
  }

  // ---- the owner's attribute slots, used by the owner only (readers copy them with copyOwned)

  private String keyAt(int i) {
    switch (i) {
      case 0:
        return key0;
      case 1:
        return key1;
      case 2:
        return key2;
      default:
        int at = 2 * (i - 3);
        return moreAttributes == null || at >= moreAttributes.length ? null : (String) moreAttributes[at];
    }
  }

  private Object valueAt(int i) {
    switch (i) {
      case 0:
        return value0;
      case 1:
        return value1;
      case 2:
        return value2;
      default:
        return moreAttributes[2 * (i - 3) + 1];
    }
  }

  private void setValueAt(int i, Object value) {
    switch (i) {
      case 0:
        value0 = value;
        break;
      case 1:
        value1 = value;
        break;
      case 2:
        value2 = value;
        break;
      default:
        moreAttributes[2 * (i - 3) + 1] = value;
    }
  }

  /** Puts a new attribute at {@code i}, the first free slot. */
  private void append(int i, String key, Object value) {
    switch (i) {
      case 0:
        key0 = key;
        value0 = value;
        break;
      case 1:
        key1 = key;
        value1 = value;
        break;
      case 2:
        key2 = key;
        value2 = value;
        break;
      default:
        int at = 2 * (i - 3);
        if (moreAttributes == null) {
          moreAttributes = new Object[8];
        } else if (at == moreAttributes.length) {
          moreAttributes = Arrays.copyOf(moreAttributes, at * 2);
        }
        moreAttributes[at] = key;
        moreAttributes[at + 1] = value;
    }
  }

  private SpanHandle put(String key, Object value, boolean ifAbsent) {
    int max = collector().limits.maxAttributes();
    if (ownsItsPart()) {
      int count = 0;
      for (String existing = keyAt(0); existing != null; existing = keyAt(++count)) {
        if (existing.equals(key)) {
          if (!ifAbsent) {
            int before = beginWrite();
            setValueAt(count, value);
            endWrite(before);
          }
          return this;
        }
      }
      if (count < max) {
        int before = beginWrite();
        try {
          append(count, key, value);
        } finally {
          endWrite(before);
        }
        return this;
      }
    } else if (putShared(key, value, ifAbsent, max)) {
      return this;
    }
    return dropAttribute(key, max);
  }

  /**
   * Whether the calling thread writes the owner's part: it is the owner and no other thread wrote
   * an attribute or event yet. Read without the lock: another thread's write that happened before
   * this one is seen, one that did not happens at the same time, and either order is right.
   */
  private boolean ownsItsPart() {
    if (thread.thread() != Thread.currentThread()) {
      return false;
    }
    Extra e = extra;
    return e == null || !e.shared;
  }

  /** Starts a write of the owner's part; returns the state to pass to {@link #endWrite}. */
  private int beginWrite() {
    // Without WRITING: a write an error left unfinished (see readOwned) is healed by the next.
    int before = state & STATE_BITS & ~WRITING;
    state = (short) (before | WRITING);
    VarHandle.storeStoreFence(); // readers see WRITING before any store of the write
    return before;
  }

  private void endWrite(int before) {
    int after = (before + WRITTEN) & STATE_BITS;
    STATE.setRelease(this, (short) after); // the write's stores, then the new state
    if ((after & ~IN_SCOPE) == 0) {
      synchronized (lock()) { // the count wrapped: a copy kept from its last turn must not pass for current
        forgetCopy();
      }
    }
  }

  /** The owner's state now, without {@link #IN_SCOPE}: what a copy made now is made at. */
  private int ownedState() {
    return (short) STATE.getAcquire(this) & STATE_BITS & ~IN_SCOPE;
  }

  /** Puts an attribute into the shared part; false if it is a new key over the limit. */
  private boolean putShared(String key, Object value, boolean ifAbsent, int max) {
    synchronized (lock()) {
      forgetCopy();
      Extra e = share();
      Map<String, Object> shared = e.sharedAttributes;
      if (shared.containsKey(key)) {
        if (!ifAbsent) {
          shared.put(key, value);
        }
        return true;
      }
      boolean known = ownedSeen(e).index().containsKey(key);
      if (known || e.ownedSeen.keys.length + e.sharedNewKeys < max) {
        if (!known || !ifAbsent) {
          shared.put(key, value);
          e.sharedNewKeys += known ? 0 : 1;
        }
        return true;
      }
      return false;
    }
  }

  /** The extra fields of a span that is shared from now on; called with the lock held. */
  private Extra share() {
    Extra e = extra();
    if (!e.shared) {
      e.sharedAttributes = new LinkedHashMap<>();
      e.sharedEvents = new ArrayList<>(2);
      e.shared = true;
    }
    return e;
  }

  /**
   * The owner's part as the shared writes last saw it, read again if the owner wrote since (it may
   * still write while it has not seen that the span is shared). Called with the lock held.
   */
  private Owned ownedSeen(Extra e) {
    Owned seen = e.ownedSeen;
    if (seen == null || seen.state != ownedState()) {
      seen = readOwned();
      e.ownedSeen = seen;
      int newKeys = 0;
      for (String key : e.sharedAttributes.keySet()) {
        newKeys += seen.index().containsKey(key) ? 0 : 1;
      }
      e.sharedNewKeys = newKeys;
    }
    return seen;
  }

  /** Counts a new attribute over the limit; the first one dropped records the problem. */
  private SpanHandle dropAttribute(String key, int max) {
    synchronized (lock()) {
      forgetCopy();
      if (extra().droppedAttributes++ > 0) {
        return this;
      }
    }
    problem(ProblemCode.ATTRIBUTE_LIMIT,
        "span " + id + " " + name() + " reached the limit of " + max + " attributes; '" + key
            + "' and later new keys were dropped and counted",
        Map.of("key", key, "limit", (long) max));
    return this;
  }

  @Override
  public SpanHandle event(String name) {
    return event(name, null);
  }

  @Override
  public SpanHandle event(String eventName, Map<String, ?> attributes) {
    return event(eventName, attributes, null);
  }

  @Override
  public SpanHandle event(String eventName, Map<String, ?> attributes, Instant at) {
    if (at != null) {
      return eventAt(eventName, attributes, at);
    }
    SpanCollector collector = collector();
    long now = collector.timeSource.nanoTime();
    return recordEvent(eventName, attributes, now - startNanos, collector.wallTimeToKeep(now));
  }

  /** An event at a wall-clock time given by the caller (moved onto the clock if the clock could not have produced it). */
  private SpanHandle eventAt(String eventName, Map<String, ?> attributes, Instant at) {
    Instant used = collector().onClock(at);
    if (used != at) {
      Map<String, Object> noted = attributes == null ? new LinkedHashMap<>() : new LinkedHashMap<>(attributes);
      noted.put(SpanCollector.CLOCK_NOTE, SpanCollector.clockNote(at, used));
      attributes = noted;
    }
    return recordEvent(eventName, attributes, SpanCollector.nanosBetween(startWall(), used), used);
  }

  private SpanHandle recordEvent(String eventName, Map<String, ?> attributes, long offset, Instant time) {
    SpanCollector collector = collector();
    String checkedName = eventName == null || eventName.isBlank() ? invalidEventName(eventName)
        : collector.checkNameLength(eventName, "event name", id);
    if (attributes == null) {
      return addEvent(new Event(checkedName, offset, time, Map.of()));
    }
    if (eventsReachedTheLimit(collector.limits.maxEvents())) {
      // Dropped before its attributes are normalised: their problems would describe an event
      // that is not in the trace.
      return dropEvent(checkedName);
    }
    return addEvent(new Event(checkedName, offset, time, normalizeAll(attributes, "event '" + checkedName + "'")));
  }

  private String invalidEventName(String eventName) {
    problem(ProblemCode.INVALID_NAME, "event name " + (eventName == null ? "null" : "'" + eventName + "'")
        + " on span " + id + " was replaced by " + UNNAMED, null);
    return UNNAMED;
  }


  /**
   * Whether the span already holds {@code max} events, read without the lock: a span's events only
   * grow, so a read that races with another thread's {@link #addEvent} sees at most the real count
   * and never drops an event that fits; {@link #addEvent} decides. The fields are read once: two
   * racing reads need not agree.
   */
  private boolean eventsReachedTheLimit(int max) {
    Object held = events;
    int count = held == null ? 0 : held instanceof Events ? ((Events) held).size : 1;
    Extra e = extra;
    List<Event> shared = e == null ? null : e.sharedEvents;
    return count + (shared == null ? 0 : shared.size()) >= max;
  }

  /** Normalises a map of attributes for an event or link, within the attribute limit. */
  Map<String, Object> normalizeAll(Map<String, ?> attributes, String owner) {
    Map<String, Object> out = new LinkedHashMap<>();
    Limits limits = collector().limits;
    int max = limits.maxAttributes();
    int dropped = 0;
    try {
      for (Map.Entry<String, ?> entry : Values.inDefinedOrder(attributes)) {
        String rawKey = entry.getKey();
        String key = checkKey(rawKey);
        if (out.size() >= max && !out.containsKey(key)) {
          dropped++;
          continue;
        }
        Object value = masked(rawKey, key, Values.normalize(entry.getValue(), key, limits, this));
        if (value == null) {
          problem(ProblemCode.UNSUPPORTED_VALUE,
              "null value for attribute '" + key + "' of " + owner + " on span " + id + " was ignored",
              Map.of("key", key));
        } else {
          out.put(key, value);
        }
      }
    } catch (Throwable t) {
      userCodeFailed("the attributes of " + owner, t);
    }
    if (dropped > 0) {
      problem(ProblemCode.ATTRIBUTE_LIMIT, owner + " on span " + id + " has more than " + max
          + " attributes; " + dropped + " were dropped", Map.of("dropped", (long) dropped, "limit", (long) max));
    }
    return out;
  }

  private SpanHandle addEvent(Event event) {
    int max = collector().limits.maxEvents();
    if (ownsItsPart()) {
      int count = eventCount();
      if (count < max) {
        int before = beginWrite();
        try {
          appendEvent(count, event);
        } finally {
          endWrite(before);
        }
        return this;
      }
    } else if (addSharedEvent(event, max)) {
      return this;
    }
    return dropEvent(event.name());
  }

  /** Adds an event to the shared part; false if it is over the limit. */
  private boolean addSharedEvent(Event event, int max) {
    synchronized (lock()) {
      forgetCopy();
      Extra e = share();
      if (ownedSeen(e).events.length + e.sharedEvents.size() < max) {
        e.sharedEvents.add(event);
        return true;
      }
      return false;
    }
  }

  /** Adds the owner's {@code count + 1}st event; called by the owner, in a write. */
  private void appendEvent(int count, Event event) {
    if (count == 0) {
      events = event;
      return;
    }
    Events list;
    if (count == 1) {
      list = new Events();
      list.items[0] = (Event) events;
      list.size = 1;
      events = list;
    } else {
      list = (Events) events;
      if (list.size == list.items.length) {
        list.items = Arrays.copyOf(list.items, list.size * 2);
      }
    }
    list.items[list.size] = event;
    list.size++;
  }

  /** Counts an event over the limit; the first one dropped records the problem. */
  private SpanHandle dropEvent(String eventName) {
    int max = collector().limits.maxEvents();
    synchronized (lock()) {
      forgetCopy();
      if (extra().droppedEvents++ > 0) {
        return this;
      }
    }
    problem(ProblemCode.EVENT_LIMIT, "span " + id + " " + name() + " reached the limit of "
        + max + " events; '" + eventName + "' and later events were dropped and counted",
        Map.of("event", eventName, "limit", (long) max));
    return this;
  }

  /** The owner's events; called by the owner. */
  private int eventCount() {
    return events == null ? 0 : events instanceof Events ? ((Events) events).size : 1;
  }

  /**
   * Adds the links a span starts with (the only time a span gets links, before its handle is
   * returned): a link to no span is dropped with a problem; then the link limit, so only the links
   * kept are normalised and report value problems, and one problem counts those cut.
   */
  void addLinks(List<SpanLink> given) {
    List<SpanLink> valid = new ArrayList<>(given.size());
    for (SpanLink link : given) {
      if (link.traceId().isBlank() || link.spanId() == 0) {
        problem(ProblemCode.UNSUPPORTED_VALUE, "a link on span " + id + " " + name() + " points at no span ("
            + (link.traceId().isEmpty() ? "no trace id" : "trace id '" + link.traceId() + "'") + ", span id "
            + link.spanId() + "); it was dropped", Map.of("traceId", link.traceId(), "spanId", link.spanId()));
      } else {
        valid.add(link);
      }
    }
    if (valid.isEmpty()) {
      return;
    }
    int max = collector().limits.maxLinks();
    int kept = Math.min(valid.size(), max);
    int dropped = valid.size() - kept;
    if (dropped > 0) {
      problem(ProblemCode.LINK_LIMIT, "span " + id + " " + name() + " has " + valid.size()
          + " links, more than the limit of " + max + "; " + dropped + " were dropped",
          Map.of("dropped", (long) dropped, "limit", (long) max));
    }
    List<SpanLink> links = new ArrayList<>(kept);
    for (SpanLink link : valid.subList(0, kept)) {
      // A link's attributes come from user code (withAttributes): normalised here, like the span's.
      links.add(link.attributes().isEmpty() ? link
          : new SpanLink(link.traceId(), link.spanId(), normalizeAll(link.attributes(), "link")));
    }
    synchronized (lock()) {
      forgetCopy();
      Extra e = extra();
      e.links = links;
      e.droppedLinks = dropped;
    }
  }

  @Override
  public SpanHandle rename(String newName) {
    if (newName == null || newName.isBlank()) {
      problem(ProblemCode.INVALID_NAME, "rename of span " + id + " " + name() + " to "
          + (newName == null ? "null" : "'" + newName + "'") + " was ignored", null);
      return this;
    }
    String checked = collector().checkNameLength(newName, "span name", id);
    synchronized (lock()) {
      forgetCopy();
      name = checked;
    }
    return this;
  }

  @Override
  public SpanHandle error(Throwable throwable) {
    return error(throwable, null);
  }

  @Override
  public SpanHandle error(Throwable throwable, Instant at) {
    if (throwable == null) {
      problem(ProblemCode.UNSUPPORTED_VALUE, "error(null) on span " + id + " " + name() + " was ignored", null);
      return this;
    }
    try {
      ErrorInfo info = collector().describe(throwable, id, name());
      synchronized (lock()) {
        forgetCopy();
        Extra e = extra();
        e.status = SpanStatus.ERROR;
        e.error = info;
      }
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("exception.type", info.type());
      if (info.message() != null) {
        attributes.put("exception.message", info.message());
      }
      attributes.put("exception.stacktrace", info.stackTrace());
      return event("exception", attributes, at);
    } catch (StackOverflowError | LinkageError cannotRecord) {
      // Recording a StackOverflowError near the end of the stack can overflow it again (or fail to
      // link a call site): the caller's own exception must go on unchanged. The spans it passes
      // next, with more stack free, record it.
      return this;
    }
  }

  @Override
  public SpanHandle status(SpanStatus newStatus) {
    if (newStatus == null) {
      problem(ProblemCode.UNSUPPORTED_VALUE, "status(null) on span " + id + " was ignored", null);
      return this;
    }
    synchronized (lock()) {
      forgetCopy();
      extra().status = newStatus;
    }
    return this;
  }

  @Override
  public SpanLink link() {
    return SpanLink.to(collector().traceId(), id);
  }

  @Override
  public Scope activate() {
    return ThreadContext.forThisThread().enter(collector(), this, true);
  }

  @Override
  public void end() {
    end(null);
  }

  @Override
  public void end(Instant at) {
    if (!endIfOpen(at)) {
      problem(ProblemCode.SPAN_ENDED_TWICE, "span " + id + " " + name() + " was ended twice", null);
      return;
    }
    leaveScope(false);
  }

  /** Ends the span (now, or at a wall-clock time) if it is open; false if it had ended already. */
  private boolean endIfOpen(Instant at) {
    if (endNanos != OPEN) {
      return false;
    }
    if (at != null) {
      return endAt(at);
    }
    SpanCollector collector = collector();
    // One atomic instruction rather than a lock's two: the end time is the only state ending sets.
    if (!END_NANOS.compareAndSet(this, OPEN, Math.max(collector.timeSource.nanoTime(), startNanos))) {
      return false;
    }
    collector.spanEnded(this);
    return true;
  }

  /** Ends the span at a wall-clock time given by the caller, if it is open. */
  private boolean endAt(Instant at) {
    SpanCollector collector = collector();
    Instant used = collector.onClock(at);
    long now = startNanos + Math.max(0, SpanCollector.nanosBetween(startWall(), used));
    if (!END_NANOS.compareAndSet(this, OPEN, Math.max(now, startNanos))) {
      return false;
    }
    if (used != at) {
      put(SpanCollector.CLOCK_NOTE + ".end", SpanCollector.clockNote(at, used), false);
    }
    collector.spanEnded(this);
    return true;
  }

  @Override
  public void close() {
    endIfOpen(null);
    leaveScope(true);
  }

  /**
   * On the thread this span was made current on, stops it being current: ending it there (as
   * {@code Tracing.start(name).end()} does) is leaving its scope too. If a span or scope opened
   * inside it is still open, that one stays current; closing then is a problem, ending is not.
   * Either way this span is skipped when the inner one restores, so what is current never depends
   * on which thread ended what when.
   */
  private void leaveScope(boolean closing) {
    // The state is the owner's to write: the thread check comes first.
    if (thread.thread() != Thread.currentThread() || (state & IN_SCOPE) == 0) {
      return;
    }
    state = (short) (state & ~IN_SCOPE);
    ThreadContext context = thread.context();
    SpanCollector collector = collector();
    if (context.openedInside(collector, this)) {
      leftWhileInnerOpen(context, collector, closing);
      return;
    }
    RecordingSpan restore = this;
    for (RecordingSpan previous = restore.previousCurrent(); previous != null && previous.leftScopeIn(context);
        previous = restore.previousCurrent()) {
      restore = previous;
    }
    restore.restoreInto(context);
  }

  /** Leaves the scope while a span or scope opened inside it is still open; closing so is a problem. */
  private void leftWhileInnerOpen(ThreadContext context, SpanCollector collector, boolean closing) {
    synchronized (lock()) {
      extra().leftScopeIn = context;
    }
    if (closing) {
      ThreadContext.closedOutOfOrder(collector, this, false);
    }
  }

  // Read without the lock, on the thread the span was made current on: makeCurrent and leaveScope
  // set what these read on that same thread.

  private RecordingSpan previousCurrent() {
    Extra e = extra;
    return e != null && e.restoresOther ? e.previousCurrent : parent;
  }

  private boolean leftScopeIn(ThreadContext context) {
    Extra e = extra;
    return e != null && e.leftScopeIn == context;
  }

  private void restoreInto(ThreadContext context) {
    Extra e = extra;
    if (e != null && e.restoresOther) {
      context.collector = e.previousCollector;
      context.current = e.previousCurrent;
      context.inherited = e.previousInherited;
    } else {
      SpanCollector own = collector();
      if (context.collector != own) {
        context.collector = own;
      }
      context.current = parent;
      context.inherited = false;
    }
  }

  @Override
  public void problem(ProblemCode code, String message, Map<String, Object> context) {
    collector().problem(code, id, message, context);
  }

  /**
   * The span as it is now; an open span's duration runs up to {@code nowNanos}. An ended span's
   * copy is kept until the span changes again (late attributes may still come), so taking
   * snapshot after snapshot of a finished trace copies nothing.
   */
  RecordedSpan toRecorded(long nowNanos) {
    // The copy, the state it was made at, the copy again: a copy is replaced by first dropping it,
    // so the same copy read on both sides of copiedAt is the one copiedAt belongs to.
    RecordedSpan copy = recorded;
    if (copy != null) {
      int copiedState = (short) COPIED_AT.getAcquire(this) & STATE_BITS;
      if (recorded == copy && copiedState == ownedState()) {
        return copy;
      }
    }
    synchronized (lock()) {
      return copyLocked(nowNanos);
    }
  }

  /** The owner's part as a reader copied it whole, at {@link #state} {@code state}. */
  private static final class Owned {
    int state;
    String[] keys;
    Object[] values;
    Event[] events;
    private Map<String, Integer> index;

    /** Where each key is in {@link #keys}. */
    Map<String, Integer> index() {
      if (index == null) {
        index = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
          index.put(keys[i], i);
        }
      }
      return index;
    }
  }

  /**
   * Copies the owner's part: again while the owner writes it, so the copy is one the owner had
   * (a write is a few stores, so this rarely waits). Called with the lock held, on any thread.
   */
  private Owned readOwned() {
    Owned owned = new Owned();
    int stuck = -1;
    int stuckFor = 0;
    for (int tries = 1;; tries++) {
      int before = (short) STATE.getAcquire(this) & STATE_BITS;
      // A write the owner left unfinished (an error such as StackOverflowError thrown inside it,
      // where even the code that ends it cannot run) leaves WRITING set: once the state has not
      // moved through 1,000 yields, the part is read as it is rather than waited for forever.
      stuckFor = before == stuck ? stuckFor + 1 : 0;
      stuck = before;
      boolean given = (before & WRITING) == 0 || stuckFor > 64_000;
      if (given && copyOwned(owned)) {
        VarHandle.acquireFence(); // the reads above complete before state is read again
        if ((((short) STATE.getOpaque(this) ^ before) & STATE_BITS & ~IN_SCOPE) == 0) {
          owned.state = before & ~IN_SCOPE;
          return owned;
        }
      }
      if ((tries & 63) == 0) {
        Thread.yield(); // the owner was stopped in a write: let it finish
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Reads the owner's part into {@code into}; false if what it read cannot be whole (the owner
   * changed it meanwhile). Reads each field once: the owner may be writing them.
   */
  private boolean copyOwned(Owned into) {
    String k0 = key0;
    String k1 = key1;
    String k2 = key2;
    Object v0 = value0;
    Object v1 = value1;
    Object v2 = value2;
    Object[] more = moreAttributes;
    more = more == null ? null : more.clone();
    int count = k0 == null ? 0 : k1 == null ? 1 : k2 == null ? 2 : 3;
    while (count >= 3 && more != null && 2 * (count - 3) < more.length && more[2 * (count - 3)] != null) {
      count++;
    }
    String[] keys = new String[count];
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      Object key = i == 0 ? k0 : i == 1 ? k1 : i == 2 ? k2 : more[2 * (i - 3)];
      Object value = i == 0 ? v0 : i == 1 ? v1 : i == 2 ? v2 : more[2 * (i - 3) + 1];
      if (!(key instanceof String) || value == null) {
        return false;
      }
      keys[i] = (String) key;
      values[i] = value;
    }
    Object held = events;
    Event[] heldEvents;
    if (held == null) {
      heldEvents = NO_EVENTS;
    } else if (held instanceof Event) {
      heldEvents = new Event[] {(Event) held};
    } else {
      Events list = (Events) held;
      Event[] items = list.items;
      int size = list.size;
      if (items == null || size > items.length) {
        return false;
      }
      heldEvents = Arrays.copyOf(items, size);
      for (Event event : heldEvents) {
        if (event == null) {
          return false;
        }
      }
    }
    into.keys = keys;
    into.values = values;
    into.events = heldEvents;
    return true;
  }

  /** Called with the lock held. */
  private RecordedSpan copyLocked(long nowNanos) {
    RecordedSpan cached = recorded;
    Owned owned = readOwned();
    if (cached != null && (copiedAt & STATE_BITS) == owned.state) {
      return cached;
    }
    SpanCollector collector = collector();
    long endedAt = endNanos;
    boolean ended = endedAt != OPEN;
    long end = ended ? endedAt : Math.max(nowNanos, startNanos);
    Instant startTime = startWall();
    Extra e = extra;
    String[] keys = owned.keys;
    Object[] values = owned.values;
    int count = keys.length;
    Event[] heldEvents = owned.events;
    int droppedAttributes = e == null ? 0 : e.droppedAttributes;
    int droppedEvents = e == null ? 0 : e.droppedEvents;
    if (e != null && e.shared) {
      // The shared part over the owner's: a key written since replaces the owner's value.
      int max = collector.limits.maxAttributes();
      Map<String, Integer> index = owned.index();
      keys = Arrays.copyOf(keys, count + e.sharedAttributes.size());
      values = Arrays.copyOf(values, keys.length);
      for (Map.Entry<String, Object> entry : e.sharedAttributes.entrySet()) {
        Integer at = index.get(entry.getKey());
        if (at != null) {
          values[at] = entry.getValue();
        } else if (count < max) {
          keys[count] = entry.getKey();
          values[count++] = entry.getValue();
        } else {
          droppedAttributes++; // the owner's last ones and this one were written at the same time
        }
      }
    }
    if (e != null && e.shared) {
      int max = collector.limits.maxEvents();
      int kept = Math.min(max, heldEvents.length + e.sharedEvents.size());
      droppedEvents += heldEvents.length + e.sharedEvents.size() - kept;
      Event[] all = Arrays.copyOf(heldEvents, kept);
      for (int i = heldEvents.length; i < kept; i++) {
        all[i] = e.sharedEvents.get(i - heldEvents.length);
      }
      heldEvents = all;
    }
    Map<String, Object> attributes = Values.frozenMapOf(keys, values, count);
    RecordedSpan span = new RecordedSpan(collector.traceId(), id, parent == null ? 0 : parent.id, kind, name,
        collector.offset(startNanos), startTime, Duration.ofNanos(end - startNanos), ended, e != null && e.marker,
        attributes, spanEvents(collector, heldEvents), e == null || e.links == null ? List.of() : List.copyOf(e.links),
        e == null ? SpanStatus.UNSET : e.status, e == null ? null : e.error, thread.name(),
        droppedAttributes, droppedEvents, e == null ? 0 : e.droppedLinks);
    if (ended) {
      if (cached != null) {
        recorded = null; // dropped before copiedAt changes: see toRecorded
      }
      COPIED_AT.setRelease(this, (short) owned.state);
      // A release store publishes the copy: a reader that sees it sees copiedAt and the copy
      // whole. No reader needs the full fence of a volatile store, which a million copies would pay.
      RECORDED.setRelease(this, span);
    }
    return span;
  }

  private List<SpanEvent> spanEvents(SpanCollector collector, Event[] held) {
    if (held.length == 0) {
      return List.of();
    }
    SpanEvent[] out = new SpanEvent[held.length];
    for (int i = 0; i < held.length; i++) {
      Event event = held[i];
      Instant time = event.time() != null ? event.time() : collector.wallTime(startNanos + event.offsetNanos());
      out[i] = new SpanEvent(event.name(), Duration.ofNanos(event.offsetNanos()), time, event.attributes());
    }
    return List.of(out);
  }

  /** Called with the lock held, before a change. Reads first: a volatile write on every attribute would cost. */
  private void forgetCopy() {
    if (recorded != null) {
      recorded = null;
    }
  }

  @Override
  public String toString() {
    return "SpanHandle(span " + id + " " + name() + ")";
  }
}
