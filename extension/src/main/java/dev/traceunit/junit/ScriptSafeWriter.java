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
    char ch = (char) c;
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
      return;
    }
    switch (ch) {
      case '<' -> out.write("\\u003c");
      case '>' -> out.write("\\u003e");
      case '&' -> out.write("\\u0026");
      case '\u2028' -> out.write("\\u2028");
      case '\u2029' -> out.write("\\u2029");
      default -> out.write(ch);
    }
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      write(chars[i]);
    }
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      write(text.charAt(i));
    }
  }
}
