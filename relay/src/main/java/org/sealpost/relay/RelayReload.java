package org.sealpost.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.Setting;
import org.sealpost.relay.crypto.TlsCertificates;
import org.sealpost.relay.info.InfoPage;
import org.sealpost.relay.metrics.OperatorMetrics;
import org.sealpost.relay.transport.RelayVerticle;

/**
 * What SIGHUP changes in a running relay (issue 12): the TLS certificate and key (re-read from
 * their files, which may have new paths) and the information page's texts ({@code info.*}). Every
 * other setting is read only at start; a reload that finds one changed names it and leaves it.
 */
final class RelayReload {
  /** RelayConfig components a reload applies. */
  private static final Set<String> RELOADABLE = Set.of("tlsCert", "tlsKey", "info");

  private final Vertx vertx;
  private final RelayConfig started;
  private final String relayAddress;
  private final RelayVerticle.TlsFiles startTls;
  private final List<RelayVerticle> listeners;
  private final AtomicReference<InfoPage> infoPage;

  RelayReload(
      Vertx vertx,
      RelayConfig started,
      String relayAddress,
      RelayVerticle.TlsFiles startTls,
      List<RelayVerticle> listeners,
      AtomicReference<InfoPage> infoPage) {
    this.vertx = vertx;
    this.started = started;
    this.relayAddress = relayAddress;
    this.startTls = startTls;
    this.listeners = List.copyOf(listeners);
    this.infoPage = infoPage;
  }

  /** One line per change applied, and one warning line for the changes that need a restart. */
  Future<List<String>> apply(RelayConfig next) {
    List<String> lines = new ArrayList<>();
    List<String> restart = changedUnreloadable(next);
    if (!restart.isEmpty()) {
      lines.add(
          "warning: not applied until a restart (read only at start): "
              + String.join(", ", restart));
    }
    infoPage.set(
        next.info().enabled()
            ? InfoPage.build(started, next.info(), relayAddress, OperatorMetrics.version())
            : null);
    lines.add("reloaded: information page (" + (next.info().enabled() ? "on" : "off") + ")");
    if (!started.tlsEnabled() || !next.tlsEnabled()) {
      return Future.succeededFuture(lines);
    }
    RelayVerticle.TlsFiles files =
        next.tlsCert().isPresent() && next.tlsKey().isPresent()
            ? new RelayVerticle.TlsFiles(next.tlsCert().get(), next.tlsKey().get())
            : startTls; // the generated self-signed pair in the data directory
    return vertx
        .executeBlocking(
            () -> {
              TlsCertificates.validate(files.cert(), files.key());
              return files;
            })
        .compose(
            valid -> {
              List<Future<Boolean>> updates = new ArrayList<>();
              for (RelayVerticle v : listeners) {
                updates.add(v.reloadCertificate(valid));
              }
              return Future.all(updates);
            })
        .map(
            all -> {
              lines.add("reloaded: TLS certificate " + files.cert());
              return lines;
            })
        .recover(
            e -> {
              lines.add(
                  "warning: TLS certificate not reloaded, still serving the previous one: "
                      + e.getMessage());
              return Future.succeededFuture(lines);
            });
  }

  /** The settings (by config key where one matches) that differ but only apply at start. */
  private List<String> changedUnreloadable(RelayConfig next) {
    List<String> changed = new ArrayList<>();
    for (RecordComponent c : RelayConfig.class.getRecordComponents()) {
      if (RELOADABLE.contains(c.getName())) {
        continue;
      }
      try {
        Object before = c.getAccessor().invoke(started);
        Object after = c.getAccessor().invoke(next);
        if (!Objects.equals(before, after)) {
          changed.add(keyOf(c.getName()));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read RelayConfig." + c.getName(), e);
      }
    }
    return changed;
  }

  /**
   * The config key of a RelayConfig component: the setting whose key, without punctuation, ends
   * with the component's name ({@code handshakeDeadline} is {@code connection.handshake-deadline});
   * the groups of nested settings by their prefix.
   */
  static String keyOf(String component) {
    switch (component) {
      case "forward" -> {
        return "forward.*";
      }
      case "timing" -> {
        return "delivery.* / session.constant-rate";
      }
      case "info" -> {
        return "info.*";
      }
      case "cluster" -> {
        return "cluster.*";
      }
      case "bufferBudgetBytes" -> {
        return Setting.BUFFER_BUDGET.key();
      }
      case "publicTransport" -> {
        return Setting.PUBLIC_SCHEME.key();
      }
      case "initialiseDataDir" -> {
        return Setting.DATA_DIR_INITIALISE.key();
      }
      default -> {
        String wanted = component.toLowerCase(Locale.ROOT);
        for (Setting s : Setting.values()) {
          String flat = s.key().replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT);
          if (flat.endsWith(wanted)) {
            return s.key();
          }
        }
        return component;
      }
    }
  }
}
