package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code RelayMain} in a child JVM: start-up output, dump protection, SIGTERM, bad config. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayMainIT {
  @TempDir Path tmp;

  private static final class Child {
    final Process process;
    final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    final List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());

    Child(List<String> jvmFlags, List<String> args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmFlags);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(RelayMain.class.getName());
      cmd.addAll(args);
      process = new ProcessBuilder(cmd).start();
      drain(process.getInputStream(), out::add);
      drain(process.getErrorStream(), err::add);
    }

    private static void drain(InputStream in, java.util.function.Consumer<String> sink) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    sink.accept(line);
                  }
                } catch (IOException e) {
                  // the process ended
                }
              });
      t.setDaemon(true);
      t.start();
    }

    final List<String> seen = new ArrayList<>();

    String awaitLine(String prefix) throws InterruptedException {
      while (true) {
        String line = out.poll(60, TimeUnit.SECONDS);
        assertThat(line)
            .as("stdout line starting with '%s' after %s; stderr %s", prefix, seen, err)
            .isNotNull();
        seen.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
  }

  @Test
  void startsPrintsItsAddressRefusesHeapDumpsAndStopsGracefullyOnSigterm() throws Exception {
    Path data = tmp.resolve("data");
    Child child =
        new Child(
            List.of("-XX:+HeapDumpOnOutOfMemoryError", "-Xmx256m"),
            List.of(
                "--data-dir", data.toString(),
                "--listen-host", "127.0.0.1",
                "--listen-port", "0",
                "--public-host", "127.0.0.1",
                "--admin-port", "0",
                "--event-loops", "1"));
    try {
      String address = child.awaitLine("relay address: ");
      assertThat(address)
          .matches("relay address: sealpost://[A-Za-z0-9_-]{43}@127\\.0\\.0\\.1:\\d+");
      String listening = child.awaitLine("listening on ");
      assertThat(listening).endsWith("(TLS 1.3)");
      String admin = child.awaitLine("admin on ");
      Matcher m = Pattern.compile("admin on http://127\\.0\\.0\\.1:(\\d+)").matcher(admin);
      assertThat(m.matches()).isTrue();
      int adminPort = Integer.parseInt(m.group(1));

      HttpURLConnection ready =
          (HttpURLConnection) new URL("http://127.0.0.1:" + adminPort + "/ready").openConnection();
      assertThat(ready.getResponseCode()).isEqualTo(200);
      assertThat(child.err)
          .anySatisfy(l -> assertThat(l).contains("turned off -XX:+HeapDumpOnOutOfMemoryError"));
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("relay-key.pem"))))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");

      // SIGTERM through the handle: Process.destroy() would also close our end of the pipes
      assertThat(child.process.toHandle().destroy()).isTrue();
      child.awaitLine("shutting down");
      child.awaitLine("stopped");
      assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue()).isEqualTo(RelayMain.EXIT_OK);
    } finally {
      child.process.destroyForcibly();
    }
  }

  @Test
  void aBadSettingExitsWithCode2AndNamesTheSetting() throws Exception {
    Child child =
        new Child(
            List.of(),
            List.of("--data-dir", tmp.resolve("data").toString(), "--listen-port", "99999"));
    assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process.exitValue()).isEqualTo(RelayMain.EXIT_CONFIG);
    child.process.getErrorStream().close();
    assertThat(String.join("\n", child.err)).contains("listen.port").contains("99999");
    assertThat(tmp.resolve("data")).doesNotExist();
  }
}
