package org.sealpost.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sealpost.relay.config.ConfigException;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;
import org.sealpost.relay.config.Setting;
import org.sealpost.relay.process.DumpGuard;
import org.sealpost.relay.process.HeapSizing;
import org.sealpost.relay.process.LogGuard;
import org.sealpost.relay.process.NativeWorkdir;
import org.sealpost.relay.process.Signals;
import org.sealpost.relay.tools.AddressTool;
import org.sealpost.relay.tools.BackupTool;
import org.sealpost.relay.tools.CheckTool;
import org.sealpost.relay.tools.KeyTool;
import org.sealpost.relay.transport.ListenerTls;

/**
 * {@code sealpost relay}: loads the configuration, starts the relay, prints its address and ports,
 * and on SIGTERM or SIGINT shuts down gracefully (a second signal exits at once). The {@link
 * RelayApplication} is found with {@link EmbeddedRelay#findApplication()}.
 *
 * <p>SIGHUP reads the configuration again and applies what can change while running (the TLS
 * certificate and key, the information page); a changed setting that applies only at start gets a
 * one-line warning, an invalid configuration is reported and the running one kept.
 *
 * <p>Exit codes: 0 after a graceful shutdown, 1 for an unexpected internal error, 2 for a
 * configuration error, 3 when the relay cannot start, 130 when a second signal cut the shutdown
 * short. {@code --check}, {@code address} and {@code backup} use 0, 2 and 3 the same way.
 */
public final class RelayMain {
  public static final int EXIT_OK = 0;
  public static final int EXIT_INTERNAL = 1;
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_START = 3;
  public static final int EXIT_INTERRUPTED = 130;
  // generous: a first start generates the TLS certificate and opens (or creates) the store
  private static final Duration START_BOUND = Duration.ofMinutes(5);

  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch shutdownRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  RelayMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    RelayMain main = new RelayMain(System.out, System.err);
    int code;
    try {
      code = main.run(Arrays.asList(args), System.getenv(), EmbeddedRelay.findApplication());
    } catch (RuntimeException | Error e) {
      // the type only: a message might carry anything
      System.err.println("internal error: " + e.getClass().getName());
      code = EXIT_INTERNAL;
    }
    System.exit(code);
  }

  /** Runs the relay until a shutdown signal; returns the process exit code. */
  int run(List<String> args, Map<String, String> env, Optional<RelayApplication> application) {
    // issue 12: operator commands that do not start a relay
    if (!args.isEmpty() && args.get(0).equals("address")) {
      return new AddressTool(out, err).run(args.subList(1, args.size()), env);
    }
    if (!args.isEmpty() && args.get(0).equals("backup")) {
      return new BackupTool(out, err).run(args.subList(1, args.size()), env);
    }
    // issue 12: relay-key rotation
    if (!args.isEmpty() && args.get(0).equals("key")) {
      return new KeyTool(out, err, Clock.systemUTC()).run(args.subList(1, args.size()), env);
    }
    if (args.contains("--help") || args.contains("-h")) {
      printHelp();
      return EXIT_OK;
    }
    if (args.contains("--check")) {
      return new CheckTool(out, err)
          .run(args.stream().filter(a -> !a.equals("--check")).toList(), env);
    }
    LogGuard.apply();
    for (String warning : DumpGuard.apply()) {
      err.println("warning: " + warning);
    }
    HeapSizing.apply();
    NativeWorkdir.apply();
    RelayConfig config;
    try {
      config = RelayConfigLoader.load(args, env);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return EXIT_CONFIG;
    }
    if (application.isEmpty()) {
      err.println("cannot start: no " + RelayApplication.class.getName() + " on the class path");
      return EXIT_START;
    }
    FirstUse.preload();
    EmbeddedRelay embedded;
    try {
      embedded =
          EmbeddedRelay.start(
              config,
              application.get(),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              START_BOUND,
              CryptoWarmup.inBackground(config.blockSize()));
    } catch (RelayStartupException | IllegalStateException e) {
      err.println("cannot start: " + e.getMessage());
      return EXIT_START;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_START;
    }
    RunningRelay relay = embedded.running();

    Signals signals =
        new Signals(
            shutdownRequested::countDown,
            () -> Runtime.getRuntime().halt(EXIT_INTERRUPTED),
            () -> reloadInBackground(relay, args, env));
    if (!signals.install()) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(this::requestAndAwaitStop, "sealpost-shutdown"));
    }
    out.println("sealpost relay started");
    out.println("relay address: " + relay.relayAddress());
    RelayAddresses.warning(config).ifPresent(w -> err.println("warning: " + w));
    if (signals.hangupIgnored()) {
      err.println(
          "warning: SIGHUP is ignored in this process (started under nohup, or by a parent that"
              + " ignores it): reloading by signal is off; restart to apply a changed configuration");
    }
    out.println(
        "listening on "
            + config.listenHost()
            + ":"
            + relay.port()
            + (config.tlsEnabled()
                ? " (TLS 1.3, " + ListenerTls.engineName(config.tlsEngine()) + ")"
                : " (plain WebSocket)"));
    out.println("admin on http://" + config.adminHost() + ":" + relay.adminPort());
    out.flush();

    awaitUninterruptibly(shutdownRequested);
    out.println("shutting down");
    out.flush();
    if (!embedded.close(config.shutdownGrace().plusSeconds(10))) {
      err.println("shutdown did not finish cleanly");
    }
    out.println("stopped");
    out.flush();
    stopped.countDown();
    return EXIT_OK;
  }

  // issue 12: SIGHUP reloads
  private final java.util.concurrent.atomic.AtomicBoolean reloading =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Called on the signal thread: the reload runs on a thread of its own, one at a time. */
  private void reloadInBackground(RunningRelay relay, List<String> args, Map<String, String> env) {
    if (!reloading.compareAndSet(false, true)) {
      err.println("SIGHUP: a reload is already running; ignored");
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                reload(relay, args, env);
              } finally {
                reloading.set(false);
              }
            },
            "sealpost-reload");
    t.setDaemon(true);
    t.start();
  }

  private void reload(RunningRelay relay, List<String> args, Map<String, String> env) {
    RelayConfig next;
    try {
      next = RelayConfigLoader.load(args, env);
    } catch (ConfigException e) {
      err.println("SIGHUP: configuration refused, keeping the running one: " + e.getMessage());
      return;
    }
    try {
      for (String line : relay.reload(next).await(60, TimeUnit.SECONDS)) {
        err.println("SIGHUP: " + line);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      err.println("SIGHUP: reload did not finish within 60s");
    }
  }

  private void requestAndAwaitStop() {
    shutdownRequested.countDown();
    try {
      stopped.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void printHelp() {
    out.println("Usage: sealpost relay [--config FILE] [--<setting> VALUE ...]");
    out.println("       sealpost relay address [--config FILE] [--<setting> VALUE ...]");
    out.println("         prints the relay address of the data directory, without starting");
    out.println("       sealpost relay --check [--config FILE] [--<setting> VALUE ...]");
    out.println(
        "         validates settings, data directory, relay key and TLS files; starts nothing");
    out.println("       sealpost relay backup --out DIR [--config FILE] [--<setting> VALUE ...]");
    out.println(
        "         copies a consistent snapshot of the data directory, relay running or not");
    out.println("       sealpost relay key rotate [--transition-days N] [--config FILE] [...]");
    out.println("         creates a successor relay key, announced to clients until they move");
    out.println("       sealpost relay key retire [--early] [--config FILE] [...]");
    out.println("         after the transition: the successor becomes the key, the old is deleted");
    out.println();
    out.println("Settings (config file key / environment variable / flag, default):");
    for (Setting s : Setting.values()) {
      out.println(
          "  "
              + s.key()
              + " / "
              + s.envVar()
              + " / "
              + s.flag()
              + "  (default: "
              + (s.defaultValue().isEmpty() ? "unset" : s.defaultValue())
              + ")");
      out.println("      " + s.description());
    }
    out.println(
        "  The config file (Java properties) is named by --config or "
            + Setting.CONFIG_FILE_ENV
            + ".");
  }
}
