package dev.traceunit.core.internal;

import dev.traceunit.core.ErrorInfo;
import dev.traceunit.core.Problem;
import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.SpanEvent;
import dev.traceunit.core.SpanLink;
import dev.traceunit.core.Trace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trace as dumps and snapshots show it: the same text on every run, JDK and execution mode. Not
 * API: the rules are documented in docs/same-dumps.md; the test's own {@link
 * Trace} keeps every real value.
 *
 * <ul>
 *   <li>Spans are numbered anew, 1, 2, 3… by start offset. Among spans that start at the same
 *       instant, those of one thread keep the order they started in; those of several threads are
 *       merged by the threads' {@linkplain #threadName shown names}, then by content, parents
 *       first. Links and problems follow the new ids. A test whose spans never start at one instant
 *       on two threads keeps its real ids.
 *   <li>Thread names lose the numbers the JVM counts across tests ({@link #threadName}).
 *   <li>Stack traces lose the frames below the test's own and those of the JDK, the test engine and
 *       traceunit ({@link #pruneStackTrace}).
 *   <li>Problems are listed by span, then code, then message.
 * </ul>
 */
public final class StableTrace {

  /** The name dumps give the thread the test ran on: {@code main}, a worker of JUnit's pool, or an IDE's. */
  public static final String TEST_THREAD = "test";

  private static final Pattern POOL_THREAD = Pattern.compile("pool-\\d+-thread-(\\d+)");
  private static final Pattern FORK_JOIN_WORKER = Pattern.compile("(ForkJoinPool(?:-\\d+|\\.commonPool))-worker-\\d+");
  private static final Pattern NUMBERED_THREAD = Pattern.compile("Thread-\\d+");
  private static final Pattern FRAME = Pattern.compile("\\s+at (?:.*/)?([^/(]+)\\.[^.(]+\\(.*");
  private static final Pattern MORE = Pattern.compile("\\s+\\.\\.\\. \\d+ more");
  /** javac numbers lambda bodies per class, and not the same way in every JDK: {@code lambda$attempt$3}. */
  private static final Pattern LAMBDA_NUMBER = Pattern.compile("(lambda\\$[^$(]+)\\$\\d+\\(");
  /** Frames of these packages differ between JDKs, engines and execution modes, or are traceunit's own. */
  private static final List<String> FOREIGN_FRAMES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
      "org.junit.", "junit.", "org.apache.maven.surefire.", "org.gradle.", "com.intellij.", "org.eclipse.jdt.",
      "dev.traceunit.core.", "dev.traceunit.clock.", "dev.traceunit.junit.", "dev.traceunit.assertions.",
      "dev.traceunit.otel.", "dev.traceunit.micrometer.");

  private StableTrace() {}

  /**
   * How the stack trace of a span starts when the exception's whole stack trace is on another
   * span, followed by that span's id: the id is renumbered with the spans.
   */
  public static final String SAME_EXCEPTION_AS_ON_SPAN = "(the same exception as on span ";

  /**
   * The stable form of {@code trace}.
   *
   * @param testThread the real name of the thread the test ran on; shown as {@value #TEST_THREAD}
   * @param testClass the test's class name (nested classes with {@code $}); its frames end stack traces
   */
  public static Trace of(Trace trace, String testThread, String testClass) {
    return new StableTrace.Builder(trace, testThread, testClass).build();
  }

  /**
   * A thread name without the numbers that depend on what ran before in the JVM: the test's own
   * thread is {@value #TEST_THREAD}; {@code pool-2-thread-3} is {@code pool-thread-3} (a pool numbers
   * its threads in the order tasks made it create them); {@code ForkJoinPool-1-worker-5} is {@code
   * ForkJoinPool-worker} and {@code ForkJoinPool.commonPool-worker-2} is {@code
   * ForkJoinPool.commonPool-worker} (work stealing picks the worker); {@code Thread-12} is {@code
   * Thread}. Other names are kept.
   */
  public static String threadName(String name, String testThread) {
    if (name.equals(testThread)) {
      return TEST_THREAD;
    }
    Matcher pool = POOL_THREAD.matcher(name);
    if (pool.matches()) {
      return "pool-thread-" + pool.group(1);
    }
    Matcher worker = FORK_JOIN_WORKER.matcher(name);
    if (worker.matches()) {
      return worker.group(1).replaceFirst("-\\d+$", "") + "-worker";
    }
    return NUMBERED_THREAD.matcher(name).matches() ? "Thread" : name;
  }

  /**
   * A printed stack trace cut as JUnit cuts a failure's: frames below the test's (those of {@code
   * testClass} or its nested classes, up to the test engine that called them) are dropped, and so are frames of the JDK, the test engine
   * and build tools, and traceunit, wherever they are, and the {@code ... N more} lines whose counts
   * depend on them. Exception lines ({@code Caused by:}, {@code Suppressed:}) and the application's
   * frames are kept, lambda bodies without the number javac gave them ({@code lambda$attempt$3}
   * becomes {@code lambda$attempt}).
   */
  public static String pruneStackTrace(String stackTrace, String testClass) {
    String outer = testClass == null ? null : testClass.replaceFirst("\\$.*", "");
    List<String> lines = stackTrace.lines().toList();
    StringBuilder out = new StringBuilder(stackTrace.length());
    int block = 0;
    while (block < lines.size()) {
      // One block: an exception line and its frames.
      out.append(lines.get(block)).append('\n');
      int end = block + 1;
      int lastTestFrame = -1;
      boolean engineBelowTest = false;
      while (end < lines.size() && (FRAME.matcher(lines.get(end)).matches() || MORE.matcher(lines.get(end)).matches())) {
        Matcher frame = FRAME.matcher(lines.get(end));
        if (outer != null && frame.matches() && !engineBelowTest) {
          if (isTestClass(frame.group(1), outer)) {
            lastTestFrame = end;
          } else if (lastTestFrame >= 0 && frame.group(1).startsWith("org.junit.")) {
            engineBelowTest = true; // what calls the engine (a build tool, or a test running tests) is not the test's
          }
        }
        end++;
      }
      int keepTo = lastTestFrame >= 0 ? lastTestFrame + 1 : end;
      for (int i = block + 1; i < keepTo; i++) {
        Matcher frame = FRAME.matcher(lines.get(i));
        if (frame.matches() && (outer != null && isTestClass(frame.group(1), outer) || !isForeign(frame.group(1)))) {
          out.append(LAMBDA_NUMBER.matcher(lines.get(i)).replaceAll("$1(")).append('\n');
        }
      }
      block = end;
    }
    return out.toString();
  }

  private static boolean isTestClass(String className, String outerTestClass) {
    return className.equals(outerTestClass) || className.startsWith(outerTestClass + "$");
  }

  private static boolean isForeign(String className) {
    for (String prefix : FOREIGN_FRAMES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static final class Builder {
    private final Trace trace;
    private final String testThread;
    private final String testClass;
    private final Map<RecordedSpan, String> signatures = new IdentityHashMap<>();
    private final Map<String, String> shownThreads = new HashMap<>();
    /** The thread name {@link #shownThread} saw last (most spans share their neighbour's), and how it is shown. */
    private String lastThread;
    private String lastShown;

    Builder(Trace trace, String testThread, String testClass) {
      this.trace = Objects.requireNonNull(trace, "trace");
      this.testThread = Objects.requireNonNull(testThread, "testThread");
      this.testClass = testClass;
    }

    Trace build() {
      List<RecordedSpan> byStart = trace.spans();
      int n = byStart.size();
      List<RecordedSpan> order = new ArrayList<>(n);
      int from = 0;
      while (from < n) {
        RecordedSpan first = byStart.get(from);
        int to = from + 1;
        boolean oneThread = true;
        while (to < n && byStart.get(to).startOffset().equals(first.startOffset())) {
          oneThread &= byStart.get(to).threadName().equals(first.threadName());
          to++;
        }
        if (oneThread) { // the usual case, a span an instant: its start order, without a merge's maps
          for (int i = from; i < to; i++) {
            order.add(byStart.get(i));
          }
        } else {
          merge(byStart.subList(from, to), order);
        }
        from = to;
      }
      // A span's new id is its place in `order` plus one.
      IdIndex ids = new IdIndex(n);
      for (int i = 0; i < n; i++) {
        ids.put(order.get(i).spanId(), i);
      }
      List<RecordedSpan> spans = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        spans.add(stable(order.get(i), i + 1L, ids));
      }
      List<Problem> problems = new ArrayList<>();
      for (Problem problem : trace.problems()) {
        problems.add(stable(problem, ids));
      }
      problems.sort(Comparator.comparingLong(Problem::spanId).thenComparing(Problem::code)
          .thenComparing(Problem::message));
      return Trace.of(trace.traceId(), spans, problems, trace.droppedSpans()).withRedaction(trace.redaction());
    }

    /** The stable id of the span with real id {@code spanId}, or null if it is not in the trace. */
    private static Long stableId(IdIndex ids, long spanId) {
      int at = ids.get(spanId);
      return at < 0 ? null : at + 1L;
    }

    /** {@link #threadName(String, String)}, once for each name the trace's spans have. */
    private String shownThread(String name) {
      if (name != lastThread) {
        lastThread = name;
        lastShown = shownThreads.computeIfAbsent(name, real -> threadName(real, testThread));
      }
      return lastShown;
    }

    /**
     * Appends spans that started at one instant in a stable order. On one thread they keep their
     * start order; the sequences of several threads are merged by taking, each time, the first
     * span of the thread with the smallest shown name (then content) whose parent is not still
     * waiting: parents come before their children, and nothing depends on which thread won a race.
     */
    private void merge(List<RecordedSpan> instant, List<RecordedSpan> into) {
      Map<String, ArrayDeque<RecordedSpan>> threads = new LinkedHashMap<>();
      for (RecordedSpan span : instant) {
        threads.computeIfAbsent(span.threadName(), name -> new ArrayDeque<>()).add(span);
      }
      if (threads.size() == 1) {
        into.addAll(instant);
        return;
      }
      Set<Long> waiting = new HashSet<>();
      instant.forEach(span -> waiting.add(span.spanId()));
      Comparator<RecordedSpan> first = Comparator
          .comparing((RecordedSpan span) -> threadName(span.threadName(), testThread))
          .thenComparing(this::signature).thenComparingLong(RecordedSpan::spanId);
      while (!waiting.isEmpty()) {
        RecordedSpan next = null;
        for (ArrayDeque<RecordedSpan> thread : threads.values()) {
          RecordedSpan head = thread.peekFirst();
          if (head != null && !waiting.contains(head.parentId()) && (next == null || first.compare(head, next) < 0)) {
            next = head;
          }
        }
        if (next == null) { // not from a real run (a parent started after its child): start order
          next = instant.stream().filter(span -> waiting.contains(span.spanId())).findFirst().orElseThrow();
        }
        threads.get(next.threadName()).remove(next);
        waiting.remove(next.spanId());
        into.add(next);
      }
    }

    /**
     * What a span and its subtree show, without ids or order: two spans with one signature look the
     * same in every dump, so their order does not matter.
     */
    private String signature(RecordedSpan span) {
      String known = signatures.get(span);
      if (known != null) {
        return known;
      }
      StringBuilder out = new StringBuilder().append(span.name()).append('\u0000').append(span.kind().name())
          .append('\u0000').append(span.duration()).append('\u0000').append(span.attributes())
          .append('\u0000').append(span.status()).append('\u0000').append(span.ended()).append('\u0000');
      if (span.error() != null) {
        out.append(span.error().type()).append(": ").append(span.error().message());
      }
      for (SpanEvent event : span.events()) {
        out.append('\u0000').append(event.name()).append(event.offset()).append(event.attributes().keySet());
      }
      List<String> children = new ArrayList<>();
      for (RecordedSpan child : trace.children(span)) {
        children.add(signature(child));
      }
      children.sort(null);
      children.forEach(child -> out.append('\u0001').append(child));
      String signature = out.toString();
      signatures.put(span, signature);
      return signature;
    }

    /** The span with its stable id and parent's, links, stack traces and thread name: one new object a span. */
    private RecordedSpan stable(RecordedSpan span, long spanId, IdIndex ids) {
      List<SpanLink> links = span.links();
      if (!links.isEmpty()) {
        links = new ArrayList<>(span.links().size());
        for (SpanLink link : span.links()) {
          Long to = link.traceId().equals(trace.traceId()) ? stableId(ids, link.spanId()) : null;
          links.add(to == null ? link : new SpanLink(link.traceId(), to, link.attributes()));
        }
      }
      List<SpanEvent> events = span.events();
      if (!events.isEmpty()) {
        events = new ArrayList<>(span.events().size());
        for (SpanEvent event : span.events()) {
          events.add(new SpanEvent(event.name(), event.offset(), event.time(),
              prunedStackTraceIn(event.attributes(), "exception.stacktrace", ids)));
        }
      }
      ErrorInfo error = span.error() == null ? null : new ErrorInfo(span.error().type(), span.error().message(),
          renumbered(pruneStackTrace(span.error().stackTrace(), testClass), ids));
      // A parent not in the trace (cut by the span limit, or outside a subtree) has no stable id: 0.
      Long parent = stableId(ids, span.parentId());
      return new RecordedSpan(span.traceId(), spanId, parent == null ? 0 : parent, span.kind(), span.name(),
          span.startOffset(), span.startTime(), span.duration(), span.ended(), span.marker(), span.attributes(), events,
          links, span.status(), error, shownThread(span.threadName()), span.droppedAttributes(), span.droppedEvents(),
          span.droppedLinks());
    }

    private Problem stable(Problem problem, IdIndex ids) {
      Long id = stableId(ids, problem.spanId());
      String message = problem.message();
      if (id != null && id != problem.spanId()) {
        message = message.replace("span " + problem.spanId() + " ", "span " + id + " ");
      }
      return new Problem(problem.code(), message, id == null ? problem.spanId() : id,
          prunedStackTraceIn(problem.context(), "exception", ids));
    }

    private Map<String, Object> prunedStackTraceIn(Map<String, Object> attributes, String key, IdIndex ids) {
      Object stackTrace = attributes.get(key);
      if (!(stackTrace instanceof String)) {
        return attributes;
      }
      Map<String, Object> pruned = new LinkedHashMap<>(attributes);
      pruned.put(key, renumbered(pruneStackTrace((String) stackTrace, testClass), ids));
      return pruned;
    }

    /** A stack trace that points at another span's, with that span's stable id. */
    private static String renumbered(String stackTrace, IdIndex ids) {
      if (stackTrace == null || !stackTrace.startsWith(SAME_EXCEPTION_AS_ON_SPAN)) {
        return stackTrace;
      }
      int start = SAME_EXCEPTION_AS_ON_SPAN.length();
      int end = start;
      while (end < stackTrace.length() && stackTrace.charAt(end) >= '0' && stackTrace.charAt(end) <= '9') {
        end++;
      }
      Long id = end == start || end - start > 18 ? null : stableId(ids, Long.parseLong(stackTrace.substring(start, end)));
      return id == null ? stackTrace : SAME_EXCEPTION_AS_ON_SPAN + id + stackTrace.substring(end);
    }
  }
}
