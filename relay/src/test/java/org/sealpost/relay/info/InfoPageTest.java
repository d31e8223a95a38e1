package org.sealpost.relay.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.ConfigException;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

class InfoPageTest {
  private static final String ADDRESS =
      "sealpost://fONnoIiK-Zt4oaTqDuCowHqcM9nlBKtQw8OQLYrLMCw@relay.example.org:443";

  private static String page(Map<String, String> settings) {
    RelayConfig config = RelayConfigLoader.fromSettings(settings);
    return InfoPage.build(config, ADDRESS, "1.2.3").body().toString(StandardCharsets.UTF_8);
  }

  @Test
  void operatorTextIsEscapedAndNeverMarkup() {
    String html =
        page(
            Map.of(
                "info.name", "<b>Relay</b>",
                "info.policy", "a \"quoted\" <img src=x onerror=alert(1)> & more",
                "info.contact", "'ops'@example.org"));
    assertThat(html)
        .contains("<h1>&lt;b&gt;Relay&lt;/b&gt;</h1>")
        .contains("a &quot;quoted&quot; &lt;img src=x onerror=alert(1)&gt; &amp; more")
        .contains("&#39;ops&#39;@example.org")
        .doesNotContain("<img")
        .doesNotContain("<b>");
  }

  @Test
  void theStyleHashInThePolicyMatchesTheInlineStyle() throws Exception {
    RelayConfig config = RelayConfig.defaults();
    InfoPage page = InfoPage.build(config, ADDRESS, "1.2.3");
    String html = page.body().toString(StandardCharsets.UTF_8);
    String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(style.getBytes(StandardCharsets.UTF_8)));
    assertThat(page.contentSecurityPolicy())
        .contains("style-src 'sha256-" + hash + "'")
        .startsWith("default-src 'none';");
  }

  @Test
  void showsTheSettingsItDerivesFromTheConfig() {
    String open = page(Map.of("queue.ttl", "36h", "queue.idle-expiry", "30d"));
    assertThat(open)
        .contains("is deleted after 36 hours")
        .contains("is deleted after 30 days")
        .contains("Open: anyone may create")
        .contains("The operator has not published a policy.")
        .contains("<h1>localhost</h1>") // public-host when info.name is empty
        .contains(ADDRESS)
        .contains("Sealpost relay 1.2.3")
        .doesNotContain("id=\"operator\"");
    String invite = page(Map.of("create-token", "0123456789abcdefXYZ", "forward.enabled", "false"));
    assertThat(invite)
        .contains("Invite-only")
        .contains("<dd>not offered</dd>")
        .doesNotContain("0123456789abcdefXYZ");
  }

  @Test
  void configRefusesControlCharactersAndOverlongText() {
    assertThatThrownBy(() -> RelayConfigLoader.fromSettings(Map.of("info.policy", "a\u001b[2Jb")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("info.policy");
    assertThatThrownBy(() -> RelayConfigLoader.fromSettings(Map.of("info.name", "x".repeat(2001))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("info.name");
  }
}
