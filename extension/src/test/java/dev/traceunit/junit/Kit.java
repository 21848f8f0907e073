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
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .enableImplicitConfigurationParameters(false)
        .configurationParameters(configuration)
        .outputDirectoryCreator(into(outputRoot))
        .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(org.junit.platform.engine.DiscoverySelector[]::new))
        .execute();
    return new Run(results);
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
    List<FileEntry> files(String method) {
      return results.allEvents().fileEntryPublished().stream().filter(e -> isMethod(e, method))
          .map(e -> e.getRequiredPayload(FileEntry.class))
          .collect(Collectors.toList());
    }

    Optional<FileEntry> file(String method, String name) {
      return files(method).stream().filter(f -> f.getPath().getFileName().toString().equals(name)).findFirst();
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
    List<FileEntry> filesOf(String displayName) {
      return results.allEvents().fileEntryPublished().stream()
          .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName))
          .map(e -> e.getRequiredPayload(FileEntry.class))
          .collect(Collectors.toList());
    }

    private static boolean isMethod(Event event, String method) {
      return event.getTestDescriptor().getUniqueId().getSegments().stream()
          .anyMatch(s -> (s.getType().equals("method") || s.getType().equals("test-template"))
              && s.getValue().startsWith(method + "("));
    }
  }
}
