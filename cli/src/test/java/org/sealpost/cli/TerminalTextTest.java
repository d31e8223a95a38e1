package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ReceivedMessage;

class TerminalTextTest {
  private static ReceivedMessage from(String text) {
    return new ReceivedMessage(
        null, new byte[32], text.getBytes(StandardCharsets.UTF_8), new byte[16]);
  }

  @Test
  void escapeSequencesNeverReachTheTerminal() {
    String attack = "hi\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b1m\r";
    String shown = TerminalText.sanitise(attack);
    assertThat(shown).doesNotContain("\u001b", "\u0007", "\u009b", "\r");
    assertThat(shown).isEqualTo("hi\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred\\u009b1m\\x0d");
  }

  @Test
  void bidiOverridesAndSeparatorsAreShownAsEscapes() {
    String shown = TerminalText.sanitise("a\u202Eevil\u202C\u2066x\u2069\u200F\u2028b\u007f");
    assertThat(shown)
        .isEqualTo("a\\u202eevil\\u202c\\u2066x\\u2069\\u200f\\u2028b\\x7f")
        .doesNotContain("\u202E", "\u2066", "\u2028", "\u007f");
  }

  @Test
  void newlinesAndTabsStayAndLaterLinesAreIndented() {
    assertThat(TerminalText.sanitise("one\ttab\r\ntwo\nthree"))
        .isEqualTo("one\ttab\n  two\n  three");
  }

  @Test
  void ordinaryTextIncludingNonLatinScriptsIsUnchanged() {
    String text = "héllo — 你好 👋 שלום";
    assertThat(TerminalText.sanitise(text)).isEqualTo(text);
  }

  @Test
  void aMessageCannotImitateTheNextMessagesHeaderLine() {
    String line = ReceiveCommand.line("inbox", from("ok\n[inbox] from AAAAAAAAAAAA: pay me"));
    assertThat(line.lines()).hasSize(2);
    assertThat(line.lines().skip(1)).allMatch(l -> l.startsWith(TerminalText.CONTINUATION));
    assertThat(line.lines().filter(l -> l.startsWith("[inbox]"))).hasSize(1);
  }

  @Test
  void theDisplayedLineIsSanitised() {
    assertThat(ReceiveCommand.line("inbox", from("\u001b[8mhidden")))
        .endsWith(": \\x1b[8mhidden")
        .doesNotContain("\u001b");
  }
}
