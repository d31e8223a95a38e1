package org.sealpost.lab.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.lab.operator.OperatorRecordingApplication;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;

/**
 * A real relay process ({@code org.sealpost.relay.RelayMain}) on 127.0.0.1, started from the lab's
 * class path so that its {@link OperatorRecordingApplication} is the application ServiceLoader
 * finds first. Fails loudly when the relay refuses a flag (a defence the relay does not have).
 */
public final class RelayProcess {
  private static final String MAIN = "org.sealpost.relay.RelayMain";

  private final Process process;
  private final RelayAddress address;
  private final List<String> output;

  private RelayProcess(Process process, RelayAddress address, List<String> output) {
    this.process = process;
    this.address = address;
    this.output = output;
  }

  /**
   * Starts the relay and waits (up to 60 s) for its address.
   *
   * @param extraFlags the defence's flags
   * @param operatorLog where the operator recorder writes; {@code null}: no recorder, the relay's
   *     own application
   */
  public static RelayProcess start(Path dataDir, Path operatorLog, List<String> extraFlags)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    if (operatorLog != null) {
      cmd.add("-D" + OperatorRecordingApplication.LOG_PROPERTY + "=" + operatorLog);
    }
    cmd.add(MAIN);
    cmd.addAll(
        List.of(
            "--data-dir", dataDir.toString(),
            "--listen-host", "127.0.0.1",
            "--listen-port", "0",
            "--public-host", "127.0.0.1",
            "--admin-port", "0",
            "--event-loops", "1",
            // the population creates its queues at start: lift the relay's creation rates
            "--queue-create-rate-global", "10000",
            "--queue-create-rate", "100",
            "--queue-create-burst", "100",
            // the lab closes its clients before stopping the relay: nothing is in flight
            "--shutdown-grace", "2s"));
    cmd.addAll(extraFlags);
    Files.createDirectories(dataDir);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<RelayAddress> address = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  if (line.startsWith("relay address: ")) {
                    address.complete(RelayAddress.parse(line.substring(15).trim()));
                  }
                }
              } catch (IOException | AddressException e) {
                address.completeExceptionally(e);
              }
              address.completeExceptionally(new IOException("relay output ended"));
            },
            "lab-relay-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new RelayProcess(p, address.get(60, TimeUnit.SECONDS), output);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      p.waitFor(5, TimeUnit.SECONDS);
      p.destroyForcibly();
      String said = String.join("\n  ", output);
      throw new LabException(
          "the relay did not start with flags "
              + extraFlags
              + (said.contains("unknown flag")
                  ? " — this relay does not have that defence (merge the timing defences first)"
                  : "")
              + ":\n  "
              + said,
          e);
    }
  }

  /** The relay's address as it printed it (127.0.0.1, its listener port). */
  public RelayAddress address() {
    return address;
  }

  public long pid() {
    return process.pid();
  }

  /** What the relay printed so far. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** SIGTERM and wait for the graceful shutdown (the operator log is flushed then). */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
