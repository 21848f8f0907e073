package dev.traceunit.junit;

import dev.traceunit.core.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A file the extension can publish with a dump, named in {@code traceunit.dump.formats}. A new
 * format is one more constant here.
 */
enum DumpFormat {
  TEXT("trace.txt", "text/plain; charset=UTF-8") {
    @Override
    void write(TestOutcome outcome, Path file) throws IOException {
      // Replacing: a lone surrogate in a value must not fail the dump.
      SafeFiles.write(file, true, out -> out.write(outcome.tree()));
    }
  },
  JSON("trace.json", "application/json") {
    @Override
    void write(TestOutcome outcome, Path file) throws IOException {
      SafeFiles.write(file, false, out -> TraceJson.write(outcome.trace(), outcome.testId(), out));
    }
  },
  OTLP("trace.otlp.json", "application/json") {
    @Override
    void write(TestOutcome outcome, Path file) throws IOException {
      // Replacing a lone surrogate instead of failing the dump.
      SafeFiles.write(file, true, out -> OtlpJson.write(outcome.trace(), outcome.testId(), out));
    }
  };

  private final String fileName;
  /** As text: {@code MediaType} is new in JUnit 5.12 and moved in 5.14 ({@link DumpFiles} makes one). */
  private final String mediaType;

  DumpFormat(String fileName, String mediaType) {
    this.fileName = fileName;
    this.mediaType = mediaType;
  }

  /** The name users write in {@code traceunit.dump.formats}. */
  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  String fileName() {
    return fileName;
  }

  String mediaType() {
    return mediaType;
  }

  /**
   * Writes the dump of {@code outcome} into {@code file}, which does not exist yet; when writing
   * fails, no file is left and no handle open.
   */
  abstract void write(TestOutcome outcome, Path file) throws IOException;

  static DumpFormat named(String name) {
    for (DumpFormat format : values()) {
      if (format.configName().equals(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown format '" + name + "'");
  }

  static String allowedNames() {
    return Arrays.stream(values()).map(DumpFormat::configName).collect(Collectors.joining(", "));
  }

  /** What a dump shows: the finished trace, its rendering and the test it belongs to. */
  record TestOutcome(Trace trace, String tree, String testId) {}
}
