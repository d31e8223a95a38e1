package org.sealpost.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.crypto.TlsCertificates;

/**
 * Three {@code sealpost relay} processes on 127.0.0.1 forming a cluster (n1, n2, n3 owning shards
 * 0-3, 4-7, 8-11), with one relay key and one cluster key, behind an HAProxy process (Debian's
 * {@code haproxy}) balancing round robin on their {@code /ready}. Every process is this test's own
 * child, ended by its handle.
 */
final class RelayNodes implements AutoCloseable {
  static final int SHARDS = 12;
  static final String MAP = "n1:0-3;n2:4-7;n3:8-11";
  private static final Pattern METRIC_OPEN =
      Pattern.compile("(?m)^sealpost_connections_open(\\{[^}]*\\})? ([0-9.eE+-]+)$");

  private final Path dir;
  private final ClusterKey key;
  private final int[] listen = new int[3];
  private final int[] admin = new int[3];
  private final int[] hazelcast = new int[3];
  private final int[] bus = new int[3];
  private final Process[] nodes = new Process[3];
  private final Thread[] drains = new Thread[3];
  private final List<List<String>> output = new ArrayList<>();
  private final IntFunction<List<String>> jvmArgs;
  private final int proxyPort;
  private Process proxy;
  private RelayAddress address;

  RelayNodes(Path dir) throws IOException {
    this(dir, i -> List.of());
  }

  /**
   * @param jvmArgs further JVM arguments of node {@code i} (0 for n1), e.g. a logging configuration
   */
  RelayNodes(Path dir, IntFunction<List<String>> jvmArgs) throws IOException {
    this.dir = dir;
    this.jvmArgs = jvmArgs;
    SecureRandom random = new SecureRandom();
    Path keyDir = Files.createDirectories(dir.resolve("cluster-key"));
    TlsCertificates.CertificatePaths p =
        new TlsCertificates(random, Clock.systemUTC())
            .loadOrCreateSelfSigned(keyDir, "sealpost-cluster");
    key = new ClusterKey(p.certificate(), p.privateKey());
    // one relay key for every node: clients reach the cluster through one relay address
    Path first = Files.createDirectories(dataDir(0));
    Files.setPosixFilePermissions(
        first, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    new RelayKeyStore(random).loadOrCreate(first);
    for (int i = 0; i < 3; i++) {
      Path d = Files.createDirectories(dataDir(i));
      Files.setPosixFilePermissions(
          d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      if (i > 0) {
        Files.copy(
            first.resolve(RelayKeyStore.FILE_NAME),
            d.resolve(RelayKeyStore.FILE_NAME),
            StandardCopyOption.COPY_ATTRIBUTES);
      }
      listen[i] = freePort();
      admin[i] = freePort();
      hazelcast[i] = freePort();
      bus[i] = freePort();
      output.add(java.util.Collections.synchronizedList(new ArrayList<>()));
    }
    proxyPort = freePort();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  Path dataDir(int node) {
    return dir.resolve("n" + (node + 1));
  }

  /** Node {@code i}'s own client listener on 127.0.0.1 (not through HAProxy). */
  int listenPort(int i) {
    return listen[i];
  }

  ClusterKey key() {
    return key;
  }

  ShardTag tag() {
    return new ShardTag(key.tagKey(), SHARDS);
  }

  /** The node owning the shard of a recipient or sender ID: "n1", "n2" or "n3". */
  String owner(byte[] id) {
    return ShardMap.parse(MAP, SHARDS).ownerOf(tag().shardOf(id));
  }

  /** The relay address clients use: HAProxy's port. */
  RelayAddress address() {
    return address;
  }

  /** Starts the three nodes at once (they join each other) and waits for them, then HAProxy. */
  void startAll() throws Exception {
    for (int i = 0; i < 3; i++) {
      launch(i, true);
    }
    for (int i = 0; i < 3; i++) {
      awaitStarted(i);
    }
    startProxy();
  }

  /** Starts one node again on its data directory and waits until it serves. */
  void restart(int node) throws Exception {
    launch(node, false);
    awaitStarted(node);
  }

  private void launch(int i, boolean initialise) throws IOException {
    List<String> members = new ArrayList<>();
    for (int p : hazelcast) {
      members.add("127.0.0.1:" + p);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small, quick-starting JVMs: three of them share two cores with the test
    cmd.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(jvmArgs.apply(i));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RelayMain.class.getName());
    String[][] settings = {
      {"data-dir", dataDir(i).toString()},
      {"data-dir-initialise", Boolean.toString(initialise)},
      {"listen-host", "127.0.0.1"},
      {"listen-port", Integer.toString(listen[i])},
      {"public-host", "127.0.0.1"},
      {"public-port", Integer.toString(proxyPort)},
      {"admin-port", Integer.toString(admin[i])},
      {"event-loops", "1"},
      {"shutdown-grace", "1s"},
      {"queue-create-rate-global", "100000"},
      {"store-max-mib", "256"},
      {"cluster-node", "n" + (i + 1)},
      {"cluster-shards", MAP},
      {"cluster-shard-count", Integer.toString(SHARDS)},
      {"cluster-key-cert", key.certificate().toString()},
      {"cluster-key", key.privateKey().toString()},
      {"cluster-host", "127.0.0.1"},
      {"cluster-port", Integer.toString(hazelcast[i])},
      {"cluster-bus-port", Integer.toString(bus[i])},
      {"cluster-members", String.join(",", members)},
      {"cluster-command-timeout", "1s"},
    };
    for (String[] s : settings) {
      cmd.add("--" + s[0]);
      cmd.add(s[1]);
    }
    output.get(i).clear();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    nodes[i] = p;
    drains[i] = drain(p.getInputStream(), output.get(i));
  }

  private static Thread drain(InputStream in, List<String> all) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  all.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "relay-node-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void awaitStarted(int i) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      String found = null;
      synchronized (output.get(i)) {
        for (String line : output.get(i)) {
          if (line.startsWith("relay address: ")) {
            found = line.substring("relay address: ".length());
          }
        }
      }
      if (found != null && ready(i)) {
        if (address == null) {
          try {
            address = RelayAddress.parse(found);
          } catch (AddressException e) {
            throw new AssertionError("relay address does not parse", e);
          }
        }
        return;
      }
      if (!nodes[i].isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("node n" + (i + 1) + " did not start: " + output(i));
      }
      Thread.sleep(100);
    }
  }

  /** Node {@code i}'s output so far (for failure messages, and the privacy checks). */
  List<String> output(int i) {
    synchronized (output.get(i)) {
      return new ArrayList<>(output.get(i));
    }
  }

  /** Whether node {@code i}'s {@code /ready} answers 200. */
  boolean ready(int i) {
    return httpStatus(i, "/ready") == 200;
  }

  int httpStatus(int i, String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + admin[i] + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }

  /** Node {@code i}'s Prometheus text. */
  String metrics(int i) throws IOException {
    return http(i, "/metrics");
  }

  /** The body of a GET on node {@code i}'s admin port. */
  String http(int i, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + admin[i] + path).toURL().openConnection();
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  /**
   * The sum of a metric's samples on node {@code i} whose labels match {@code labels} (a metric
   * without labels matches an empty pattern).
   */
  double sum(int i, String metric, String labels) throws IOException {
    Matcher m =
        Pattern.compile("(?m)^" + metric + "(?:\\{([^}]*)\\})? ([0-9.eE+-]+)$").matcher(metrics(i));
    double sum = 0;
    Pattern wanted = Pattern.compile(labels);
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      if (wanted.matcher(found).find()) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /** Waits up to 30 s for {@code condition} (cluster views settle in seconds). */
  static void await(String what, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(200);
    }
  }

  /** Node {@code i}'s open client connections. */
  int openConnections(int i) throws IOException {
    Matcher m = METRIC_OPEN.matcher(metrics(i));
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return (int) sum;
  }

  /** The open connections of every node. */
  int[] openConnections() throws IOException {
    int[] open = new int[3];
    for (int i = 0; i < 3; i++) {
      open[i] = nodes[i].isAlive() ? openConnections(i) : 0;
    }
    return open;
  }

  /** kill -9. */
  void kill(int i) throws InterruptedException {
    nodes[i].destroyForcibly();
    nodes[i].waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, and waits for the graceful shutdown and for the last lines of its output to be read
   * (so that {@link #output} holds all of it). The signal goes through the process handle: {@link
   * Process#destroy()} also closes this side of the output pipe, losing everything the node writes
   * while it shuts down.
   */
  void stop(int i) throws InterruptedException {
    nodes[i].toHandle().destroy();
    if (!nodes[i].waitFor(30, TimeUnit.SECONDS)) {
      nodes[i].destroyForcibly();
      nodes[i].waitFor(10, TimeUnit.SECONDS);
    }
    drains[i].join(TimeUnit.SECONDS.toMillis(10));
  }

  private void startProxy() throws Exception {
    StringBuilder cfg = new StringBuilder();
    cfg.append("global\n  maxconn 2000\n")
        .append("defaults\n  mode tcp\n  timeout connect 2s\n")
        .append("  timeout client 5m\n  timeout server 5m\n")
        .append("frontend sealpost_in\n  bind 127.0.0.1:")
        .append(proxyPort)
        .append("\n  default_backend sealpost_relays\n")
        .append("backend sealpost_relays\n  balance roundrobin\n")
        .append("  option httpchk GET /ready\n  http-check expect status 200\n")
        .append("  default-server inter 500ms fall 2 rise 1\n");
    for (int i = 0; i < 3; i++) {
      cfg.append("  server n")
          .append(i + 1)
          .append(" 127.0.0.1:")
          .append(listen[i])
          .append(" check port ")
          .append(admin[i])
          .append('\n');
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, cfg.toString());
    proxy =
        new ProcessBuilder("haproxy", "-db", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        new java.net.Socket("127.0.0.1", proxyPort).close();
        return;
      } catch (IOException e) {
        if (!proxy.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "haproxy did not start: " + Files.readString(dir.resolve("haproxy.out")), e);
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void close() {
    try {
      if (proxy != null) {
        proxy.destroyForcibly();
        proxy.waitFor(10, TimeUnit.SECONDS);
      }
      for (Process p : nodes) {
        if (p != null && p.isAlive()) {
          p.destroy();
        }
      }
      for (Process p : nodes) {
        if (p != null && !p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      for (Process p : nodes) {
        if (p != null) {
          p.destroyForcibly();
        }
      }
    }
  }
}
