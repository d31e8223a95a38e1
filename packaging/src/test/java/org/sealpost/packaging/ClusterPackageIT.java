package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.crypto.TlsCertificates;

/**
 * Issue 14: the Debian package carries what {@code cluster.node} needs — the cluster module and its
 * cluster manager in {@code /usr/share/sealpost/sealpost-cluster.jar}, on the class path of the
 * {@code sealpost} command — and the unpacked package runs a one-node cluster, while a relay
 * without {@code cluster.node} from the same package starts no cluster manager (no Hazelcast thread
 * in the running JVM, none of its output).
 */
class ClusterPackageIT {
  private static final Path DEB = Path.of(System.getProperty("deb.file", "target/sealpost.deb"));

  @TempDir Path root;

  @Test
  void thePackageShipsTheClusterModuleAndItsClusterManager() throws Exception {
    assertThat(run(List.of("dpkg-deb", "--contents", DEB.toString())))
        .contains("-rw-r--r-- root/root", "./usr/share/sealpost/sealpost-cluster.jar");
    run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()));
    try (ZipFile jar =
        new ZipFile(root.resolve("usr/share/sealpost/sealpost-cluster.jar").toFile())) {
      assertThat(jar.getEntry("org/sealpost/cluster/RelayClusterBackend.class")).isNotNull();
      assertThat(jar.getEntry("io/vertx/spi/cluster/hazelcast/HazelcastClusterManager.class"))
          .isNotNull();
      assertThat(jar.getEntry("com/hazelcast/core/Hazelcast.class")).isNotNull();
      String services =
          new String(
              jar.getInputStream(
                      jar.getEntry("META-INF/services/org.sealpost.relay.queue.ClusterBackend"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(services).contains("org.sealpost.cluster.RelayClusterBackend");
      // nothing the runnable jar already has: one copy of each class on the class path
      assertThat(jar.getEntry("org/sealpost/relay/RelayMain.class")).isNull();
      assertThat(jar.getEntry("io/vertx/core/Vertx.class")).isNull();
    }
    assertThat(Files.readString(root.resolve("usr/bin/sealpost")))
        .contains("/sealpost.jar:", "/sealpost-cluster.jar");
  }

  @Test
  void theUnpackedCommandRunsAClusterNodeAndASingleRelayWithoutClusterManager() throws Exception {
    run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()));
    TlsCertificates.CertificatePaths key =
        new TlsCertificates(new SecureRandom(), Clock.systemUTC())
            .loadOrCreateSelfSigned(
                Files.createDirectories(root.resolve("cluster-key")), "sealpost-cluster");
    int hz = freePort();
    List<String> cluster =
        List.of(
            "--cluster-node",
            "n1",
            "--cluster-shards",
            "n1:0-3",
            "--cluster-shard-count",
            "4",
            "--cluster-key-cert",
            key.certificate().toString(),
            "--cluster-key",
            key.privateKey().toString(),
            "--cluster-host",
            "127.0.0.1",
            "--cluster-port",
            Integer.toString(hz),
            "--cluster-bus-port",
            Integer.toString(freePort()),
            "--cluster-members",
            "127.0.0.1:" + hz);
    try (Relay node = Relay.start(root, "node", cluster)) {
      assertThat(node.get("/health")).contains("shards served: 4 of 4", "members: 1");
      assertThat(node.threads()).as("a cluster node runs Hazelcast").contains("\"hz.");
    }
    try (Relay single = Relay.start(root, "single", List.of())) {
      assertThat(single.threads()).as("JVM threads").doesNotContain("\"hz.");
      assertThat(single.output().toLowerCase(java.util.Locale.ROOT)).doesNotContain("hazelcast");
    }
  }

  /** The unpacked package's {@code sealpost relay}, with the system JDK, until it is ready. */
  private static final class Relay implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int admin;

    private Relay(Process process, Path log, int admin) {
      this.process = process;
      this.log = log;
      this.admin = admin;
    }

    static Relay start(Path root, String name, List<String> extra) throws Exception {
      Path data = root.resolve("var/lib/" + name);
      Files.createDirectories(
          data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      int admin = freePort();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  root.resolve("usr/bin/sealpost").toString(),
                  "relay",
                  "--data-dir",
                  data.toString(),
                  "--data-dir-initialise",
                  "true",
                  "--listen-host",
                  "127.0.0.1",
                  "--listen-port",
                  Integer.toString(freePort()),
                  "--public-host",
                  "127.0.0.1",
                  "--admin-port",
                  Integer.toString(admin),
                  "--event-loops",
                  "1"));
      cmd.addAll(extra);
      Path log = root.resolve(name + ".out");
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment()
          .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      pb.environment().put("SEALPOST_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
      Relay r = new Relay(pb.start(), log, admin);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (r.status("/ready") != 200) {
        if (!r.process.isAlive() || System.nanoTime() > deadline) {
          r.close();
          throw new AssertionError(name + " did not become ready:\n" + r.output());
        }
        Thread.sleep(200);
      }
      return r;
    }

    int status(String path) {
      try {
        HttpURLConnection c = open(path);
        try {
          return c.getResponseCode();
        } finally {
          c.disconnect();
        }
      } catch (IOException e) {
        return -1;
      }
    }

    String get(String path) throws IOException {
      HttpURLConnection c = open(path);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    }

    private HttpURLConnection open(String path) throws IOException {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + admin + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(5000);
      return c;
    }

    /** The running JVM's threads, as {@code jcmd Thread.print} lists them. */
    String threads() throws Exception {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      // the wrapper execs java, so the process is the JVM itself
      return run(List.of(jcmd.toString(), Long.toString(process.pid()), "Thread.print"));
    }

    String output() throws IOException {
      return Files.readString(log);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, out).isZero();
    return out;
  }
}
