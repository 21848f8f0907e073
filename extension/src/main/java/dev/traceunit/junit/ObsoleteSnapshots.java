package dev.traceunit.junit;

import dev.traceunit.assertions.spi.SnapshotContext;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Snapshot files no test used, found at the end of a run: in the folder of a test class that ran, a
 * file whose test method no longer exists, or whose test ran and passed without comparing it. They
 * are listed, never deleted: a file is the user's to remove.
 */
// Also a Store.CloseableResource: JUnit 5.10 to 5.12 close only those at the end of the run.
@SuppressWarnings({"deprecation", "removal"})
final class ObsoleteSnapshots implements AutoCloseable, org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource {

  private static final Namespace NAMESPACE = Namespace.create(ObsoleteSnapshots.class);

  /** Per class folder: the class's method names, and per test name whether it passed and what it used. */
  private final Map<Path, Set<String>> methods = new HashMap<>();
  private final Map<Path, Map<String, Set<Path>>> passed = new HashMap<>();
  private final PrintStream out;

  ObsoleteSnapshots(PrintStream out) {
    this.out = out;
  }

  /** Notes what a finished test did; the run's list is printed when JUnit closes the root store. */
  static void testFinished(ExtensionContext context, TestTrace test) {
    Path dir = test.snapshotsDir();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    ObsoleteSnapshots run;
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    synchronized (ObsoleteSnapshots.class) {
      run = store.get(ObsoleteSnapshots.class, ObsoleteSnapshots.class);
      if (run == null) {
        run = new ObsoleteSnapshots(System.out);
        store.put(ObsoleteSnapshots.class, run);
      }
    }
    run.add(dir, context.getRequiredTestClass(), test.snapshotName(),
        context.getExecutionException().isEmpty(), test.snapshotFiles());
  }

  synchronized void add(Path dir, Class<?> testClass, String testName, boolean testPassed, Set<Path> used) {
    methods.computeIfAbsent(dir, d -> methodNames(testClass));
    if (testPassed) {
      passed.computeIfAbsent(dir, d -> new HashMap<>()).put(testName, used);
    }
  }

  /** The files that look obsolete, each with the reason. */
  synchronized Map<Path, String> obsolete() {
    Map<Path, String> found = new TreeMap<>();
    for (Map.Entry<Path, Set<String>> entry : methods.entrySet()) {
      Path dir = entry.getKey();
      List<Path> files = new ArrayList<>();
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(file -> file.getFileName().toString().endsWith(SnapshotContext.SUFFIX)).forEach(files::add);
      } catch (IOException e) {
        continue; // the folder went away: nothing to report in it
      }
      Map<String, Set<Path>> passedHere = passed.getOrDefault(dir, Map.of());
      for (Path file : files) {
        String name = file.getFileName().toString();
        String test = name.substring(0, name.length() - SnapshotContext.SUFFIX.length());
        int dot = test.indexOf('.');
        test = dot < 0 ? test : test.substring(0, dot);
        String method = test.replaceFirst("#.*", "");
        if (!entry.getValue().contains(method)) {
          found.put(file, "its class has no method " + method);
        } else if (passedHere.containsKey(test) && !passedHere.get(test).contains(file)) {
          found.put(file, "test " + test + " passed without comparing it");
        }
      }
    }
    return found;
  }

  /** Whether the list was printed: a JUnit that closes both kinds of resource must not print it twice. */
  private boolean closed;

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Map<Path, String> obsolete = obsolete();
    if (obsolete.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("traceunit: ").append(obsolete.size())
        .append(obsolete.size() == 1 ? " snapshot file looks" : " snapshot files look")
        .append(" obsolete (no test used it in this run); delete or rename it:");
    obsolete.forEach((file, reason) -> message.append("\n  ").append(file).append("  (").append(reason).append(')'));
    out.println(message);
  }

  private static Set<String> methodNames(Class<?> testClass) {
    Set<String> names = new HashSet<>();
    for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
      for (Method method : type.getDeclaredMethods()) {
        names.add(method.getName());
      }
    }
    for (Method method : testClass.getMethods()) {
      names.add(method.getName()); // default methods of interfaces, too
    }
    return names;
  }
}
