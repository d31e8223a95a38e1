package org.sealpost.relay.info;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import org.sealpost.relay.config.InfoPageSettings;
import org.sealpost.relay.config.RelayConfig;

/**
 * The operator information page at {@code /} on the listener: built once from the configuration and
 * the relay address, then served as the same bytes to everyone. It carries no script, sets no
 * cookie, loads nothing (the Content-Security-Policy allows only its own inline style, by hash),
 * and the relay records nothing about who fetched it.
 *
 * <pre>{@code
 * InfoPage page = InfoPage.build(config, relayAddress, version);
 * server.requestHandler(req -> { if (!page.serve(req)) { req.response().setStatusCode(404).end(); } });
 * }</pre>
 */
public final class InfoPage {
  /** The path the page is served at. */
  public static final String PATH = "/";

  private static final String STYLE =
      "body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"
          + "color:#111;background:#fff}h1{font-size:1.6em;margin-bottom:.2em}"
          + "h2{font-size:1.1em;margin:1.4em 0 .3em}code{word-break:break-all;font-size:.9em}"
          + ".qr{width:220px;height:220px;display:block;margin:.5em 0}"
          + "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dd{margin:0}"
          + "footer{margin-top:2em;color:#555;font-size:.9em}";

  private final Buffer body;
  private final String contentSecurityPolicy;

  private InfoPage(String html) {
    this.body = Buffer.buffer(html.getBytes(StandardCharsets.UTF_8));
    this.contentSecurityPolicy =
        "default-src 'none'; style-src '"
            + styleHash()
            + "'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  /**
   * @param config the relay's settings: the page shows its limits and expiry
   * @param relayAddress the address clients are given, shown as text and as a QR code
   * @param version the relay's version
   */
  public static InfoPage build(RelayConfig config, String relayAddress, String version) {
    return build(config, config.info(), relayAddress, version);
  }

  /**
   * The page with the texts of {@code info} and everything else from {@code config} (a reload
   * changes the texts of a running relay, not its limits).
   */
  public static InfoPage build(
      RelayConfig config, InfoPageSettings info, String relayAddress, String version) {
    String name = info.name().isEmpty() ? config.publicHost() : info.name();
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<meta name=\"referrer\" content=\"no-referrer\">")
        .append("<title>")
        .append(Html.escape(name))
        .append(" · Sealpost relay</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>").append(Html.escape(name)).append("</h1>\n");
    h.append("<p>A Sealpost relay: a mailbox for sealed, fixed-size envelopes. It cannot read")
        .append(" them and does not know who sends them.</p>\n");

    h.append("<h2>Relay address</h2>\n<p><code id=\"address\">")
        .append(Html.escape(relayAddress))
        .append("</code></p>\n")
        .append(QrSvg.of(relayAddress, "QR code of the relay address"))
        .append("\n");

    h.append("<h2>Policy</h2>\n<p id=\"policy\">")
        .append(
            Html.escape(
                info.policy().isEmpty()
                    ? "The operator has not published a policy."
                    : info.policy()))
        .append("</p>\n");
    h.append("<p id=\"access\">")
        .append(
            config.createToken().isPresent()
                ? "Invite-only: creating a mailbox needs a token from the operator."
                : "Open: anyone may create a mailbox here, within the limits below.")
        .append("</p>\n");

    h.append("<h2>Limits</h2>\n<dl id=\"limits\">")
        .append(
            row(
                "Envelope size",
                config.envelopeSize()
                    + " bytes, sealed; every block on the wire is "
                    + config.blockSize()
                    + " bytes"))
        .append(row("Envelopes kept per mailbox", Integer.toString(config.queueQuota())))
        .append(
            row(
                "New mailboxes",
                config.queueCreateBurst()
                    + " at once, then "
                    + trim(config.queueCreateRate())
                    + " per second per connection"))
        .append(
            row(
                "Sending through this relay to another",
                config.forward().enabled() ? "allowed" : "not offered"))
        .append("</dl>\n");

    h.append("<h2>Expiry</h2>\n<dl id=\"expiry\">")
        .append(row("An envelope not taken", "is deleted after " + human(config.queueTtl())))
        .append(row("A mailbox not used", "is deleted after " + human(config.queueIdleExpiry())))
        .append(row("A taken envelope", "is deleted at once"))
        .append("</dl>\n");

    h.append("<h2>Data kept</h2>\n<ul id=\"data\">")
        .append("<li>Sealed envelopes until they are taken or expire; the relay cannot read them.")
        .append("</li><li>For each mailbox: its random identifiers and the keys that authorise")
        .append(" its owner, and coarse (rounded) times for expiry.</li>")
        .append("<li>No accounts, no IP addresses, no connection logs, no per-user statistics;")
        .append(" only aggregate counters.</li><li>This page sets no cookies, runs no scripts")
        .append(" and records nothing about its visitors.</li></ul>\n");

    if (!info.operator().isEmpty() || !info.contact().isEmpty()) {
      h.append("<h2>Operator</h2>\n<dl id=\"operator\">");
      if (!info.operator().isEmpty()) {
        h.append(row("Run by", info.operator()));
      }
      if (!info.contact().isEmpty()) {
        h.append(row("Contact", info.contact()));
      }
      h.append("</dl>\n");
    }

    h.append("<footer id=\"software\">Sealpost relay ").append(Html.escape(version));
    if (!info.source().isEmpty()) {
      h.append(" · source: <code>").append(Html.escape(info.source())).append("</code>");
    }
    h.append("</footer>\n</body></html>\n");
    return new InfoPage(h.toString());
  }

  /**
   * Answers a request for {@link #PATH}: the page to GET and HEAD, 405 to other methods. Returns
   * false, leaving the request alone, for any other path.
   */
  public boolean serve(HttpServerRequest request) {
    if (!PATH.equals(request.path())) {
      return false;
    }
    HttpServerResponse response = request.response();
    response
        .putHeader("Content-Security-Policy", contentSecurityPolicy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin")
        .putHeader("Permissions-Policy", "interest-cohort=(), camera=(), microphone=()")
        .putHeader("Cache-Control", "no-cache")
        // the listener's connections are for WebSockets: a page fetch is one request
        .putHeader("Connection", "close");
    if (request.method() == HttpMethod.GET) {
      response.putHeader("Content-Type", "text/html; charset=utf-8").end(body);
    } else if (request.method() == HttpMethod.HEAD) {
      response
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Length", Integer.toString(body.length()))
          .end();
    } else {
      response.setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
    }
    return true;
  }

  /** The page's bytes. */
  public Buffer body() {
    return body;
  }

  /** The Content-Security-Policy header the page is served with. */
  public String contentSecurityPolicy() {
    return contentSecurityPolicy;
  }

  private static String row(String term, String value) {
    return "<dt>" + Html.escape(term) + "</dt><dd>" + Html.escape(value) + "</dd>";
  }

  private static String trim(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  /** A duration in the largest whole unit that states it exactly. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s > 0 && s % 86_400 == 0) {
      return plural(s / 86_400, "day");
    }
    if (s > 0 && s % 3600 == 0) {
      return plural(s / 3600, "hour");
    }
    if (s > 0 && s % 60 == 0) {
      return plural(s / 60, "minute");
    }
    return plural(Math.max(s, 1), "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String styleHash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(STYLE.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
