package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay process that runs out of file descriptors (as under a reconnect storm, issue 13) accepts
 * connections again once descriptors are free: it used to lose its acceptor thread for good.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DescriptorExhaustionIT {
  private static final int DESCRIPTOR_LIMIT = 400;

  @TempDir Path tmp;

  @Test
  void acceptsAgainAfterRunningOutOfFileDescriptors() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            "bash",
            "-c",
            "ulimit -n "
                + DESCRIPTOR_LIMIT
                + " && exec \"$0\" -Xmx256m -cp \"$1\" "
                + RelayMain.class.getName()
                + " --data-dir \"$2\" --listen-host 127.0.0.1 --listen-port 0"
                + " --public-host 127.0.0.1 --admin-port 0 --event-loops 1"
                + " --tls-enabled false --connection-handshake-deadline 60s",
            java,
            System.getProperty("java.class.path"),
            tmp.resolve("data").toString());
    Process relay = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr").toFile()).start();
    List<Socket> sockets = new ArrayList<>();
    try {
      int port = listenPort(relay);
      Path fds = Path.of("/proc", String.valueOf(relay.pid()), "fd");

      // more connections than the relay has descriptors: the kernel completes them all (the
      // listen backlog), the relay accepts until accept() fails with EMFILE
      for (int i = 0; i < DESCRIPTOR_LIMIT + 100; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        sockets.add(s);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long open = count(fds);
      while (open < DESCRIPTOR_LIMIT - 5 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        open = count(fds);
      }
      assertThat(open)
          .as("descriptors the relay holds")
          .isGreaterThanOrEqualTo(DESCRIPTOR_LIMIT - 5);
      // accept keeps failing for a while (Netty logs it and pauses a second each time)
      Thread.sleep(3_000);

      for (Socket s : sockets) {
        s.close();
      }
      sockets.clear();

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      WebSocket ws = null;
      Exception last = null;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ws == null && System.nanoTime() < deadline) {
        try {
          ws =
              http.newWebSocketBuilder()
                  .connectTimeout(Duration.ofSeconds(10))
                  .buildAsync(
                      URI.create("ws://127.0.0.1:" + port + "/v1"), new WebSocket.Listener() {})
                  .get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
          last = e;
          Thread.sleep(500);
        }
      }
      assertThat(ws)
          .as(
              "WebSocket upgrade after the descriptors were freed (last failure %s; stderr %s)",
              last, Files.readString(tmp.resolve("stderr")))
          .isNotNull();
      ws.abort();
      assertThat(relay.isAlive()).isTrue();
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      relay.destroy();
      if (!relay.waitFor(30, TimeUnit.SECONDS)) {
        relay.destroyForcibly();
      }
    }
  }

  private static long count(Path fds) throws IOException {
    try (var list = Files.list(fds)) {
      return list.count();
    }
  }

  private static int listenPort(Process relay) throws IOException {
    Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = listening.matcher(line);
      if (m.matches()) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // keep the pipe from filling
                    }
                  } catch (IOException e) {
                    // the process ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IllegalStateException("the relay exited before listening");
  }
}
