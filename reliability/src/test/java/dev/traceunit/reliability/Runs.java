package dev.traceunit.reliability;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs sample classes on the Jupiter engine, isolated from this module's configuration; records figures. */
final class Runs {

  private Runs() {}

  static EngineExecutionResults run(OutputDirectoryCreator files, Map<String, String> configuration, Class<?> sample) {
    return EngineTestKit.engine("junit-jupiter")
        .enableImplicitConfigurationParameters(false)
        .configurationParameters(configuration)
        .outputDirectoryCreator(files)
        .selectors(selectClass(sample))
        .execute();
  }

  static Map<String, String> config(String... keysAndValues) {
    Map<String, String> config = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      config.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return config;
  }

  /** Each test's files in its own folder under {@code root}, as the launcher's default does. */
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

  /** The result of the one test whose method has this name. */
  static TestExecutionResult result(EngineExecutionResults results, String method) {
    return results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getValue().startsWith(method + "("))
        .map(e -> e.getRequiredPayload(TestExecutionResult.class))
        .reduce((a, b) -> {
          throw new AssertionError("more than one test named " + method);
        })
        .orElseThrow(() -> new AssertionError("no test named " + method));
  }

  static Event finished(EngineExecutionResults results, String method) {
    return results.testEvents().finished().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().getLastSegment().getValue().startsWith(method + "("))
        .findFirst().orElseThrow();
  }

  /** Appends one line of figures to the file the build names, and to the console: one line per suite. */
  static synchronized void figures(String line) {
    System.out.println("[reliability] " + line);
    String file = System.getProperty("reliability.figures");
    if (file != null) {
      try {
        Files.writeString(Path.of(file), line + System.lineSeparator(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write figures to " + file, e);
      }
    }
  }
}
