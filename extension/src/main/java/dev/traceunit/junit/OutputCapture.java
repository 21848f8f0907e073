package dev.traceunit.junit;

import dev.traceunit.core.Scope;
import dev.traceunit.core.SpanCollector;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.internal.ActiveCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what tests print to {@code System.out} and {@code System.err} as {@code log} events,
 * while it is still printed as before.
 *
 * <p>One tee stream per standard stream is installed while at least one capturing test runs (and
 * the originals put back when the last one ends), never swapped per test: under parallel execution
 * each line is routed by the writing thread's context: by its active collector (its own, or the
 * fallback; {@link ActiveCollector}); a thread whose collector does not capture, or that has none,
 * is only printed. A line goes to the
 * span current on the writing thread when the line began, as a {@code log} event with attributes
 * {@code stream} ({@code stdout} or {@code stderr}) and {@code text}; with no current span, to the
 * test's trace as a root marker span named {@code log} with the same attributes.
 */
final class OutputCapture {

  static final String LOG = "log";

  private static final Map<SpanCollector, Session> SESSIONS = new ConcurrentHashMap<>();
  private static final Object INSTALL_LOCK = new Object();
  private static Tee out;
  private static Tee err;
  private static int installed;

  private OutputCapture() {}

  /** Starts capturing the lines written by the threads that record into {@code collector}. */
  static Session start(SpanCollector collector) {
    Session session = new Session(collector);
    synchronized (INSTALL_LOCK) {
      if (installed++ == 0) {
        out = install(out, System.out, "stdout");
        err = install(err, System.err, "stderr");
        System.setOut(out.printStream);
        System.setErr(err.printStream);
      }
    }
    SESSIONS.put(collector, session);
    return session;
  }

  /** The same tee when the stream is unchanged: loggers holding it keep being captured. */
  private static Tee install(Tee previous, PrintStream current, String name) {
    if (previous != null && (previous.printStream == current || previous.original == current)) {
      return previous;
    }
    return new Tee(current, name);
  }

  /** One test's capture. {@link #end()} flushes unfinished lines and stops; a second call does nothing. */
  static final class Session {
    final SpanCollector collector;
    /** Buffers holding an unfinished line of this test, to flush when it ends. */
    final Set<LineBuffer> pending = ConcurrentHashMap.newKeySet();
    final int maxLineBytes;
    private volatile boolean ended;

    Session(SpanCollector collector) {
      this.collector = collector;
      this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 8, 4L * collector.limits().maxValueLength() + 4);
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      try {
        SESSIONS.remove(collector, this);
        for (LineBuffer buffer : pending) {
          buffer.flush(this);
        }
      } finally {
        synchronized (INSTALL_LOCK) {
          if (--installed == 0) {
            restore(out);
            restore(err);
          }
        }
      }
    }

    private static void restore(Tee tee) {
      if (tee.name.equals("stdout") && System.out == tee.printStream) {
        System.setOut(tee.original);
      } else if (tee.name.equals("stderr") && System.err == tee.printStream) {
        System.setErr(tee.original);
      }
    }

    /** Records one finished line where it belongs; never throws. */
    void record(String stream, String text, SpanHandle span) {
      Map<String, Object> attributes = new LinkedHashMap<>(4);
      attributes.put("stream", stream);
      attributes.put("text", text);
      if (span != null && span.isRecording()) {
        span.event(LOG, attributes);
        return;
      }
      try (Scope scope = collector.activate()) {
        Tracing.marker(LOG, attributes);
      }
    }
  }

  /** A finished line and where it goes. */
  private record Line(Session session, String stream, String text, SpanHandle span) {
    void record() {
      session.record(stream, text, span);
    }
  }

  /**
   * A thread's unfinished line on one stream, and where it goes. Written by its thread only; the
   * test's end may flush it from another thread, so state changes are synchronized and lines are
   * recorded outside the lock.
   */
  static final class LineBuffer {
    final String stream;
    final Charset charset;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Session session;
    private SpanHandle span;

    LineBuffer(String stream, Charset charset) {
      this.stream = stream;
      this.charset = charset;
    }

    void write(Session to, byte[] data, int offset, int length) {
      List<Line> done = new ArrayList<>(1);
      synchronized (this) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
          if (data[i] == '\n') {
            append(to, data, start, i - start, done);
            done.add(take());
            start = i + 1;
          }
        }
        if (start < end) {
          append(to, data, start, end - start, done);
        }
      }
      done.forEach(Line::record);
    }

    private void append(Session to, byte[] data, int offset, int length, List<Line> done) {
      if (session != to) {
        if (session != null) {
          done.add(take()); // the thread moved on to another test: its old line belongs to the old one
        }
        session = to;
        span = Tracing.current();
        to.pending.add(this);
      }
      // Cut at 4 bytes a char past the value limit: core truncates the text and reports it.
      int room = to.maxLineBytes - bytes.size();
      bytes.write(data, offset, Math.max(0, Math.min(room, length)));
    }

    /** The line so far, emptied; the caller records it outside the lock. */
    private Line take() {
      String text = bytes.toString(charset);
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      Line line = new Line(session, stream, text, span);
      session.pending.remove(this);
      bytes.reset();
      session = null;
      span = null;
      return line;
    }

    /** Records the unfinished line, if it belongs to {@code owner}. */
    void flush(Session owner) {
      Line line;
      synchronized (this) {
        if (session != owner) {
          return;
        }
        line = take();
      }
      line.record();
    }
  }

  /** Prints to the original stream and hands each byte to the writing thread's line buffer. */
  private static final class Tee extends OutputStream {
    final PrintStream original;
    final String name;
    final PrintStream printStream;
    final Charset charset;
    private final ThreadLocal<LineBuffer> lines = new ThreadLocal<>();
    /** Set while recording a line: what listeners print then is only printed. */
    private final ThreadLocal<Boolean> recording = new ThreadLocal<>();

    Tee(PrintStream original, String name) {
      this.original = original;
      this.name = name;
      this.charset = charsetOf(name);
      this.printStream = new PrintStream(this, true, charset);
    }

    private static Charset charsetOf(String name) {
      String configured = System.getProperty(name.equals("stdout") ? "stdout.encoding" : "stderr.encoding");
      try {
        return configured == null ? Charset.defaultCharset() : Charset.forName(configured);
      } catch (RuntimeException unknown) {
        return Charset.defaultCharset();
      }
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
      original.write(data, offset, length);
      if (SESSIONS.isEmpty() || recording.get() != null) {
        return;
      }
      recording.set(Boolean.TRUE);
      try {
        SpanCollector active = ActiveCollector.ofThisThread();
        Session session = active == null ? null : SESSIONS.get(active);
        if (session != null) {
          LineBuffer buffer = lines.get();
          if (buffer == null) {
            buffer = new LineBuffer(name, charset);
            lines.set(buffer);
          }
          buffer.write(session, data, offset, length);
        }
      } catch (RuntimeException failure) {
        // Capture is a convenience: whatever goes wrong here must not break the test's printing.
      } finally {
        recording.remove();
      }
    }

    @Override
    public void flush() throws IOException {
      original.flush();
    }
  }
}
