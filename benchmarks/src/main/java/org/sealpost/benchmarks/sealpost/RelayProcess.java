package org.sealpost.benchmarks.sealpost;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sealpost.proto.address.RelayAddress;

/**
 * A relay as its own process: {@code java -jar cli/target/sealpost.jar relay} on 127.0.0.1 with TLS
 * 1.3 (the relay's default), free ports, its data in a directory of its own, the JVM flags of the
 * comparison's start script ({@code benchmarks/peers/sealpost/start}) without NMT, and CreateQueue
 * limits lifted for the set-up. Ready once the admin server answers {@code /ready}.
 */
public final class RelayProcess implements AutoCloseable {
  private final Process process;
  private final RelayAddress address;
  private final Path log;

  private RelayProcess(Process process, RelayAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /**
   * Starts a relay from {@code jar} with its data and log under {@code dir}, plus {@code settings}
   * ({@code --name value} pairs), and waits until it is ready.
   */
  public static RelayProcess start(Path jar, Path dir, List<String> settings) throws Exception {
    Files.createDirectories(dir);
    int admin = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:-HeapDumpOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError", "-Xmx1g"));
    cmd.addAll(List.of("-jar", jar.toString(), "relay"));
    cmd.addAll(
        List.of(
            "--data-dir", dir.resolve("data").toString(),
            "--listen-host", "127.0.0.1",
            "--listen-port", Integer.toString(freePort()),
            "--public-host", "127.0.0.1",
            "--admin-port", Integer.toString(admin),
            "--queue-create-burst", "1000000",
            "--queue-create-rate", "1000000",
            "--queue-create-rate-global", "1000000"));
    cmd.addAll(settings);
    Path log = dir.resolve("relay.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitReady(admin, p, log, 120);
      String line =
          Files.readAllLines(log).stream()
              .filter(l -> l.startsWith("relay address: "))
              .reduce((a, b) -> b)
              .orElseThrow(() -> new IllegalStateException("no relay address in " + log));
      return new RelayProcess(
          p, RelayAddress.parse(line.substring("relay address: ".length())), log);
    } catch (Exception | Error e) {
      stop(p);
      throw e;
    }
  }

  public RelayAddress address() {
    return address;
  }

  public int pid() {
    return (int) process.pid();
  }

  public Path log() {
    return log;
  }

  /** SIGTERM (graceful), then SIGKILL after 20 s. */
  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /**
   * Waits up to {@code seconds} until the relay's admin server on {@code adminPort} answers {@code
   * /ready}; fails with the relay's output if it exits or is not ready in time.
   */
  public static void awaitReady(int adminPort, Process p, Path log, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("relay exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + adminPort + "/ready").toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("relay not ready: " + Files.readString(log));
  }
}
