package dev.traceunit.core.internal;

/**
 * How traceunit writes user text (names, kinds, keys, values, messages) into its own text: one home
 * for the escape, shared by the tree and the assertion messages. Not API: may change.
 */
public final class Text {

  private Text() {}

  /**
   * Control characters (C0, DEL, C1) and the line and paragraph separators shown escaped, so one
   * span is always one line whatever reads the text.
   */
  public static String oneLine(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029') {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        switch (c) {
          case '\n': out.append("\\n"); break;
          case '\r': out.append("\\r"); break;
          case '\t': out.append("\\t"); break;
          default: out.append(String.format("\\u%04x", (int) c));
        }
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
