package dev.traceunit.core;

import dev.traceunit.core.internal.StableTrace;
import dev.traceunit.core.internal.UnrecordedSpans;
import dev.traceunit.core.internal.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records the spans of one test (or any unit of work) in memory. Thread-safe: spans may be started,
 * enriched and ended on any thread while snapshots are taken.
 *
 * <pre>{@code
 * SpanCollector collector = new SpanCollector();
 * try (Scope scope = collector.activate()) {   // this thread, and threads it starts for a task, record here
 *   service.handle(request);
 * }
 * Trace trace = collector.snapshot();
 * }</pre>
 *
 * <p>Span ids are 1, 2, 3… in start order, so traces are deterministic. Whatever the {@link Limits}
 * cut is counted and recorded as a {@link Problem}; listeners that throw are isolated.
 */
public final class SpanCollector implements Spans {

  static {
    // Spans copy their attributes through Values; loaded here, where a collector is made, and not
    // first at the deep end of an overflowing stack, where its initialisation would fail and leave
    // the class unusable for the rest of the JVM.
    Values.load();
  }

  private static final AtomicLong TRACE_SEQUENCE = new AtomicLong();
  private static final int CHUNK_BITS = 10;
  private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
  private static final int SPAN_LOCKS = 64;

  private final String traceId;
  final TimeSource timeSource;
  final Limits limits;
  private final Redaction redaction;
  private final boolean deriveWallTime;
  private final CopyOnWriteArrayList<SpanListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong orphanedSpans = new AtomicLong();
  /** The monotonic time and wall time the trace began at: offsets count from here. */
  final long epochNanos;
  final Instant epochWall;
  /** Ids taken: the next span's index (its id is one more), counting the spans over the limit. */
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong droppedSpans = new AtomicLong();
  private final ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
  /** Problems reported, kept or not: past {@link Limits#maxProblems()} they are only counted. */
  private final AtomicLong problemCount = new AtomicLong();
  /** Slots in chunks of 1024; the directory is replaced, never changed, so readers need no lock. */
  private volatile Chunk[] chunks = new Chunk[0];
  /** Guards growing {@link #chunks}; private, so no caller holding the collector can block it. */
  private final Object chunkLock = new Object();
  /**
   * The spans' locks, span id modulo their number: a lock per span would be an object more on each
   * of the spans a test keeps. Spans sharing one only wait for each other; no code holds two.
   */
  private final Object[] spanLocks = new Object[SPAN_LOCKS];
  private volatile boolean finished;
  private volatile Trace finalTrace;
  // The wall time and offset last made for a span's copy, shared by the next copy at the same time:
  // under a clock that does not move (a test's mock clock) a million spans keep two objects, not
  // two million. Read and written without a lock: each is checked by its own value, and an
  // Instant or Duration is safe to share whatever thread made it.
  private Instant lastWallTime;
  private Duration lastOffset;
  /**
   * The last snapshot and the counts it was taken at; read and written without a lock (a Trace is
   * immutable, and a snapshot that replaces another's is as good).
   */
  private LastSnapshot lastSnapshot;

  private record LastSnapshot(Trace trace, long problems, long droppedSpans) {}

  /** The exception last recorded on a span with its whole stack trace; see {@link #describe}. */
  private final AtomicReference<RecordedError> lastError = new AtomicReference<>();

  /** A collector on the system clock with {@link Limits#defaults()}. */
  public SpanCollector() {
    this(TimeSource.system(), Limits.defaults());
  }

  /**
   * A collector reading time from {@code timeSource}, keeping what {@code limits} allow.
   *
   * @param timeSource where spans read time
   * @param limits what to keep
   */
  public SpanCollector(TimeSource timeSource, Limits limits) {
    this(String.format("t-%04d", TRACE_SEQUENCE.incrementAndGet()), timeSource, limits);
  }

  /**
   * A collector whose trace has the given id, e.g. one derived from the test it records, so that
   * rendered trees are the same on every run.
   *
   * @param traceId the trace's id
   * @param timeSource where spans read time
   * @param limits what to keep
   */
  public SpanCollector(String traceId, TimeSource timeSource, Limits limits) {
    this(traceId, timeSource, limits, Redaction.defaults());
  }

  /**
   * A collector whose traces mask the values {@code redaction} matches in every text they produce
   * (the tree, assertion failures, dumps); its spans keep the real values.
   *
   * <pre>{@code
   * new SpanCollector("login-test", TimeSource.system(), Limits.defaults(), Redaction.parse("password,pin"));
   * }</pre>
   *
   * @param traceId the trace's id
   * @param timeSource where spans read time
   * @param limits what to keep
   * @param redaction which values the texts mask
   */
  public SpanCollector(String traceId, TimeSource timeSource, Limits limits, Redaction redaction) {
    this.redaction = Objects.requireNonNull(redaction, "redaction");
    if (traceId == null || traceId.isBlank()) {
      throw new IllegalArgumentException("traceId must be a non-blank string but was "
          + (traceId == null ? "null" : "'" + traceId + "'"));
    }
    this.traceId = traceId;
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.deriveWallTime = timeSource instanceof SystemTimeSource;
    this.epochNanos = timeSource.nanoTime();
    this.epochWall = timeSource.now();
    for (int i = 0; i < SPAN_LOCKS; i++) {
      spanLocks[i] = new Object();
    }
  }

  /** {@return the id of the trace this collector records} */
  public String traceId() {
    return traceId;
  }

  /**
   * Where this collector reads time.
   *
   * @return the time source
   */
  public TimeSource timeSource() {
    return timeSource;
  }

  /**
   * What this collector keeps.
   *
   * @return the limits
   */
  public Limits limits() {
    return limits;
  }

  /** {@return which values the texts of this collector's traces mask} */
  public Redaction redaction() {
    return redaction;
  }

  /**
   * Makes this collector the one the calling thread (and threads it starts for one piece of work,
   * not pool threads) records into, with no current span, until the scope closes; then the thread's
   * previous collector and span come back.
   *
   * @return the scope to close on the same thread
   */
  public Scope activate() {
    ThreadContext.recordingStarted = true;
    return ThreadContext.forThisThread().enter(this, null, false);
  }

  /**
   * Makes this collector receive spans started on threads that carry no usable context, such as
   * an unwrapped task on a pool thread, as roots, until the scope closes. Only one collector is the
   * fallback at a time: use it when tests do not run concurrently. With no fallback, such spans are
   * recorded nowhere but counted (see {@link ProblemCode#UNATTRIBUTED_SPAN}).
   *
   * @return the scope that ends the fallback
   */
  public Scope activateAsFallback() {
    ThreadContext.recordingStarted = true;
    SpanCollector previous;
    synchronized (ThreadContext.class) {
      previous = ThreadContext.fallback;
      ThreadContext.fallback = this;
    }
    return new Scope() {
      private boolean closed;

      @Override
      public void close() {
        synchronized (ThreadContext.class) {
          if (closed) {
            return;
          }
          closed = true;
          if (ThreadContext.fallback == SpanCollector.this) {
            ThreadContext.fallback = previous;
          }
        }
      }
    };
  }

  /**
   * Adds a listener told about every span start, end and problem from now on.
   *
   * @param listener the listener
   */
  public void addListener(SpanListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added earlier; nothing happens if it was not added.
   *
   * @param listener the listener
   */
  public void removeListener(SpanListener listener) {
    listeners.remove(listener);
  }

  @Override
  public Trace snapshot() {
    Trace done = finalTrace;
    return done != null ? done : takeSnapshot();
  }

  @Override
  public int size() {
    Trace done = finalTrace;
    return done != null ? done.size() : (int) Math.min(next.get(), limits.maxSpans());
  }

  /**
   * Ends recording and returns the final trace: spans still open become
   * {@link ProblemCode#SPAN_NOT_ENDED} problems, and spans started from now on (by threads the test
   * left running) are not recorded but counted in {@link #orphanedSpans()}; the first of them is
   * reported to listeners as an {@link ProblemCode#ORPHAN_SPAN} problem. Calling it again returns
   * the same trace.
   *
   * @return the final trace
   */
  public synchronized Trace finish() {
    if (finalTrace != null) {
      return finalTrace;
    }
    finished = true;
    for (RecordedSpan span : takeSnapshot().openSpans()) {
      problem(ProblemCode.SPAN_NOT_ENDED, span.spanId(),
          "span " + span.spanId() + " " + span.name() + " was still open when the test ended", null);
    }
    finalTrace = takeSnapshot();
    synchronized (chunkLock) {
      // The final trace holds every span's copy: the spans being recorded are no longer needed
      // here (a million of them are about 100 MB while the report is written).
      chunks = new Chunk[0];
    }
    return finalTrace;
  }

  /** {@return whether {@link #finish()} was called} */
  public boolean isFinished() {
    return finished;
  }

  /**
   * Spans started after {@link #finish()}: not recorded, only counted.
   *
   * @return how many spans started after the end
   */
  public long orphanedSpans() {
    return orphanedSpans.get();
  }

  @Override
  public String toString() {
    return "SpanCollector(" + traceId + ", " + size() + " spans)";
  }

  // ---- recording, called by Tracing, SpanBuilder and RecordingSpan

  /**
   * Starts a span now, the path every {@code Tracing.start} takes: nothing but the span is
   * allocated. A span made current goes into {@code context}, the calling thread's context as the
   * caller already looked it up (saving a second thread-local look-up), or null to look it up here.
   */
  SpanHandle startSpan(SpanKind kind, String name, RecordingSpan parent, boolean makeCurrent, ThreadContext context) {
    RecordingSpan span = open(kind, name, parent, null, false, context);
    if (span == null) {
      return NoopSpan.INSTANCE;
    }
    if (makeCurrent) {
      span.makeCurrent();
    }
    started(span);
    return span;
  }

  /**
   * Starts the span {@code request} describes (its kind, name, attributes, links and start time)
   * under {@code parent}; {@code context} as for {@link #startSpan(SpanKind, String, RecordingSpan,
   * boolean, ThreadContext)}.
   */
  SpanHandle startSpan(SpanBuilder request, RecordingSpan parent, boolean makeCurrent, ThreadContext context) {
    Instant given = request.startTime;
    RecordingSpan span = open(request.kind, request.name, parent, given, false, context);
    if (span == null) {
      return NoopSpan.INSTANCE;
    }
    if (request.attributes != null) {
      span.attributes(request.attributes);
    }
    if (given != null && span.givenStartWall() != given) {
      span.attribute(CLOCK_NOTE + ".start", clockNote(given, span.givenStartWall()));
    }
    if (request.links != null) {
      span.addLinks(request.links);
    }
    if (makeCurrent) {
      span.makeCurrent();
    }
    started(span);
    return span;
  }

  /** Records a marker: a span of zero duration, ended as it starts, never current. */
  void marker(SpanKind kind, String name, RecordingSpan parent, Map<String, ?> attributes) {
    RecordingSpan span = open(kind, name, parent, null, true, null);
    if (span == null) {
      return;
    }
    if (attributes != null) {
      span.attributes(attributes);
    }
    started(span);
    spanEnded(span);
  }

  /**
   * A new span in its slot, now or at {@code startTime} on the wall clock (moved onto the clock if
   * the clock could not have produced it); null, counted, when nothing may be recorded. {@code
   * context} is the calling thread's, or null to look it up.
   */
  private RecordingSpan open(SpanKind kind, String name, RecordingSpan parent, Instant startTime, boolean marker,
      ThreadContext context) {
    // The rare cases are methods of their own: this one stays small enough to be inlined.
    if (finished) {
      return startedAfterTheEnd(name);
    }
    long index = next.getAndIncrement();
    if (index >= limits.maxSpans()) {
      return overTheSpanLimit(name);
    }
    long startNanos = timeSource.nanoTime();
    Instant startWall;
    if (startTime != null) {
      Instant wallNow = timeSource.now();
      startWall = onClock(startTime, wallNow);
      startNanos += nanosBetween(wallNow, startWall);
    } else {
      startWall = wallTimeToKeep(startNanos);
    }
    boolean validName = name != null && !name.isBlank();
    boolean oddKind = kind == null || !kind.isStandard() && (kind == SpanKind.UNNAMED
        || kind.name().length() > limits.maxNameLength());
    RecordingSpan span = new RecordingSpan(this, (int) (index + 1), parent,
        oddKind ? checkKind(kind, index + 1) : kind,
        !validName ? RecordingSpan.UNNAMED : name.length() > limits.maxNameLength()
            ? checkNameLength(name, "span name", index + 1) : name,
        startNanos, startWall, marker, (context != null ? context : ThreadContext.forThisThread()).spanThread());
    put(index, span);
    if (!validName) {
      invalidSpanName(name, span.id);
    }
    return span;
  }

  /** A span started after {@link #finish()}: counted, never recorded. */
  private RecordingSpan startedAfterTheEnd(String name) {
    UnrecordedSpans.count(Thread.currentThread().getName(), String.valueOf(name), traceId,
        UnrecordedSpans.Reason.TEST_ENDED);
    if (orphanedSpans.getAndIncrement() == 0) {
      // The final trace is frozen: listeners hear of it, and orphanedSpans() counts every one.
      problem(ProblemCode.ORPHAN_SPAN, 0, "span '" + name + "' was started after the test ended; it and later"
          + " spans of this trace are not recorded, only counted", null);
    }
    return null;
  }

  /** A span over {@link Limits#maxSpans()}: counted, and the first one reported. */
  private RecordingSpan overTheSpanLimit(String name) {
    if (droppedSpans.getAndIncrement() == 0) {
      problem(ProblemCode.SPAN_LIMIT, 0, "the trace reached the limit of " + limits.maxSpans()
          + " spans; '" + name + "' and later spans were dropped and counted", Map.of("limit", (long) limits.maxSpans()));
    }
    return null;
  }

  private void invalidSpanName(String name, int spanId) {
    problem(ProblemCode.INVALID_NAME, spanId, "span name " + (name == null ? "null" : "'" + name + "'")
        + " of span " + spanId + " was replaced by " + RecordingSpan.UNNAMED, null);
  }


  /** Tells the listeners, if any, that {@code span} started. */
  private void started(RecordingSpan span) {
    tellListeners(span, true);
  }

  /** The lock of span {@code spanId}. */
  Object lockFor(int spanId) {
    return spanLocks[spanId & (SPAN_LOCKS - 1)];
  }

  /** A name within the name length limit: cut, with a problem, if it is longer. */
  String checkNameLength(String name, String what, long spanId) {
    int max = limits.maxNameLength();
    if (name.length() <= max) {
      return name;
    }
    String cut = Values.cutText(name, max);
    problem(ProblemCode.INVALID_NAME, spanId, what + " of " + name.length() + " chars on span " + spanId
        + " is over the limit of " + max + "; cut", Map.of("length", (long) name.length(), "limit", (long) max));
    return cut + "…";
  }

  /**
   * The kind a span gets for a null, unnamed or over-long kind: {@link SpanKind#INTERNAL} for null or
   * unnamed, with a problem as for any other null argument (a builder never passes null).
   */
  private SpanKind checkKind(SpanKind kind, long spanId) {
    if (kind == null) {
      problem(ProblemCode.INVALID_NAME, spanId, "span " + spanId + " was started with a null kind; it was"
          + " recorded as internal", null);
      return SpanKind.INTERNAL;
    }
    if (kind == SpanKind.UNNAMED) {
      problem(ProblemCode.INVALID_NAME, spanId, "span " + spanId + " has a kind made by SpanKind.of with a null"
          + " or blank name; it was recorded as internal", null);
      return SpanKind.INTERNAL;
    }
    return SpanKind.of(checkNameLength(kind.name(), "kind name", spanId));
  }

  void spanEnded(RecordingSpan span) {
    tellListeners(span, false);
  }

  /** Tells the listeners, if any, that {@code span} started, or else ended; a listener's failure is a problem. */
  private void tellListeners(RecordingSpan span, boolean start) {
    if (listeners.isEmpty()) {
      return;
    }
    RecordedSpan recorded = span.toRecorded(timeSource.nanoTime());
    for (SpanListener listener : listeners) {
      try {
        if (start) {
          listener.onStart(recorded);
        } else {
          listener.onEnd(recorded);
        }
      } catch (Throwable t) {
        listenerFailed(listener, start ? "onStart" : "onEnd", span.id, t);
      }
    }
  }


  /**
   * The {@link ErrorInfo} for {@code thrown} recorded on span {@code spanId}. An exception that
   * passes up through many spans (deep recursion ending in a {@code StackOverflowError}, say) is
   * printed once: the spans after the first that could print it get its type and message and a
   * stack trace that points at the span holding the whole one. Printing it on every span cost seconds and hundreds of
   * megabytes of trace for one failure.
   */
  ErrorInfo describe(Throwable thrown, long spanId, String spanName) {
    RecordedError last = lastError.get();
    boolean same = last != null && last.thrown == thrown;
    if (same && last.spanId != spanId && last.info.isPrinted()) {
      // A StringBuilder, not "+": this runs near the end of an overflowed stack, where bootstrapping
      // a string-concatenation call site fails, and a call site that failed to link stays broken.
      String note = new StringBuilder(StableTrace.SAME_EXCEPTION_AS_ON_SPAN).append(last.spanId).append(' ')
          .append(last.spanName).append(", where its whole stack trace is recorded)").toString();
      return new ErrorInfo(last.info.type(), last.info.message(), note);
    }
    ErrorInfo info = ErrorInfo.of(thrown, limits.maxValueLength());
    if (!same || info.isPrinted()) {
      // Near the end of the stack printing fails; the first span up with room to print it holds it.
      lastError.set(new RecordedError(thrown, spanId, spanName, info));
    }
    return info;
  }

  private record RecordedError(Throwable thrown, long spanId, String spanName, ErrorInfo info) {}

  /**
   * Most chars a problem message traceunit writes has: messages quote names and keys, which are
   * limited, and exception messages, which are not.
   */
  static final int MAX_PROBLEM_MESSAGE = 2000;

  void problem(ProblemCode code, long spanId, String message, Map<String, Object> context) {
    long number = problemCount.incrementAndGet();
    if (number > limits.maxProblems()) {
      // The one place problems are cut: counted here, reported once in the snapshot's last problem.
      return;
    }
    if (message.length() > MAX_PROBLEM_MESSAGE) {
      String kept = Values.cutText(message, MAX_PROBLEM_MESSAGE);
      message = kept + "…[cut " + (message.length() - kept.length()) + " chars]";
    }
    Problem problem = new Problem(code, message, spanId, context);
    problems.add(problem);
    for (SpanListener listener : listeners) {
      try {
        listener.onProblem(problem);
      } catch (Throwable t) {
        // Not passed to listeners again: a listener failing on every problem would never stop.
        if (problemCount.incrementAndGet() <= limits.maxProblems()) {
          problems.add(listenerFailure(listener, "onProblem", spanId, t));
        }
      }
    }
  }

  private void listenerFailed(SpanListener listener, String method, long spanId, Throwable t) {
    Problem failure = listenerFailure(listener, method, spanId, t);
    problem(failure.code(), spanId, failure.message(), failure.context());
  }

  private static Problem listenerFailure(SpanListener listener, String method, long spanId, Throwable t) {
    ErrorInfo error = ErrorInfo.of(t, MAX_PROBLEM_MESSAGE);
    return new Problem(ProblemCode.LISTENER_FAILED, "listener " + listener.getClass().getName() + "." + method
        + " threw " + t.getClass().getName() + (error.message() == null ? "" : ": " + error.message()), spanId,
        Map.of("listener", listener.getClass().getName(), "exception", error.stackTrace()));
  }

  /**
   * The attribute (on an event; with {@code .start} or {@code .end} on a span) that notes an
   * explicit timestamp the collector's clock could not have produced, and the clock's time used
   * instead.
   */
  static final String CLOCK_NOTE = "traceunit.clock";

  /** What a {@link #CLOCK_NOTE} says: the timestamp given and the one used. */
  static String clockNote(Instant given, Instant used) {
    return "given " + given + ", used " + used + " (the clock's time then)";
  }

  /**
   * {@code given}, if the clock could have produced it (from the trace's epoch up to the clock's
   * current time); else the clock's current time. The same object when kept, so callers compare
   * with {@code !=} to know whether to note the change.
   */
  Instant onClock(Instant given) {
    return onClock(given, timeSource.now());
  }

  private Instant onClock(Instant given, Instant wallNow) {
    return given.isBefore(epochWall) || given.isAfter(wallNow) ? wallNow : given;
  }

  /** Nanoseconds from {@code from} to {@code to}, kept within ±2^62 so later arithmetic cannot overflow. */
  static long nanosBetween(Instant from, Instant to) {
    long limit = 1L << 62;
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    if (Math.abs(seconds) > limit / 1_000_000_000L - 1) {
      return seconds < 0 ? -limit : limit;
    }
    return seconds * 1_000_000_000L + (to.getNano() - from.getNano());
  }

  /**
   * The wall time to keep with something that happened at monotonic {@code nanos}: null when it is
   * the time {@link #wallTime} derives from the epoch. The system clock's wall time is always
   * derived (two clocks read apart would drift); another source (a test's mock clock) is read,
   * and kept only if it differs: after the clock's wall time was stepped, or when each read moves
   * it on. So a span under a mock clock that only advances keeps no Instant of its own.
   */
  Instant wallTimeToKeep(long nanos) {
    if (deriveWallTime) {
      return null;
    }
    Instant wall = timeSource.now();
    return nanosBetween(epochWall, wall) == nanos - epochNanos ? null : wall;
  }

  /** The wall time at monotonic {@code nanos}, derived from the epoch. */
  Instant wallTime(long nanos) {
    long fromEpoch = epochWall.getNano() + (nanos - epochNanos);
    long seconds = epochWall.getEpochSecond() + Math.floorDiv(fromEpoch, 1_000_000_000L);
    int nano = (int) Math.floorMod(fromEpoch, 1_000_000_000L);
    Instant last = lastWallTime;
    if (last != null && last.getEpochSecond() == seconds && last.getNano() == nano) {
      return last;
    }
    Instant made = Instant.ofEpochSecond(seconds, nano);
    lastWallTime = made;
    return made;
  }

  /** The offset from the trace's start of monotonic {@code nanos}; see {@link #wallTime}. */
  Duration offset(long nanos) {
    long offset = nanos - epochNanos;
    Duration last = lastOffset;
    if (last != null && last.toNanos() == offset) {
      return last;
    }
    Duration made = Duration.ofNanos(offset);
    lastOffset = made;
    return made;
  }

  private Trace takeSnapshot() {
    long now = timeSource.nanoTime();
    int count = (int) Math.min(next.get(), limits.maxSpans());
    LastSnapshot last = lastSnapshot;
    long problemsNow = problemCount.get();
    long droppedNow = droppedSpans.get();
    // While every span's copy is the one the last snapshot holds, no array is made: a test that
    // asserts again and again on a finished part of its trace gets the same trace back.
    List<RecordedSpan> lastSpans = last != null && last.problems == problemsNow && last.droppedSpans == droppedNow
        ? last.trace.spans() : List.of();
    RecordedSpan[] spans = null;
    int kept = 0;
    for (int i = 0; i < count; i++) {
      RecordingSpan span = get(i);
      if (span == null) {
        if (spans == null) {
          spans = startedLike(lastSpans, kept, count);
        }
        continue;
      }
      RecordedSpan copy = span.toRecorded(now);
      if (spans == null) {
        if (kept < lastSpans.size() && lastSpans.get(kept) == copy) {
          kept++;
          continue;
        }
        spans = startedLike(lastSpans, kept, count);
      }
      spans[kept++] = copy;
    }
    if (spans == null && kept == lastSpans.size() && last != null) {
      return last.trace;
    }
    if (spans == null) {
      spans = startedLike(lastSpans, kept, kept);
    }
    List<Problem> keptProblems = new ArrayList<>(problems);
    long over = problemsNow - limits.maxProblems();
    if (over > 0) {
      keptProblems.add(new Problem(ProblemCode.PROBLEM_LIMIT, "the trace reached the limit of " + limits.maxProblems()
          + " problems; " + over + " later problems were dropped and counted", 0,
          Map.of("dropped", over, "limit", (long) limits.maxProblems())));
    }
    Trace trace = Trace.ofOwned(traceId, kept == spans.length ? spans : Arrays.copyOf(spans, kept), keptProblems,
        droppedNow, redaction);
    lastSnapshot = new LastSnapshot(trace, problemsNow, droppedNow);
    return trace;
  }

  /** An array of {@code length} spans beginning with the first {@code kept} of {@code spans}. */
  private static RecordedSpan[] startedLike(List<RecordedSpan> spans, int kept, int length) {
    RecordedSpan[] array = new RecordedSpan[length];
    for (int i = 0; i < kept; i++) {
      array[i] = spans.get(i);
    }
    return array;
  }


  private void put(long index, RecordingSpan span) {
    int chunk = (int) (index >>> CHUNK_BITS);
    Chunk[] directory = chunks;
    if (chunk >= directory.length || directory[chunk] == null) {
      directory = grow(chunk);
    }
    // A release store, not a volatile one: it still publishes the constructed span to a reader's
    // volatile get, and the only reader that could miss it (a snapshot that saw the id taken)
    // waits for the slot to fill. Nothing on the recording path needs the full fence.
    directory[chunk].slots.setRelease((int) (index & (CHUNK_SIZE - 1)), span);
  }

  private Chunk[] grow(int chunk) {
    synchronized (chunkLock) {
      Chunk[] directory = chunks;
      if (chunk < directory.length && directory[chunk] != null) {
        return directory;
      }
      Chunk[] bigger = Arrays.copyOf(directory, Math.max(directory.length * 2, chunk + 1));
      for (int i = 0; i < bigger.length; i++) {
        if (bigger[i] == null) {
          bigger[i] = new Chunk();
        }
      }
      chunks = bigger;
      return bigger;
    }
  }

  /**
   * The span in a slot. A slot whose id was taken but not yet filled belongs to a span being
   * constructed right now on another thread; wait for it briefly.
   */
  private RecordingSpan get(int index) {
    int chunk = index >>> CHUNK_BITS;
    for (int spins = 0; ; spins++) {
      Chunk[] directory = chunks;
      RecordingSpan span = chunk < directory.length
          ? directory[chunk].slots.get(index & (CHUNK_SIZE - 1)) : null;
      if (span != null || spins > 100_000) {
        return span;
      }
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  private static final class Chunk {
    final AtomicReferenceArray<RecordingSpan> slots = new AtomicReferenceArray<>(CHUNK_SIZE);
  }
}
