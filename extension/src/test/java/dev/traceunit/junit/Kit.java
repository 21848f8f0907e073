package dev.traceunit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs sample test classes on the Jupiter engine, isolated from this module's own configuration. */
final class Kit {

  private Kit() {}

  static Run run(Path outputRoot, Map<String, String> configuration, Class<?>... classes) {
    return new Run(writingInto(outputRoot, EngineTestKit.engine("junit-jupiter"))
        .enableImplicitConfigurationParameters(false)
        .configurationParameters(configuration)
        .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(org.junit.platform.engine.DiscoverySelector[]::new))
        .execute());
  }

  /**
   * Has published files written under {@code root}, in the way of the JUnit line of this run (its
   * CI profiles run these tests on JUnit 5.10 and 5.12 too): 5.14+ take an OutputDirectoryCreator,
   * 5.12 and 5.13 an OutputDirectoryProvider, 5.10 and 5.11 publish no files (see {@link DumpFiles}).
   */
  static EngineTestKit.Builder writingInto(Path root, EngineTestKit.Builder builder) {
    if (JUnitLine.atLeast(5, 14)) {
      return builder.outputDirectoryCreator(into(root));
    }
    // 5.10 and 5.11: the extension writes the files itself, into JUnit's reporting output folder.
    return JUnitLine.atLeast(5, 12) ? Before514.writingInto(root, builder)
        : builder.configurationParameter("junit.platform.reporting.output.dir", root.toString());
  }

  /** A dump file the test published, or (JUnit 5.10, 5.11) wrote and named in a report entry. */
  record Published(Path getPath, Optional<String> getMediaType) {}

  /** What only JUnit 5.12 and 5.13 have; loaded only on those lines. */
  private static final class Before514 {
    @SuppressWarnings({"deprecation", "removal"})
    static EngineTestKit.Builder writingInto(Path root, EngineTestKit.Builder builder) {
      return builder.outputDirectoryProvider(new org.junit.platform.engine.reporting.OutputDirectoryProvider() {
        @Override
        public Path getRootDirectory() {
          return root;
        }

        @Override
        public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
          return into(root).createOutputDirectory(descriptor);
        }
      });
    }
  }

  /** Reads published files; loaded only on JUnit 5.12 and later, which have them. */
  private static final class FileEntries {
    static List<Published> of(Events events, java.util.function.Predicate<Event> by) {
      return events.fileEntryPublished().stream().filter(by).map(e -> e.getRequiredPayload(FileEntry.class))
          .map(f -> new Published(f.getPath(), f.getMediaType())).collect(Collectors.toList());
    }
  }

  static Run run(Path outputRoot, Class<?>... classes) {
    return run(outputRoot, Map.of(), classes);
  }

  /** Writes each test's files under {@code root}, as the launcher's default does. */
  static OutputDirectoryCreator into(Path root) {
    return new OutputDirectoryCreator() {
      @Override
      public Path getRootDirectory() {
        return root;
      }

      @Override
      public Path createOutputDirectory(TestDescriptor descriptor) throws IOException {
        String name = descriptor.getUniqueId().toString().replaceAll("[^A-Za-z0-9.#-]+", "_");
        return Files.createDirectories(root.resolve(name));
      }
    };
  }

  /** The results of one run, read by test method name. */
  static final class Run {
    final EngineExecutionResults results;

    Run(EngineExecutionResults results) {
      this.results = results;
    }

    Events tests() {
      return results.testEvents();
    }

    /** The exception the test whose method has this name failed with. */
    Throwable failure(String method) {
      TestExecutionResult result = finished(method).getRequiredPayload(TestExecutionResult.class);
      if (result.getStatus() != TestExecutionResult.Status.FAILED) {
        throw new AssertionError(method + " did not fail but was " + result.getStatus());
      }
      return result.getThrowable().orElseThrow();
    }

    TestExecutionResult.Status status(String method) {
      return finished(method).getRequiredPayload(TestExecutionResult.class).getStatus();
    }

    private Event finished(String method) {
      List<Event> found = results.testEvents().finished().stream().filter(e -> isMethod(e, method))
          .collect(Collectors.toList());
      if (found.size() != 1) {
        throw new AssertionError("expected one finished test " + method + " but found " + found);
      }
      return found.get(0);
    }

    /** Values of the report entries with this key published by the test. */
    List<String> reportEntries(String method, String key) {
      return results.allEvents().reportingEntryPublished().stream().filter(e -> isMethod(e, method))
          .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(key))
          .filter(v -> v != null)
          .collect(Collectors.toList());
    }

    /** The files the test published. */
    List<Published> files(String method) {
      return published(e -> isMethod(e, method));
    }

    Optional<Published> file(String method, String name) {
      return files(method).stream().filter(f -> f.getPath().getFileName().toString().equals(name)).findFirst();
    }

    private List<Published> published(java.util.function.Predicate<Event> by) {
      if (SupportedJUnit.PUBLISH_FILE) {
        return FileEntries.of(results.allEvents(), by);
      }
      return results.allEvents().reportingEntryPublished().stream().filter(by)
          .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(DumpFiles.FILE_ENTRY_KEY))
          .filter(v -> v != null).map(v -> new Published(Path.of(v), Optional.empty())).collect(Collectors.toList());
    }

    /** The exception the test or container with this display name (a dynamic test, a class) failed with. */
    Throwable failureOf(String displayName) {
      List<Event> found = results.allEvents().finished().stream()
          .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName)).collect(Collectors.toList());
      if (found.size() != 1) {
        throw new AssertionError("expected one finished test or container " + displayName + " but found " + found);
      }
      TestExecutionResult result = found.get(0).getRequiredPayload(TestExecutionResult.class);
      if (result.getStatus() != TestExecutionResult.Status.FAILED) {
        throw new AssertionError(displayName + " did not fail but was " + result.getStatus());
      }
      return result.getThrowable().orElseThrow();
    }

    /** Every report entry with this key in the run, whoever published it. */
    List<String> allReportEntries(String key) {
      return results.allEvents().reportingEntryPublished().stream()
          .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(key))
          .filter(v -> v != null)
          .collect(Collectors.toList());
    }

    /** The files the test or container with this display name published. */
    List<Published> filesOf(String displayName) {
      return published(e -> e.getTestDescriptor().getDisplayName().equals(displayName));
    }

    private static boolean isMethod(Event event, String method) {
      return event.getTestDescriptor().getUniqueId().getSegments().stream()
          .anyMatch(s -> (s.getType().equals("method") || s.getType().equals("test-template"))
              && s.getValue().startsWith(method + "("));
    }
  }
}
