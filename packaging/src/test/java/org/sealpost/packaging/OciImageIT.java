package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the OCI image Jib wrote (target/sealpost-oci.tar), read as a registry or a container
 * runtime reads it: the image configuration (non-root user, entrypoint, ports, volume), and its
 * layers unpacked into a root where the image's own Java runs {@code sealpost relay --check}, and
 * then the relay itself, as the image's user.
 */
class OciImageIT {
  private static final Path TAR =
      Path.of(System.getProperty("oci.file", "target/sealpost-oci.tar"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path unpacked;

  private static JsonNode config;
  private static List<String> layers;

  @BeforeAll
  static void readImage() throws Exception {
    run(List.of("tar", "-xf", TAR.toString(), "-C", unpacked.toString()), Map.of());
    JsonNode manifest;
    if (Files.exists(unpacked.resolve("index.json"))) { // OCI image layout
      JsonNode index = JSON.readTree(unpacked.resolve("index.json").toFile());
      manifest = JSON.readTree(blob(index.get("manifests").get(0).get("digest").asText()).toFile());
    } else {
      throw new AssertionError("not an OCI image layout: " + Files.list(unpacked).toList());
    }
    assertThat(manifest.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    config = JSON.readTree(blob(manifest.get("config").get("digest").asText()).toFile());
    layers = new ArrayList<>();
    manifest.get("layers").forEach(l -> layers.add(l.get("digest").asText()));
  }

  @Test
  void runsAsANonRootUserWithTheRelaysDefaults() {
    JsonNode c = config.get("config");
    assertThat(config.get("os").asText()).isEqualTo("linux");
    assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    assertThat(c.get("User").asText()).isEqualTo("65532:65532");
    assertThat(strings(c.get("Entrypoint")))
        .startsWith("/opt/java/bin/java")
        .contains("-XX:-HeapDumpOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash")
        // issue 14: the cluster module beside the runnable jar
        .endsWith(
            "-cp",
            "/usr/share/sealpost/sealpost.jar:/usr/share/sealpost/sealpost-cluster.jar",
            "org.sealpost.cli.SealpostCli");
    assertThat(strings(c.get("Cmd")))
        .containsExactly("relay", "--config", "/etc/sealpost/relay.properties");
    assertThat(fieldNames(c.get("ExposedPorts"))).containsExactly("8443/tcp");
    assertThat(fieldNames(c.get("Volumes"))).containsExactly("/var/lib/sealpost");
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/var/lib/sealpost");
  }

  @Test
  void theImagesJavaRunsTheRelayCheckAsTheImagesUser() throws Exception {
    assumeThat(System.getProperty("user.name")).as("chroot needs root").isEqualTo("root");
    Path root = rootfs();
    // no shell, no package manager: only what the relay needs
    assertThat(root.resolve("bin/sh")).doesNotExist();
    assertThat(root.resolve("usr/bin/apt")).doesNotExist();
    assertThat(root.resolve("usr/share/sealpost/sealpost-cluster.jar")).isRegularFile();
    assertThat(Files.readString(root.resolve("etc/sealpost/relay.properties")))
        .containsPattern("(?m)^data-dir = /var/lib/sealpost/data$");

    List<String> cmd = imageCommand(root);
    cmd.add("--check");
    String out = run(cmd, imageEnv());
    assertThat(out).contains("configuration: ok", "ok: the relay would start");
  }

  /**
   * The image cannot write the RocksDB library anywhere its user may load it from, so the relay
   * must find the one make-root.sh extracted under the name it computes itself; otherwise it warns
   * and falls back to a temporary file in /tmp at every start.
   */
  @Test
  void theImagesRelayStartsOnTheRocksDbLibraryTheImageShips() throws Exception {
    assumeThat(System.getProperty("user.name")).as("chroot needs root").isEqualTo("root");
    Path root = rootfs();
    List<String> cmd = imageCommand(root);
    // the image's own data directory stays as the image has it; this relay's goes to its /tmp
    cmd.addAll(
        List.of(
            "--data-dir", "/tmp/relay-data",
            "--listen-host", "127.0.0.1",
            "--listen-port", "0",
            "--admin-port", "0"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(imageEnv());
    Process relay = pb.start();
    StringBuffer out = new StringBuffer();
    AtomicBoolean listening = new AtomicBoolean();
    CountDownLatch listeningOrGone = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  out.append(line).append('\n');
                  if (line.startsWith("listening on ")) { // after the address line
                    listening.set(true);
                    listeningOrGone.countDown();
                  }
                }
              } catch (IOException e) {
                // the relay went away: the assertions below say what it printed
              } finally {
                listeningOrGone.countDown();
              }
            });
    reader.start();
    try {
      assertThat(listeningOrGone.await(90, TimeUnit.SECONDS)).as("output:%n%s", out).isTrue();
      assertThat(listening).as("relay listening; output:%n%s", out).isTrue();
    } finally {
      relay.destroy();
      assertThat(relay.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
    }
    assertThat(out.toString())
        .doesNotContain("no usable cache directory")
        // the image has no /etc/resolv.conf (a runtime mounts one): Netty's fallback would be
        // Google's
        .doesNotContain("Google Public DNS", "8.8.8.8")
        .contains("no name server in /etc/resolv.conf: the relay's resolver asks 127.0.0.1")
        // the C libraries make-root.sh copied are enough for netty-tcnative too
        .contains("(TLS 1.3, BoringSSL)");
    try (var left = Files.list(root.resolve("tmp"))) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("RocksDB's own loader writes its library to java.io.tmpdir")
          .noneMatch(name -> name.contains("rocksdb"));
    }
    try (var shipped = Files.list(root.resolve("usr/lib/sealpost"))) {
      assertThat(shipped.map(f -> f.getFileName().toString()))
          .singleElement(as(InstanceOfAssertFactories.STRING))
          .matches("rocksdbjni-[0-9a-f]{16}");
    }
  }

  /** The image's layers unpacked, once for all tests. */
  private static synchronized Path rootfs() throws Exception {
    Path root = unpacked.resolve("rootfs");
    if (!Files.isDirectory(root)) {
      Files.createDirectory(root);
      for (String layer : layers) {
        run(List.of("tar", "-xzf", blob(layer).toString(), "-C", root.toString()), Map.of());
      }
    }
    return root;
  }

  /** The image's entrypoint and command, run in {@code root} as the image's user. */
  private static List<String> imageCommand(Path root) {
    List<String> cmd =
        new ArrayList<>(List.of("chroot", "--userspec=65532:65532", root.toString()));
    cmd.addAll(strings(config.get("config").get("Entrypoint")));
    cmd.addAll(strings(config.get("config").get("Cmd")));
    return cmd;
  }

  private static Map<String, String> imageEnv() {
    Map<String, String> env = new TreeMap<>();
    config
        .get("config")
        .get("Env")
        .forEach(
            e -> {
              String[] kv = e.asText().split("=", 2);
              env.put(kv[0], kv[1]);
            });
    return env;
  }

  private static Path blob(String digest) {
    return unpacked.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, out).isZero();
    return out;
  }
}
