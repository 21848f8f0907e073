package dev.traceunit.assertions.spi;

import dev.traceunit.core.Trace;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What {@code matchesSnapshot()} needs to know about the test running on the current thread: where
 * its snapshot files are and how to treat them. A test engine integration (traceunit-junit's {@code
 * TraceExtension}) enters one before each test on the test's thread and closes it after; the
 * assertions read it. Not for tests to call.
 *
 * <pre>{@code
 * try (SnapshotContext test = SnapshotContext.enter(dir, "com.acme.CheckoutTest", "pays", "main", false, false, t -> t)) {
 *   runTheTest();
 *   Set<Path> read = test.usedFiles();
 * }
 * }</pre>
 */
public final class SnapshotContext implements AutoCloseable {

  private static final ThreadLocal<SnapshotContext> CURRENT = new ThreadLocal<>();

  private final Path classDir;
  private final String testClass;
  private final String testName;
  private final String testThread;
  private final boolean update;
  private final boolean missingPasses;
  private final UnaryOperator<Trace> mask;
  private final Set<Path> used = Collections.synchronizedSet(new LinkedHashSet<>());
  private final SnapshotContext previous;

  private SnapshotContext(Path root, String testClass, String testName, String testThread, boolean update,
      boolean missingPasses, UnaryOperator<Trace> mask) {
    this.classDir = classDir(root, testClass);
    this.testClass = testClass;
    this.testName = testName;
    this.testThread = testThread;
    this.update = update;
    this.missingPasses = missingPasses;
    this.mask = mask;
    this.previous = CURRENT.get();
  }

  /**
   * Makes a test current on this thread until {@link #close()}.
   *
   * @param root the folder of all snapshots, e.g. {@code src/test/resources/traceunit-snapshots}
   * @param testClass the test's class, e.g. {@code com.acme.CheckoutTest} or {@code com.acme.CheckoutTest$Retries}
   * @param testName the test's name within it: its method, plus {@code #2} per invocation of the class
   *     and of the method, outermost first
   * @param testThread the real name of the test's thread, which snapshots show as {@code test}
   * @param update whether snapshots are rewritten instead of compared ({@code traceunit.snapshots.update})
   * @param missingPasses whether a test whose snapshot is missing passes after writing it
   * @param mask what snapshot files and messages show of a trace: the dumps' masking of secrets
   * @return the context, to close when the test ends
   */
  public static SnapshotContext enter(Path root, String testClass, String testName, String testThread,
      boolean update, boolean missingPasses, UnaryOperator<Trace> mask) {
    SnapshotContext context = new SnapshotContext(Objects.requireNonNull(root, "root"),
        Objects.requireNonNull(testClass, "testClass"), Objects.requireNonNull(testName, "testName"),
        Objects.requireNonNull(testThread, "testThread"), update, missingPasses, Objects.requireNonNull(mask, "mask"));
    CURRENT.set(context);
    return context;
  }

  /** {@return the test current on this thread, or null} */
  public static SnapshotContext current() {
    return CURRENT.get();
  }

  /**
   * {@return the folder of one test class's snapshots: its package as folders, then each class from
   * the outermost as a folder} {@code com.acme.CheckoutTest$Retries} (a {@code @Nested} class) has
   * {@code com/acme/CheckoutTest/Retries}, inside the folder of {@code CheckoutTest}: the tree JUnit
   * shows, with no {@code $} in a path.
   *
   * @param root the folder of all snapshots
   * @param testClass the test's class name (binary, as {@link Class#getName()} gives it)
   */
  public static Path classDir(Path root, String testClass) {
    Path dir = root;
    for (String part : testClass.split("[.$]")) {
      if (!part.isEmpty()) {
        dir = dir.resolve(part);
      }
    }
    return dir;
  }

  /**
   * {@return the snapshot file named {@code name} (null: the test's unnamed one)}
   *
   * @param name the snapshot's name, or null
   */
  public Path file(String name) {
    return classDir.resolve(fileName(testName, name));
  }

  /**
   * {@code pays.trace.txt}, or {@code pays.after-retry.trace.txt} for a named snapshot.
   *
   * @param testName the test's name in file names
   * @param name the snapshot's name, or null
   * @return the file name
   */
  public static String fileName(String testName, String name) {
    return testName + (name == null ? "" : "." + name) + SUFFIX;
  }

  /** How every snapshot file name ends. */
  public static final String SUFFIX = ".trace.txt";

  /**
   * Notes that the test compared with (or wrote) {@code file}; false if it did so before.
   *
   * @param file the snapshot file
   * @return whether this is the test's first use of it
   */
  public boolean use(Path file) {
    return used.add(file);
  }

  /** {@return the snapshot files the test compared with or wrote so far} */
  public Set<Path> usedFiles() {
    synchronized (used) {
      return Set.copyOf(used);
    }
  }

  /** {@return the folder of the test class's snapshots} */
  public Path classDir() {
    return classDir;
  }

  /** {@return the test's class name, as given} */
  public String testClass() {
    return testClass;
  }

  /** {@return the test's name in file names, e.g. {@code pays#2}} */
  public String testName() {
    return testName;
  }

  /** {@return the real name of the test's thread} */
  public String testThread() {
    return testThread;
  }

  /** {@return whether snapshots are rewritten instead of compared} */
  public boolean update() {
    return update;
  }

  /** {@return whether a test whose snapshot was missing passes once it is written} */
  public boolean missingPasses() {
    return missingPasses;
  }

  /**
   * {@return the trace as snapshots show it: secret-looking values masked as in every dump}
   *
   * @param trace the trace to show
   */
  public Trace masked(Trace trace) {
    return mask.apply(trace);
  }

  /** Ends this test on this thread; the test current before it, if any, is current again. */
  @Override
  public void close() {
    if (CURRENT.get() == this) {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
