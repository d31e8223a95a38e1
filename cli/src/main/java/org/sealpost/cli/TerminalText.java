package org.sealpost.cli;

/**
 * Makes text from anonymous senders safe to print on a terminal. Anyone who holds a mailbox address
 * can write to it, so the content must not drive the recipient's terminal: control characters (C0
 * except newline and tab, DEL, C1), and with them every escape sequence, are shown as visible
 * escapes ({@code \x1b}, {@code \u009b}); so are the Unicode bidirectional controls (which reorder
 * what is shown, "Trojan Source") and the line and paragraph separators. A CR LF pair is a newline.
 * Lines after the first are indented, so a message cannot imitate the header line of the next one.
 */
final class TerminalText {
  /** Indentation of every line of a message after its first. */
  static final String CONTINUATION = "  ";

  private TerminalText() {}

  /** The text with every unsafe character escaped, continuation lines indented. */
  static String sanitise(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\r' && i < text.length() && text.charAt(i) == '\n') {
        continue; // CR LF: the LF makes the newline
      }
      if (cp == '\n') {
        out.append('\n').append(CONTINUATION);
      } else if (cp == '\t') {
        out.append('\t');
      } else if (cp < 0x20 || cp == 0x7f) {
        out.append(String.format("\\x%02x", cp));
      } else if (unsafe(cp)) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** C1 controls, bidirectional formatting characters, line and paragraph separators. */
  private static boolean unsafe(int cp) {
    return (cp >= 0x80 && cp <= 0x9f)
        || cp == 0x061c // ARABIC LETTER MARK
        || cp == 0x200e // LEFT-TO-RIGHT MARK
        || cp == 0x200f // RIGHT-TO-LEFT MARK
        || (cp >= 0x202a && cp <= 0x202e) // embeddings and overrides
        || (cp >= 0x2066 && cp <= 0x2069) // isolates
        || cp == 0x2028
        || cp == 0x2029
        || Character.getType(cp) == Character.SURROGATE;
  }
}
