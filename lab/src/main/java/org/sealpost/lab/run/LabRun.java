package org.sealpost.lab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.sealpost.client.SealpostClient;
import org.sealpost.lab.defence.Defence;
import org.sealpost.lab.model.Population;
import org.sealpost.lab.model.WorkloadParams;
import org.sealpost.lab.trace.LabTrace;
import org.sealpost.lab.trace.Message;
import org.sealpost.lab.trace.ObserverTrace;
import org.sealpost.lab.trace.OperatorTrace;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;

/**
 * One measurement: a fresh relay process with one defence, the seeded population played against it
 * through the observer proxy, then the relay stopped and both views and the ground truth collected.
 * The raw files stay in {@code rawDir} (operator.tsv; the lab writes the others).
 */
public final class LabRun {
  /** TLS record and WebSocket framing around each block of B bytes on the wire. */
  static final int WIRE_OVERHEAD = 25;

  private LabRun() {}

  /** The result of one run, plus how many sends failed (0 in a healthy run). */
  public record Outcome(LabTrace trace, long failedSends) {}

  public static Outcome run(
      Defence defence, WorkloadParams params, Path rawDir, LongConsumer progress)
      throws IOException, InterruptedException {
    try (ClientPool clients = new ClientPool()) {
      return run(defence, params, rawDir, true, clients, progress);
    }
  }

  /**
   * @param operatorView whether the relay runs with the operator recorder; without it, the relay
   *     runs its own application and the result has no operator view
   * @param clients where the run gets its client library instance (shared across runs)
   */
  public static Outcome run(
      Defence defence,
      WorkloadParams params,
      Path rawDir,
      boolean operatorView,
      ClientPool clients,
      LongConsumer progress)
      throws IOException, InterruptedException {
    Files.createDirectories(rawDir);
    Path dataDir = Files.createTempDirectory("sealpost-lab-relay");
    Path operatorLog = rawDir.resolve("operator.tsv");
    Population population = Population.generate(params);
    int n = population.users();
    RelayProcess relay = null;
    try {
      long t0 = System.nanoTime();
      relay = RelayProcess.start(dataDir, operatorView ? operatorLog : null, defence.relayFlags());
      long t1 = System.nanoTime();
      long t2;
      long t3;
      ObserverTrace observer;
      List<Message> truth;
      String[] recipientIds;
      long failed;
      try (ObserverProxy proxy =
          new ObserverProxy(
              new InetSocketAddress(relay.address().host(), relay.address().port()), n)) {
        RelayAddress[] addresses = new RelayAddress[n];
        for (int u = 0; u < n; u++) {
          addresses[u] = viaProxy(relay.address(), proxy.port(u));
        }
        {
          SealpostClient client = clients.forDefence(defence);
          PopulationDriver driver = new PopulationDriver(client, population, addresses);
          driver.setUp();
          t2 = System.nanoTime();
          recipientIds = driver.recipientIds();
          long drain = Math.max(3_000_000L, 5 * defence.adversaryScale().toNanos() / 1_000);
          truth = driver.run(drain, progress);
          t3 = System.nanoTime();
          failed = driver.failures();
          if (driver.firstFailure() != null) {
            System.err.println("first failed send: " + driver.firstFailure());
          }
          driver.close();
        }
        observer = proxy.trace(n, relay.address().blockSize() + WIRE_OVERHEAD);
      }
      relay.stop();
      OperatorTrace operator =
          operatorView ? OperatorLogReader.read(operatorLog, recipientIds) : null;
      System.err.printf(
          "%s seed %d: relay start %.1f s, set-up %.1f s, run + drain %.1f s, stop %.1f s%n",
          defence.name(),
          params.seed(),
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (t3 - t2) / 1e9,
          (System.nanoTime() - t3) / 1e9);
      LabTrace trace = new LabTrace(n, observer, operator, truth);
      TraceFiles.write(trace, rawDir);
      return new Outcome(trace, failed);
    } finally {
      if (relay != null) {
        relay.stop();
      }
      deleteTree(dataDir);
    }
  }

  private static RelayAddress viaProxy(RelayAddress relay, int port) {
    try {
      return RelayAddress.of(
          relay.transport(), relay.relayKey(), "127.0.0.1", port, relay.blockSize());
    } catch (AddressException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unused-duration guard for callers building params from minutes. */
  public static Duration seconds(double s) {
    return Duration.ofMillis((long) (s * 1000));
  }
}
