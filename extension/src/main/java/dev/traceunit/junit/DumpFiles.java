package dev.traceunit.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How a dump's files reach the user on the JUnit of this run, chosen once by what it has
 * ({@link SupportedJUnit}): JUnit 5.14 and later publish them with {@code
 * org.junit.jupiter.api.MediaType}, 5.12 and 5.13 with the media type of their extension package,
 * and 5.10 and 5.11, which cannot publish files, get them written into the folder JUnit 5.12 would
 * use, each announced by a report entry {@value #FILE_ENTRY_KEY} with its path (what consoles, IDEs
 * and Open Test Reporting show of a test).
 */
abstract class DumpFiles {

  /** The key of the report entry naming a dump file written without {@code publishFile} (JUnit 5.10, 5.11). */
  static final String FILE_ENTRY_KEY = "traceunit.file";

  static final DumpFiles OF_THIS_JUNIT = SupportedJUnit.MEDIA_TYPE ? new WithMediaType()
      : SupportedJUnit.PUBLISH_FILE ? new WithExtensionMediaType() : new IntoOutputFolder();

  /** Publishes the file {@code fileName} of type {@code mediaType} that {@code format} writes for {@code outcome}. */
  abstract void publish(ExtensionContext context, DumpFormat format, DumpFormat.TestOutcome outcome) throws Exception;

  /** JUnit Jupiter 5.14 and later. */
  private static final class WithMediaType extends DumpFiles {
    @Override
    void publish(ExtensionContext context, DumpFormat format, DumpFormat.TestOutcome outcome) {
      context.publishFile(format.fileName(), org.junit.jupiter.api.MediaType.parse(format.mediaType()),
          file -> format.write(outcome, file));
    }
  }

  /** JUnit Jupiter 5.12 and 5.13, whose only media type 5.14 deprecates. */
  private static final class WithExtensionMediaType extends DumpFiles {
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    void publish(ExtensionContext context, DumpFormat format, DumpFormat.TestOutcome outcome) {
      context.publishFile(format.fileName(), org.junit.jupiter.api.extension.MediaType.parse(format.mediaType()),
          file -> format.write(outcome, file));
    }
  }

  /**
   * JUnit Jupiter 5.10 and 5.11: the file goes where JUnit 5.12 would put it — under {@code
   * junit.platform.reporting.output.dir} if set, else {@code target} in a Maven project ({@code
   * build} in a Gradle one) — in {@code traceunit/<trace id>/}, announced by a report entry.
   */
  private static final class IntoOutputFolder extends DumpFiles {
    @Override
    void publish(ExtensionContext context, DumpFormat format, DumpFormat.TestOutcome outcome) throws IOException {
      Path folder = root(context.getConfigurationParameter("junit.platform.reporting.output.dir"))
          .resolve("traceunit");
      for (String part : outcome.trace().traceId().split("/")) {
        folder = folder.resolve(part.replaceAll("[^A-Za-z0-9._#-]", "_"));
      }
      Files.createDirectories(folder);
      Path file = folder.resolve(format.fileName());
      Files.deleteIfExists(file); // a file from an earlier run; the format writes a new one
      format.write(outcome, file);
      context.publishReportEntry(FILE_ENTRY_KEY, file.toAbsolutePath().toString());
    }

    private static Path root(Optional<String> configured) {
      if (configured.isPresent() && !configured.get().isBlank()) {
        return Path.of(configured.get().trim());
      }
      if (Files.exists(Path.of("pom.xml"))) {
        return Path.of("target");
      }
      if (Files.exists(Path.of("build.gradle")) || Files.exists(Path.of("build.gradle.kts"))) {
        return Path.of("build");
      }
      return Path.of(".");
    }
  }
}
