package org.sealpost.relay.info;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.EmbeddedRelay;

/**
 * The operator information page in Debian's headless Chromium over the relay's real TLS listener:
 * what it shows, that its CSP lets its own style through and nothing else in, and that the QR code
 * in the rendered screenshot decodes (zbarimg) to the relay address. {@code .ci/run} installs
 * chromium and zbar-tools.
 */
class InfoPageIT {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String ZBARIMG = "/usr/bin/zbarimg";
  private static final String POLICY = "Friends & family only. <script>alert(1)</script>";

  @TempDir static Path dir;
  static EmbeddedRelay relay;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    relay =
        EmbeddedRelay.start(
            dir.resolve("data"),
            true,
            Map.of(
                "info.name", "Example Relay",
                "info.operator", "Example Collective",
                "info.contact", "relay@example.org",
                "info.policy", POLICY,
                "info.source", "https://example.org/sealpost",
                "queue.ttl", "14d",
                "queue.quota", "64"));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (relay != null) {
      relay.close();
    }
  }

  private String url(String path) {
    return "https://127.0.0.1:" + relay.port() + path;
  }

  @Test
  void headersForbidScriptsCookiesAndFraming() throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    Fetched page = fetch(client, HttpMethod.GET, "/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.headers().get("Content-Security-Policy"))
        .startsWith("default-src 'none'; style-src 'sha256-")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().contains("Set-Cookie")).isFalse();
    assertThat(page.body()).doesNotContain("<script").contains("&lt;script&gt;");

    assertThat(fetch(client, HttpMethod.POST, "/").status()).isEqualTo(405);
    assertThat(fetch(client, HttpMethod.GET, "/index.html").status()).isEqualTo(404);
  }

  private record Fetched(int status, io.vertx.core.MultiMap headers, String body) {}

  private Fetched fetch(HttpClient client, HttpMethod method, String path) throws Exception {
    return client
        .request(method, relay.port(), "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(
            (HttpClientResponse r) ->
                r.body()
                    .map(
                        b ->
                            new Fetched(
                                r.statusCode(), r.headers(), b.toString(StandardCharsets.UTF_8))))
        .await(20, TimeUnit.SECONDS);
  }

  @Test
  void chromiumShowsThePageAndItsQrCodeDecodesToTheAddress() throws Exception {
    String address = relay.running().relayAddress();
    Path profile = Files.createDirectories(dir.resolve("profile"));

    Result dom = run(chromium(profile, "--dump-dom", url("/")));
    assertThat(dom.exit()).as(dom.err()).isZero();
    String html = dom.out();
    assertThat(html)
        .contains("<h1>Example Relay</h1>")
        .contains(address)
        .contains("Friends &amp; family only. &lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("Invite-only:") // no create-token set: open relay
        .contains("Open: anyone may create a mailbox here")
        .contains("<dd>64</dd>")
        .contains("is deleted after 14 days")
        .contains("is deleted after 90 days")
        .contains("relay@example.org")
        .contains("Example Collective")
        .contains("https://example.org/sealpost")
        .contains("<svg")
        .doesNotContain("<script")
        .doesNotContain(" src=")
        .doesNotContain(" href=");
    // Chromium reports every CSP refusal (a wrong style hash, anything loaded) on its console
    assertThat(dom.err()).doesNotContain("Content Security Policy").doesNotContain("Refused to");

    Path png = dir.resolve("info-page.png");
    Result shot =
        run(
            chromium(
                profile,
                "--screenshot=" + png,
                "--window-size=900,1500",
                "--hide-scrollbars",
                url("/")));
    assertThat(shot.exit()).as(shot.err()).isZero();
    assertThat(Files.size(png)).isGreaterThan(10_000);
    Path kept = Path.of("target", "info-page.png");
    Files.copy(png, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Result qr = run(List.of(ZBARIMG, "--quiet", "--raw", png.toString()));
    assertThat(qr.exit()).as(qr.err()).isZero();
    assertThat(qr.out().strip()).isEqualTo(address);
  }

  private List<String> chromium(Path profile, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(CHROMIUM);
    cmd.add("--headless");
    cmd.add("--no-sandbox"); // CI runs as root
    cmd.add("--disable-gpu");
    cmd.add("--no-first-run");
    cmd.add("--user-data-dir=" + profile);
    cmd.add("--ignore-certificate-errors"); // the relay's generated self-signed certificate
    // only the relay is reachable: any other host the page named would fail to resolve
    cmd.add("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    cmd.add("--enable-logging=stderr");
    cmd.add("--v=0");
    cmd.addAll(List.of(args));
    return cmd;
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    assertThat(Path.of(cmd.get(0)))
        .as("%s is missing: .ci/run installs chromium and zbar-tools", cmd.get(0))
        .isExecutable();
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
