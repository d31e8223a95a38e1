package org.sealpost.cli.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.RelayMain;

/**
 * {@code java -cp <the test class path> org.sealpost.relay.RelayMain} (what {@code sealpost relay}
 * runs) as a real child JVM on 127.0.0.1 (TLS, one event loop), with every line it writes to stdout
 * and stderr kept for inspection. {@link #kill()} is SIGKILL; {@link #close()} kills it too if it
 * is still running.
 */
public final class RelayProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final Thread drain;
  private final RelayAddress address;
  private final int adminPort;

  private RelayProcess(List<String> command) throws Exception {
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<RelayAddress> addr = new CompletableFuture<>();
    CompletableFuture<Integer> admin = new CompletableFuture<>();
    drain = drain(process.getInputStream(), addr, admin);
    try {
      address = addr.get(60, TimeUnit.SECONDS);
      adminPort = admin.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the relay did not start; its output: " + output(), e);
    }
  }

  /**
   * Starts a relay on {@code dataDir}, listening on 127.0.0.1:{@code port} (0 = any free port).
   *
   * @param jvmFlags flags for the child JVM (system properties, logging configuration)
   * @param args further relay flags ({@code --queue-quota 1000})
   */
  public static RelayProcess start(Path dataDir, int port, List<String> jvmFlags, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayMain.class.getName()));
    cmd.addAll(
        List.of(
            "--data-dir",
            dataDir.toString(),
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            Integer.toString(port),
            "--admin-port",
            "0",
            "--public-host",
            "127.0.0.1",
            "--event-loops",
            "1"));
    cmd.addAll(List.of(args));
    return new RelayProcess(cmd);
  }

  /** A port that was free a moment ago, so that a restarted relay keeps its address. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Thread drain(
      InputStream in, CompletableFuture<RelayAddress> addr, CompletableFuture<Integer> admin) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  output.add(line);
                  if (line.startsWith("relay address: ")) {
                    addr.complete(
                        RelayAddress.parse(line.substring("relay address: ".length()).strip()));
                  } else if (line.startsWith("admin on http://")) {
                    admin.complete(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
                  }
                }
              } catch (Exception e) {
                addr.completeExceptionally(e);
              }
              addr.completeExceptionally(new IllegalStateException("the relay exited"));
              admin.completeExceptionally(new IllegalStateException("the relay exited"));
            },
            "relay-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  public RelayAddress address() {
    return address;
  }

  public int adminPort() {
    return adminPort;
  }

  /** Every line the relay wrote to stdout and stderr so far. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and waits (bounded) until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the relay did not die on SIGKILL");
    }
  }

  /**
   * SIGTERM (graceful shutdown), bounded; SIGKILL if it does not stop. Then waits (bounded) until
   * {@link #output()} holds everything the relay wrote while shutting down: the signal goes through
   * the process handle because {@link Process#destroy()} also closes this side of the output pipe.
   */
  public void stop() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
    drain.join(TimeUnit.SECONDS.toMillis(10));
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
