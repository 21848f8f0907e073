package dev.traceunit.junit;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Passes JSON through so that it can sit inside an HTML {@code <script>} element: {@code <},
 * {@code >}, {@code &}, U+2028 and U+2029 become {@code \}{@code u} escapes, so no value can close
 * the script, open a comment or end a JavaScript line. JSON has these characters only inside
 * strings, where the escapes mean the same. Whitespace between tokens is dropped.
 */
final class ScriptSafeWriter extends FilterWriter {

  private boolean inString;
  private boolean escaped;

  ScriptSafeWriter(Writer out) {
    super(out);
  }

  @Override
  public void write(int c) throws IOException {
    String replacement = replacement((char) c);
    if (replacement == null) {
      out.write(c);
    } else {
      out.write(replacement);
    }
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    int run = offset; // characters passed through unchanged are written in runs, not one by one
    for (int i = offset; i < offset + length; i++) {
      String replacement = replacement(chars[i]);
      if (replacement != null) {
        out.write(chars, run, i - run);
        out.write(replacement);
        run = i + 1;
      }
    }
    out.write(chars, run, offset + length - run);
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    int run = offset;
    for (int i = offset; i < offset + length; i++) {
      String replacement = replacement(text.charAt(i));
      if (replacement != null) {
        out.write(text, run, i - run);
        out.write(replacement);
        run = i + 1;
      }
    }
    out.write(text, run, offset + length - run);
  }

  /** What {@code ch} becomes: null if it passes unchanged, "" if it is dropped; follows strings. */
  private String replacement(char ch) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        inString = false;
      }
    } else if (ch == '"') {
      inString = true;
    } else if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
      return "";
    }
    return switch (ch) {
      case '<' -> "\\u003c";
      case '>' -> "\\u003e";
      case '&' -> "\\u0026";
      case '\u2028' -> "\\u2028";
      case '\u2029' -> "\\u2029";
      default -> null;
    };
  }
}
