package dev.traceunit.junit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: what traceunit writes goes to a hidden sibling first and is
 * moved into place when complete, and when a write fails (a full disk) the sibling is deleted and
 * its handle closed, even though a writer whose flush fails leaves its stream open.
 */
final class SafeFiles {

  private SafeFiles() {}

  /** What writes the content. */
  @FunctionalInterface
  interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /**
   * Writes {@code file} in UTF-8; a lone surrogate is written as {@code ?} if {@code
   * replaceMalformed}, else it fails the write. The file appears only once it is complete; with
   * the permissions of any file the build creates.
   */
  static void write(Path file, boolean replaceMalformed, Content content) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
        .nextLong()) + ".part");
    OutputStream raw = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean written = false;
    try {
      Writer out = new BufferedWriter(new OutputStreamWriter(raw, encoder(replaceMalformed)));
      try {
        content.writeTo(out);
        out.flush();
      } finally {
        closeBoth(out, raw);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      written = true;
    } finally {
      if (!written) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** A UTF-8 writer over {@code raw}, as {@link #write} uses. */
  static Writer writer(OutputStream raw, boolean replaceMalformed) {
    return new BufferedWriter(new OutputStreamWriter(raw, encoder(replaceMalformed)));
  }

  private static CharsetEncoder encoder(boolean replaceMalformed) {
    CodingErrorAction action = replaceMalformed ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
    return StandardCharsets.UTF_8.newEncoder().onMalformedInput(action).onUnmappableCharacter(action);
  }

  /**
   * Closes the writer and then the stream under it: a writer whose last flush fails throws without
   * closing its stream, which would keep the file open until a garbage collection.
   */
  static void closeBoth(Writer out, OutputStream raw) throws IOException {
    try {
      out.close();
    } finally {
      raw.close();
    }
  }
}
