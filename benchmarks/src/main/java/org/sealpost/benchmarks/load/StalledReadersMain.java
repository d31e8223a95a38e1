package org.sealpost.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;

/**
 * Stalled readers against a running relay (issues 16.1 and 17.1): N connections complete the Noise
 * handshake, then send a Ping every interval and never read a byte. Prints, every few seconds, the
 * relay's RSS (with {@code --relay-pid}) and its buffer metrics from the admin port, so that one
 * can see the process stay within {@code connection.buffer-budget} and the stalled connections cut
 * ({@code buffer_budget}, {@code write_stalled}). A benchmark entry point, not a test: it runs
 * until {@code --seconds} have passed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.sealpost.benchmarks.load.StalledReadersMain \
 *   ADDRESS CONNECTIONS SECONDS ADMIN_PORT PINGS_PER_SECOND [RELAY_PID]
 * </pre>
 *
 * <p>Beside them, one probe client that reads sends a Ping every second and times its Pong ({@code
 * probe_pongs}, {@code probe_lost} = unanswered after 5 s, the worst round trip since the previous
 * line): the relay must keep serving it while it sheds the stalled ones.
 *
 * <p>Each connection's pings are paced by one timer; a connection whose own write queue is full
 * (the relay stopped reading it) skips its ping rather than buffering it here.
 */
public final class StalledReadersMain {
  private static final Pattern METRIC =
      Pattern.compile(
          "^(sealpost_connections_(?:buffered_bytes|buffered_peak_bytes|buffer_budget_bytes|open)"
              + "|sealpost_connections_closed_total\\{reason=\"(?:buffer_budget|write_stalled"
              + "|slow_reader|idle_timeout)\"\\}) (\\S+)$",
          Pattern.MULTILINE);

  private final Vertx vertx = Vertx.vertx();
  private final RelayAddress address;
  private final WebSocketClient client;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger handshaken = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger pingsSkipped = new AtomicInteger();
  // the probe: one well-behaved client that reads, to show the relay still serves others
  private final AtomicInteger probePongs = new AtomicInteger();
  private final AtomicInteger probeLost = new AtomicInteger();
  private static final long PROBE_LOST_AFTER_MILLIS = 5000;
  private final java.util.concurrent.atomic.AtomicLong probeWorstMicros =
      new java.util.concurrent.atomic.AtomicLong();
  private final Semaphore connecting = new Semaphore(64);

  private final long pingIntervalMillis;

  private StalledReadersMain(RelayAddress address, long pingIntervalMillis) {
    this.address = address;
    this.pingIntervalMillis = pingIntervalMillis;
    WebSocketClientOptions options =
        new WebSocketClientOptions()
            .setMaxFrameSize(65536)
            .setMaxConnections(1_000_000)
            // a small receive buffer: the kernel holds little of what the relay sends
            .setReceiveBufferSize(4096);
    if (address.transport() == Transport.TLS) {
      options
          .setSsl(true)
          .setTrustAll(true)
          .setVerifyHost(false)
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
    }
    this.client = vertx.createWebSocketClient(options);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: StalledReadersMain ADDRESS CONNECTIONS SECONDS ADMIN_PORT PINGS_PER_SECOND"
              + " [RELAY_PID]");
      System.exit(2);
    }
    RelayAddress address = RelayAddress.parse(args[0]);
    int connections = Integer.parseInt(args[1]);
    Duration run = Duration.ofSeconds(Long.parseLong(args[2]));
    int adminPort = Integer.parseInt(args[3]);
    int pingsPerSecond = Integer.parseInt(args[4]);
    long pid = args.length > 5 ? Long.parseLong(args[5]) : -1;
    StalledReadersMain main = new StalledReadersMain(address, Math.max(1, 1000 / pingsPerSecond));
    try {
      main.run(connections, run, adminPort, pid);
    } finally {
      main.vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private void run(int connections, Duration run, int adminPort, long pid) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    report("start", http, adminPort, pid);
    // reports come from their own thread: opening connections blocks whenever 64 handshakes are
    // in flight, which on a loaded machine is most of the run
    java.util.concurrent.ScheduledExecutorService reporter =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "report");
              t.setDaemon(true);
              return t;
            });
    reporter.scheduleAtFixedRate(() -> report("t", http, adminPort, pid), 5, 5, TimeUnit.SECONDS);
    connecting.acquire();
    openProbe();
    long end = System.nanoTime() + run.toNanos();
    for (int i = 0; i < connections && System.nanoTime() < end; i++) {
      if (connecting.tryAcquire(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        open();
      }
    }
    long left = end - System.nanoTime();
    if (left > 0) {
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
    }
    reporter.shutdownNow();
    report("end", http, adminPort, pid);
  }

  private void open() {
    connect(this::stall);
  }

  /**
   * A client that reads: a Ping every second, each with its own corr_id, timed to the Pong that
   * carries it back. A Ping unanswered after {@link #PROBE_LOST_AFTER_MILLIS} counts as lost; a
   * closed probe counts every further second as lost.
   */
  private void openProbe() {
    connect(
        (ws, transport) -> {
          BlockCodec codec = BlockCodec.transport(address.blockSize());
          java.util.Map<Integer, Long> outstanding = new java.util.concurrent.ConcurrentHashMap<>();
          AtomicInteger corr = new AtomicInteger();
          ws.closeHandler(
              v -> {
                closed.incrementAndGet();
                System.out.println(
                    java.time.LocalTime.now()
                        + " probe closed: code "
                        + ws.closeStatusCode()
                        + " "
                        + ws.closeReason()
                        + " after "
                        + corr.get()
                        + " pings");
              });
          ws.binaryMessageHandler(
              block -> {
                try {
                  for (Frame f : codec.decode(transport.decrypt(block.getBytes()))) {
                    Long sent = f.hasPong() ? outstanding.remove(f.getCorrId()) : null;
                    if (sent != null) {
                      probePongs.incrementAndGet();
                      probeWorstMicros.accumulateAndGet(
                          (System.nanoTime() - sent) / 1000, Math::max);
                    }
                  }
                } catch (Exception e) {
                  probeLost.incrementAndGet();
                }
              });
          vertx.setPeriodic(
              1000,
              id -> {
                long now = System.nanoTime();
                outstanding
                    .entrySet()
                    .removeIf(
                        e -> {
                          boolean lost =
                              now - e.getValue()
                                  > TimeUnit.MILLISECONDS.toNanos(PROBE_LOST_AFTER_MILLIS);
                          if (lost) {
                            probeLost.incrementAndGet();
                          }
                          return lost;
                        });
                if (ws.isClosed()) {
                  probeLost.incrementAndGet();
                  return;
                }
                int c = corr.incrementAndGet();
                try {
                  byte[] plain =
                      codec.encode(
                          List.of(
                              Frame.newBuilder()
                                  .setCorrId(c)
                                  .setPing(Ping.getDefaultInstance())
                                  .build()));
                  outstanding.put(c, System.nanoTime());
                  ws.writeBinaryMessage(Buffer.buffer(transport.encrypt(plain)));
                } catch (Exception e) {
                  probeLost.incrementAndGet();
                }
              });
        });
  }

  private void connect(java.util.function.BiConsumer<WebSocket, NoiseTransport> established) {
    int b = address.blockSize();
    NoiseInitiator initiator =
        new NoiseInitiator(address.relayKey(), b, NoiseSuite.PRODUCTION, random);
    BlockCodec handshake = BlockCodec.handshake(b);
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost(address.host())
                .setPort(address.port())
                .setURI("/v1"))
        .onFailure(
            e -> {
              failed.incrementAndGet();
              connecting.release();
            })
        .onSuccess(
            ws -> {
              // one permit per connection, given back when its handshake ends either way: a
              // connection the relay closes mid-handshake (e.g. cut for the buffer budget) used to
              // keep its permit, and after 64 of them this stopped opening connections
              java.util.concurrent.atomic.AtomicBoolean permit =
                  new java.util.concurrent.atomic.AtomicBoolean(true);
              Runnable releasePermit =
                  () -> {
                    if (permit.getAndSet(false)) {
                      connecting.release();
                    }
                  };
              ws.closeHandler(
                  v -> {
                    closed.incrementAndGet();
                    releasePermit.run();
                  });
              ws.binaryMessageHandler(
                  message2 -> {
                    ws.binaryMessageHandler(null);
                    try {
                      initiator.readHandshake2(message2.getBytes());
                      established.accept(ws, initiator.transport());
                    } catch (RuntimeException e) {
                      failed.incrementAndGet();
                      ws.close();
                    }
                    releasePermit.run();
                  });
              try {
                byte[] hello =
                    handshake.encode(
                        Frame.newBuilder()
                            .setClientHello(ClientHello.newBuilder().addVersions(1))
                            .build());
                ws.writeBinaryMessage(Buffer.buffer(initiator.writeHandshake1(hello)));
              } catch (Exception e) {
                failed.incrementAndGet();
                releasePermit.run();
              }
            });
  }

  /** From now on this connection never reads, and sends Pings while it can. */
  private void stall(WebSocket ws, NoiseTransport transport) {
    handshaken.incrementAndGet();
    ws.pause();
    BlockCodec codec = BlockCodec.transport(address.blockSize());
    vertx.setPeriodic(
        pingIntervalMillis,
        id -> {
          if (ws.isClosed()) {
            vertx.cancelTimer(id);
            return;
          }
          if (ws.writeQueueFull()) {
            pingsSkipped.incrementAndGet(); // the relay stopped reading too: do not pile up here
            return;
          }
          try {
            byte[] plain =
                codec.encode(
                    List.of(
                        Frame.newBuilder()
                            .setCorrId(1)
                            .setPing(Ping.getDefaultInstance())
                            .build()));
            ws.writeBinaryMessage(Buffer.buffer(transport.encrypt(plain)));
          } catch (Exception e) {
            vertx.cancelTimer(id);
          }
        });
  }

  private void report(String label, HttpClient http, int adminPort, long pid) {
    StringBuilder line =
        new StringBuilder(label).append(' ').append(java.time.LocalTime.now().withNano(0));
    line.append(" handshaken=").append(handshaken.get());
    line.append(" closed=").append(closed.get());
    line.append(" failed=").append(failed.get());
    line.append(" pings_skipped=").append(pingsSkipped.get());
    line.append(" probe_pongs=").append(probePongs.get());
    line.append(" probe_lost=").append(probeLost.get());
    line.append(" probe_worst_ms=").append(probeWorstMicros.getAndSet(0) / 1000);
    if (pid > 0) {
      line.append(" relay_rss_mib=").append(rssMib(pid));
    }
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = METRIC.matcher(metrics);
      while (m.find()) {
        line.append(' ').append(m.group(1).replace("sealpost_connections_", "")).append('=');
        line.append(m.group(2));
      }
    } catch (IOException e) {
      line.append(" metrics=unavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.println(line);
  }

  private static String rssMib(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (l.startsWith("VmRSS:")) {
          long kib = Long.parseLong(l.replaceAll("\\D", ""));
          return String.valueOf(kib / 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone
    }
    return "?";
  }
}
