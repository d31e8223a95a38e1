package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: {@code dpkg -i} of the built package into a throwaway Debian root (a chroot made by
 * debootstrap with the JRE), the relay started there as the package's user, a CLI round trip
 * against it, then {@code dpkg -P}, which must keep the relay's data. The root is {@code
 * $SEALPOST_DEB_ROOT}, or {@code ~/.cache/sealpost-test/deb-root}, made by debootstrap when missing
 * (docs/operations.md, "Debian package"). Needs root (chroot, mount).
 */
class DebInstallIT {
  private static final Path DEB = Path.of(System.getProperty("deb.file", "target/sealpost.deb"));

  @Test
  void installRunRoundTripAndPurgeKeepsTheData() throws Exception {
    assumeThat(System.getProperty("user.name")).as("chroot needs root").isEqualTo("root");
    Path root = debRoot();
    Path proc = root.resolve("proc");
    Files.createDirectories(proc);
    run(List.of("mount", "-t", "proc", "proc", proc.toString()));
    Process relay = null;
    try {
      Files.copy(DEB, root.resolve("tmp/sealpost.deb"), StandardCopyOption.REPLACE_EXISTING);
      in(root, "dpkg", "-i", "/tmp/sealpost.deb");
      String uid = in(root, "id", "-u", "sealpost").strip();
      String gid = in(root, "id", "-g", "sealpost").strip();
      assertThat(in(root, "stat", "-c", "%a %U", "/var/lib/sealpost").strip())
          .isEqualTo("700 sealpost");

      int port;
      try (var s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ProcessBuilder pb =
          new ProcessBuilder(
                  "chroot",
                  "--userspec=" + uid + ":" + gid,
                  root.toString(),
                  "/usr/bin/sealpost",
                  "relay",
                  "--config",
                  "/etc/sealpost/relay.properties")
              .redirectErrorStream(true);
      pb.environment()
          .putAll(
              Map.of(
                  "SEALPOST_LISTEN_PORT", Integer.toString(port),
                  "SEALPOST_ADMIN_PORT", "0",
                  "SEALPOST_PUBLIC_HOST", "127.0.0.1",
                  "CACHE_DIRECTORY", "/var/cache/sealpost", // as the unit's CacheDirectory= does
                  "HOME", "/var/lib/sealpost"));
      relay = pb.start();
      String address = awaitAddress(relay);
      assertThat(address).endsWith("@127.0.0.1:" + port);

      in(root, "sealpost", "mailbox", "create", address);
      String mailbox = in(root, "sealpost", "mailbox", "address").strip();
      in(root, "sealpost", "send", mailbox, "hello", "from", "the", "chroot");
      assertThat(in(root, "sealpost", "receive")).contains(": hello from the chroot");
      assertThat(root.resolve("var/cache/sealpost")).isDirectory();

      relay.destroy();
      assertThat(relay.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(relay.exitValue()).isZero();

      String purge = in(root, "dpkg", "-P", "sealpost");
      assertThat(purge).contains("kept /var/lib/sealpost");
      assertThat(root.resolve("var/lib/sealpost/relay-key.pem")).exists();
      assertThat(root.resolve("var/lib/sealpost/store")).isDirectory();
      assertThat(root.resolve("etc/sealpost")).doesNotExist();
      assertThat(root.resolve("usr/bin/sealpost")).doesNotExist();
      assertThat(root.resolve("var/cache/sealpost")).doesNotExist();
    } finally {
      if (relay != null) {
        relay.destroyForcibly();
        relay.waitFor(30, TimeUnit.SECONDS);
      }
      run(List.of("umount", proc.toString()));
      // back to a root without the package, for the next run
      runQuietly(List.of("chroot", root.toString(), "dpkg", "-P", "sealpost"));
      run(
          List.of(
              "rm",
              "-rf",
              root.resolve("var/lib/sealpost").toString(),
              root.resolve("var/cache/sealpost").toString(),
              root.resolve("root/.sealpost").toString(),
              root.resolve("tmp/sealpost.deb").toString()));
    }
  }

  /** The throwaway root: given, cached, or made now with debootstrap (minutes of downloads). */
  private static Path debRoot() throws Exception {
    String given = System.getenv("SEALPOST_DEB_ROOT");
    Path root =
        given != null
            ? Path.of(given)
            : Path.of(System.getProperty("user.home"), ".cache", "sealpost-test", "deb-root");
    if (!Files.exists(root.resolve("usr/bin/java"))) {
      Path partial = root.resolveSibling(root.getFileName() + ".partial");
      run(List.of("rm", "-rf", partial.toString()));
      Files.createDirectories(partial);
      run(
          List.of(
              "debootstrap",
              "--variant=minbase",
              "--include=default-jre-headless,adduser",
              "bookworm",
              partial.toString(),
              "http://deb.debian.org/debian"));
      run(List.of("rm", "-rf", root.toString()));
      Files.move(partial, root);
    }
    return root;
  }

  private static String awaitAddress(Process relay) throws Exception {
    var reader =
        new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
    var seen = new StringBuffer();
    CompletableFuture<String> found =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  seen.append(line).append('\n');
                  if (line.startsWith("relay address: ")) {
                    return line.substring("relay address: ".length()).strip();
                  }
                }
              } catch (IOException e) {
                return null;
              }
              return null;
            });
    String address = found.get(120, TimeUnit.SECONDS);
    assertThat(address).as("relay output:%n%s", seen).isNotNull();
    Thread drain =
        new Thread(
            () -> {
              try {
                while (reader.readLine() != null) {
                  // discard
                }
              } catch (IOException e) {
                // the relay exited
              }
            });
    drain.setDaemon(true);
    drain.start();
    return address;
  }

  /** Runs a command inside the root as root, with HOME=/root. */
  private static String in(Path root, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("chroot", root.toString(), "env", "HOME=/root"));
    cmd.addAll(List.of(command));
    return run(cmd);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1200, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, out).isZero();
    return out;
  }

  private static void runQuietly(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(120, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing to undo
    }
  }
}
