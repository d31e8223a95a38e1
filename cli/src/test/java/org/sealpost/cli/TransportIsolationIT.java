package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Isolation;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.EmbeddedRelay;

/**
 * issue 11, transport isolation in the client library against a real relay over TLS + Noise: every
 * TCP connection the relay accepts is counted by a forwarder in front of it. Two mailboxes created,
 * secured, subscribed, read and written to through the convenience methods never share a session by
 * default; a contact group shares one; PER_RELAY puts everything on one.
 */
class TransportIsolationIT {
  @TempDir Path dir;

  @Test
  void twoMailboxesNeverShareASessionByDefault() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir, true, Map.of());
        CountingForwarder forwarder = new CountingForwarder(relay.address().port());
        SealpostClient client = SealpostClient.create()) {
      RelayAddress via = relay.addressVia(forwarder.port());
      script(client, via, null);
      // two mailboxes' own sessions, and one send session per destination mailbox
      assertThat(forwarder.accepted()).isEqualTo(4);
    }
  }

  @Test
  void aContactGroupSharesOneSession() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir, true, Map.of());
        CountingForwarder forwarder = new CountingForwarder(relay.address().port());
        SealpostClient client = SealpostClient.create()) {
      RelayAddress via = relay.addressVia(forwarder.port());
      script(client, via, "family");
      // creation sessions (one each) give way to the group's, plus two send sessions
      assertThat(forwarder.accepted()).isEqualTo(5);
    }
  }

  @Test
  void perRelayUsesOneSessionForEverything() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir, true, Map.of());
        CountingForwarder forwarder = new CountingForwarder(relay.address().port());
        SealpostClient client =
            SealpostClient.create(
                ClientOptions.defaults().toBuilder().isolation(Isolation.PER_RELAY).build())) {
      RelayAddress via = relay.addressVia(forwarder.port());
      script(client, via, null);
      assertThat(forwarder.accepted()).isEqualTo(1);
    }
  }

  /** Create, secure, group, subscribe, send to and read two mailboxes. */
  private static void script(SealpostClient client, RelayAddress relay, String group)
      throws Exception {
    Mailbox a = Await.get(client.secure(Await.get(client.createMailbox(relay))));
    Mailbox b = Await.get(client.secure(Await.get(client.createMailbox(relay))));
    if (group != null) {
      client.group(a, group);
      client.group(b, group);
    }
    BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
    Await.get(client.subscribe(a, got::add));
    var me = client.newIdentity();
    Await.get(client.send(a.address(), "to a".getBytes(UTF_8), me));
    Await.get(client.send(b.address(), "to b".getBytes(UTF_8), me));
    assertThat(new String(got.poll(30, TimeUnit.SECONDS).content(), UTF_8)).isEqualTo("to a");
    assertThat(new String(Await.get(client.get(b)).orElseThrow().content(), UTF_8))
        .isEqualTo("to b");
    if (group == null && client.options().isolation() == Isolation.PER_MAILBOX) {
      assertThat(client.session(a)).isNotSameAs(client.session(b));
      assertThat(client.session(a).subscriptions()).isEqualTo(1);
      assertThat(client.session(b).subscriptions()).isZero();
    } else {
      assertThat(client.session(a)).isSameAs(client.session(b));
    }
    Await.get(client.delete(a));
    Await.get(client.delete(b));
  }

  /** A TCP forwarder on loopback that counts the connections it accepts. */
  static final class CountingForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    CountingForwarder(int target) throws IOException {
      this.target = target;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::accept, "counting-forwarder");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          accepted.incrementAndGet();
          Socket relay = new Socket();
          relay.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
          sockets.add(client);
          sockets.add(relay);
          pipe(client, relay);
          pipe(relay, client);
        } catch (IOException e) {
          return;
        }
      }
    }

    private void pipe(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  close(from);
                  close(to);
                }
              },
              "counting-forwarder-pipe");
      t.setDaemon(true);
      t.start();
    }

    private static void close(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      sockets.forEach(CountingForwarder::close);
    }
  }
}
