package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails (a full disk) leaves no file, no temporary file and no open handle. */
class SafeFilesTest {

  @TempDir
  Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.toList();
    }
  }

  /** Handles this JVM holds on files in {@link #dir}, where the system tells (Linux: /proc/self/fd). */
  private long openHandles() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return 0;
    }
    long open = 0;
    try (Stream<Path> listed = Files.list(fds)) {
      for (Path fd : listed.toList()) {
        try {
          open += Files.readSymbolicLink(fd).startsWith(dir.toRealPath()) ? 1 : 0;
        } catch (IOException gone) {
          // closed while listed
        }
      }
    }
    return open;
  }

  @Test
  void aWriteThatFailsLeavesNoFileAndNoHandle() throws IOException {
    Path file = dir.resolve("trace.json");
    assertThatThrownBy(() -> SafeFiles.write(file, false, out -> {
      out.write("x".repeat(100_000)); // past the writer's buffer: part of it is on disk
      throw new IOException("No space left on device");
    })).isInstanceOf(IOException.class).hasMessage("No space left on device");

    assertThat(files()).isEmpty();
    assertThat(openHandles()).isZero();
  }

  @Test
  void aMalformedTextFailsTheStrictWriteAndIsReplacedByTheLenientOne() throws IOException {
    Path strict = dir.resolve("strict.json");
    assertThatThrownBy(() -> SafeFiles.write(strict, false, out -> out.write("lone \ud800 surrogate")))
        .isInstanceOf(IOException.class);
    assertThat(files()).isEmpty();
    assertThat(openHandles()).isZero();

    Path lenient = dir.resolve("lenient.txt");
    SafeFiles.write(lenient, true, out -> out.write("lone \ud800 surrogate"));
    assertThat(Files.readString(lenient, StandardCharsets.UTF_8)).isEqualTo("lone ? surrogate");
    assertThat(files()).containsExactly(lenient);
  }

  @Test
  void aCompleteWriteAppearsWhole() throws IOException {
    Path file = dir.resolve("trace.txt");
    SafeFiles.write(file, true, out -> out.write("trace t-1 · 1 span\n"));
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("trace t-1 · 1 span\n");
    assertThat(files()).containsExactly(file);
    assertThat(openHandles()).isZero();
  }
}
