package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The report's UTF-8 writer gives the bytes the JDK's encoder gives, at any buffer boundary. */
class Utf8WriterTest {

  private static final char[] ALPHABET = {'a', 'Z', '0', '"', '\n', '\u00b7', '\u00e9', '\u203a', '\u4e2d', '\uffff',
      '\ud83d', '\ude00', '\ud800', '\udc00'};

  @Test
  void writesWhatTheJdkEncoderWritesForMixedTextAndLoneSurrogates() throws IOException {
    SplittableRandom random = new SplittableRandom(20);
    for (int round = 0; round < 20; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(1, 200_000);
      for (int i = 0; i < length; i++) {
        text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      assertThat(written(text.toString(), random)).isEqualTo(jdk(text.toString()));
    }
  }

  @Test
  void keepsASurrogatePairWholeAcrossAFullBuffer() throws IOException {
    String pair = "\ud83d\ude00";
    String text = "x".repeat((1 << 15) - 1) + pair + "·end";
    assertThat(written(text, null)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writesAHighSurrogateAloneAtTheEndAsAQuestionMark() throws IOException {
    assertThat(written("abc\ud83d", null)).isEqualTo(jdk("abc\ud83d")).isEqualTo("abc?".getBytes(StandardCharsets.UTF_8));
  }

  /** Written in pieces of random sizes (strings, arrays and single characters) if {@code random} is given. */
  private static byte[] written(String text, SplittableRandom random) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer out = new TraceReportRun.Utf8Writer(bytes)) {
      int at = 0;
      while (at < text.length()) {
        int n = random == null ? text.length() : Math.min(text.length() - at, random.nextInt(1, 70_000));
        switch (random == null ? 0 : random.nextInt(3)) {
          case 0:
            out.write(text, at, n);
            break;
          case 1:
            out.write(text.substring(at, at + n).toCharArray(), 0, n);
            break;
          default:
            out.write(text.charAt(at));
            n = 1;
        }
        at += n;
        if (random != null && random.nextInt(10) == 0) {
          out.flush();
        }
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] jdk(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
      out.write(text);
    }
    return bytes.toByteArray();
  }
}
