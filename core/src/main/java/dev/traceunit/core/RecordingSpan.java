package dev.traceunit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span being recorded. Mutators lock the span briefly; problems are reported after the lock is
 * released, so listeners never run while a span is locked.
 */
final class RecordingSpan implements SpanHandle, Values.ProblemSink {

  static final String UNNAMED = "<unnamed>";

  final SpanCollector collector;
  final SpanCollector.Store store;
  final long id;
  final RecordingSpan parent;
  final SpanKind kind;
  final long startNanos;
  /** Wall start time, or null when it is derived from the monotonic clock (system time). */
  private final Instant startWall;
  private final String threadName;
  private final boolean marker;

  volatile boolean ended;
  // Guarded by this.
  private String name;
  private long endNanos;
  private String[] keys;
  private Object[] values;
  private int attributeCount;
  // Whether a recorded copy's map reads keys and values (up to its size): then a value is not
  // overwritten in place. Entries are only ever appended past that size, which the copy never reads.
  private boolean attributesShared;
  private int droppedAttributes;
  private List<SpanEvent> events;
  private int droppedEvents;
  private List<SpanLink> links;
  private int droppedLinks;
  private SpanStatus status = SpanStatus.UNSET;
  private ErrorInfo error;
  private boolean attributeLimitReported;
  private boolean eventLimitReported;
  private boolean linkLimitReported;
  // Set when Tracing.start made this span current; close() puts the previous ones back.
  private ThreadContext scopeContext;
  private Thread scopeOwner;
  // The copy toRecorded made of the ended span, dropped (under the lock) by any change. Volatile so
  // that snapshots read it without locking each of a million spans.
  private volatile RecordedSpan recorded;
  private SpanCollector previousCollector;
  private RecordingSpan previousCurrent;
  private boolean previousInherited;
  // Set when this span's scope was left (closed or ended on its thread) while one opened inside it was open.
  private boolean leftScope;

  RecordingSpan(SpanCollector collector, SpanCollector.Store store, long id, RecordingSpan parent, SpanKind kind,
      String name, long startNanos, Instant startWall, boolean marker) {
    this.collector = collector;
    this.store = store;
    this.id = id;
    this.parent = parent;
    this.kind = kind;
    this.name = name;
    this.startNanos = startNanos;
    this.startWall = startWall;
    this.threadName = Thread.currentThread().getName();
    this.marker = marker;
    if (marker) {
      this.endNanos = startNanos;
      this.ended = true;
    }
  }

  private Instant startWall() {
    return startWall != null ? startWall : collector.wallTime(store, startNanos);
  }

  synchronized String name() {
    return name;
  }

  void makeCurrent(ThreadContext context) {
    scopeContext = context;
    scopeOwner = Thread.currentThread();
    previousCollector = context.collector;
    previousCurrent = context.current;
    previousInherited = context.inherited;
    context.collector = collector;
    context.current = this;
    context.inherited = false;
  }

  @Override
  public long spanId() {
    return id;
  }

  @Override
  public String traceId() {
    return collector.traceId();
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
    return put(checkedKey, masked(key, checkedKey, Values.truncate(value, checkedKey, collector.limits, this)), false);
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
    Redaction redaction = collector.redaction();
    return redaction.masks(key) && !redaction.masks(cutKey);
  }

  /**
   * The value, or the mask if the key was cut by the key length limit and the whole key is secret:
   * the cut key may no longer look secret, so the value is masked here, where the whole key is known.
   */
  private Object masked(String key, String checkedKey, Object value) {
    if (checkedKey == key || key == null || key.length() <= collector.limits.maxKeyLength()) {
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
    Object normalized = masked(key, checkedKey, Values.normalize(value, checkedKey, collector.limits, this));
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
      problem(ProblemCode.INVALID_NAME,
          "attribute key " + (key == null ? "null" : "'" + key + "'") + " on span " + id + " was replaced by "
              + UNNAMED, null);
      return UNNAMED;
    }
    int max = collector.limits.maxKeyLength();
    if (key.length() <= max) {
      return key;
    }
    int cut = Character.isHighSurrogate(key.charAt(max - 1)) ? max - 1 : max;
    String shortKey = key.substring(0, cut);
    problem(ProblemCode.KEY_TOO_LONG,
        "attribute key of " + key.length() + " chars on span " + id + " is over the limit of " + max
            + "; cut to '" + TraceRenderer.oneLine(shortKey.length() > 40 ? shortKey.substring(0, 40) + "…" : shortKey) + "'"
            + (lostSecret(key, shortKey) ? " (its value is masked: the whole key is secret)" : ""),
        Map.of("key", shortKey, "length", (long) key.length(), "limit", (long) max));
    return shortKey;
  }

  private SpanHandle put(String key, Object value, boolean ifAbsent) {
    boolean limitReached;
    synchronized (this) {
      forgetCopy();
      for (int i = 0; i < attributeCount; i++) {
        if (keys[i].equals(key)) {
          if (!ifAbsent) {
            if (attributesShared) {
              values = values.clone();
              attributesShared = false;
            }
            values[i] = value;
          }
          return this;
        }
      }
      limitReached = attributeCount >= collector.limits.maxAttributes();
      if (limitReached) {
        droppedAttributes++;
        if (attributeLimitReported) {
          return this;
        }
        attributeLimitReported = true;
      } else {
        if (keys == null) {
          keys = new String[4];
          values = new Object[4];
        } else if (attributeCount == keys.length) {
          keys = Arrays.copyOf(keys, attributeCount * 2);
          values = Arrays.copyOf(values, attributeCount * 2);
        }
        keys[attributeCount] = key;
        values[attributeCount] = value;
        attributeCount++;
        return this;
      }
    }
    int max = collector.limits.maxAttributes();
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
    long offset;
    Instant time;
    if (at == null) {
      long now = collector.timeSource.nanoTime();
      offset = now - startNanos;
      time = collector.wallTime(store, now);
    } else {
      Instant used = collector.onClock(store, at);
      if (used != at) {
        Map<String, Object> noted = attributes == null ? new LinkedHashMap<>() : new LinkedHashMap<>(attributes);
        noted.put(SpanCollector.CLOCK_NOTE, SpanCollector.clockNote(at, used));
        attributes = noted;
      }
      offset = SpanCollector.nanosBetween(startWall(), used);
      time = used;
    }
    String checkedName = eventName;
    if (eventName == null || eventName.isBlank()) {
      problem(ProblemCode.INVALID_NAME, "event name " + (eventName == null ? "null" : "'" + eventName + "'")
          + " on span " + id + " was replaced by " + UNNAMED, null);
      checkedName = UNNAMED;
    } else {
      checkedName = collector.checkNameLength(eventName, "event name", id);
    }
    Map<String, Object> eventAttributes = attributes == null ? Map.of()
        : normalizeAll(attributes, "event '" + checkedName + "'");
    return addEvent(new SpanEvent(checkedName, Duration.ofNanos(offset), time, eventAttributes));
  }

  /** Normalises a map of attributes for an event or link, within the attribute limit. */
  Map<String, Object> normalizeAll(Map<String, ?> attributes, String owner) {
    Map<String, Object> out = new LinkedHashMap<>();
    int max = collector.limits.maxAttributes();
    int dropped = 0;
    try {
      for (Map.Entry<String, ?> entry : Values.inDefinedOrder(attributes)) {
        String rawKey = entry.getKey();
        String key = checkKey(rawKey);
        if (out.size() >= max && !out.containsKey(key)) {
          dropped++;
          continue;
        }
        Object value = masked(rawKey, key, Values.normalize(entry.getValue(), key, collector.limits, this));
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

  private SpanHandle addEvent(SpanEvent event) {
    synchronized (this) {
      forgetCopy();
      if (events == null) {
        events = new ArrayList<>(2);
      }
      if (events.size() < collector.limits.maxEvents()) {
        events.add(event);
        return this;
      }
      droppedEvents++;
      if (eventLimitReported) {
        return this;
      }
      eventLimitReported = true;
    }
    problem(ProblemCode.EVENT_LIMIT, "span " + id + " " + name() + " reached the limit of "
        + collector.limits.maxEvents() + " events; '" + event.name() + "' and later events were dropped and counted",
        Map.of("event", event.name(), "limit", (long) collector.limits.maxEvents()));
    return this;
  }

  void addLink(SpanLink given) {
    // A link's attributes come from user code (withAttributes): normalised here, like the span's.
    SpanLink link = given.attributes().isEmpty() ? given
        : new SpanLink(given.traceId(), given.spanId(), normalizeAll(given.attributes(), "link"));
    synchronized (this) {
      forgetCopy();
      if (links == null) {
        links = new ArrayList<>(2);
      }
      if (links.size() < collector.limits.maxLinks()) {
        links.add(link);
        return;
      }
      droppedLinks++;
      if (linkLimitReported) {
        return;
      }
      linkLimitReported = true;
    }
    problem(ProblemCode.LINK_LIMIT, "span " + id + " " + name() + " reached the limit of "
        + collector.limits.maxLinks() + " links; later links were dropped and counted",
        Map.of("limit", (long) collector.limits.maxLinks()));
  }

  @Override
  public SpanHandle rename(String newName) {
    if (newName == null || newName.isBlank()) {
      problem(ProblemCode.INVALID_NAME, "rename of span " + id + " " + name() + " to "
          + (newName == null ? "null" : "'" + newName + "'") + " was ignored", null);
      return this;
    }
    String checked = collector.checkNameLength(newName, "span name", id);
    synchronized (this) {
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
    ErrorInfo info = ErrorInfo.of(throwable, collector.limits.maxValueLength());
    synchronized (this) {
      forgetCopy();
      status = SpanStatus.ERROR;
      error = info;
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("exception.type", info.type());
    if (info.message() != null) {
      attributes.put("exception.message", info.message());
    }
    attributes.put("exception.stacktrace", info.stackTrace());
    return event("exception", attributes, at);
  }

  @Override
  public SpanHandle status(SpanStatus newStatus) {
    if (newStatus == null) {
      problem(ProblemCode.UNSUPPORTED_VALUE, "status(null) on span " + id + " was ignored", null);
      return this;
    }
    synchronized (this) {
      forgetCopy();
      status = newStatus;
    }
    return this;
  }

  @Override
  public SpanLink link() {
    return SpanLink.to(collector.traceId(), id);
  }

  @Override
  public Scope activate() {
    return ThreadContext.forThisThread().enter(collector, this, true);
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
    Instant used = at == null ? null : collector.onClock(store, at);
    long now = used == null ? collector.timeSource.nanoTime()
        : startNanos + Math.max(0, SpanCollector.nanosBetween(startWall(), used));
    synchronized (this) {
      if (ended) {
        return false;
      }
      endNanos = Math.max(now, startNanos);
      ended = true;
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
    ThreadContext context = scopeContext;
    if (context == null || scopeOwner != Thread.currentThread()) {
      return;
    }
    scopeContext = null;
    if (context.current != this || context.collector != collector) {
      leftScope = true;
      if (closing) {
        problem(ProblemCode.SCOPE_CLOSED_OUT_OF_ORDER, "span " + id + " " + name()
            + " was closed while a span or scope opened inside it was still open", null);
      }
      return;
    }
    RecordingSpan restore = this;
    while (restore.previousCurrent != null && restore.previousCurrent.leftScope
        && restore.previousCurrent.scopeOwner == scopeOwner) {
      restore = restore.previousCurrent;
    }
    context.collector = restore.previousCollector;
    context.current = restore.previousCurrent;
    context.inherited = restore.previousInherited;
  }

  @Override
  public void problem(ProblemCode code, String message, Map<String, Object> context) {
    collector.problem(code, id, message, context);
  }

  /**
   * The span as it is now; an open span's duration runs up to {@code nowNanos}. An ended span's
   * copy is kept until the span changes again (late attributes may still come), so taking
   * snapshot after snapshot of a finished trace copies nothing.
   */
  RecordedSpan toRecorded(long nowNanos) {
    RecordedSpan copy = recorded;
    return copy != null ? copy : copy(nowNanos);
  }

  private synchronized RecordedSpan copy(long nowNanos) {
    if (recorded != null) {
      return recorded;
    }
    long end = ended ? endNanos : Math.max(nowNanos, startNanos);
    Instant startTime = startWall();
    Map<String, Object> attributes = attributeCount == 0 ? Map.of()
        : Values.frozenMapOf(keys, values, attributeCount);
    attributesShared = attributeCount > 0;
    RecordedSpan span = new RecordedSpan(collector.traceId(), id, parent == null ? 0 : parent.id, kind, name,
        Duration.ofNanos(startNanos - store.epochNanos), startTime, Duration.ofNanos(end - startNanos), ended, marker,
        attributes, events == null ? List.of() : List.copyOf(events), links == null ? List.of() : List.copyOf(links),
        status, error, threadName, droppedAttributes, droppedEvents, droppedLinks);
    if (ended) {
      recorded = span;
    }
    return span;
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
