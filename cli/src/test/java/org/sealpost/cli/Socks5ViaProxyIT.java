package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.client.Socks5Proxy;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.EmbeddedRelay;

/**
 * The client library and CLI through a SOCKS5 proxy on 127.0.0.1 (issue 12): the relay is named by
 * a host that no resolver knows ({@code .invalid}, or a v3 {@code .onion} name), so the round trip
 * works only if the name reaches the proxy unresolved — which the proxy's record confirms (address
 * type 3, the name as written). Without a proxy an onion relay is refused before any connection.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class Socks5ViaProxyIT {
  private static final String INVALID_HOST = "relay.sealpost.invalid";
  private static final String ONION_HOST =
      "qcayfa4eqwdipcejrkfyzdmor6ijdeutsskznf4ytgnjxhe5t2pqncqd.onion";

  @TempDir Path dir;

  private EmbeddedRelay relay;
  private Socks5TestServer proxy;

  @BeforeEach
  void start() throws Exception {
    relay = EmbeddedRelay.start(dir.resolve("relay"), true, Map.of());
    proxy = new Socks5TestServer();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    relay.close();
  }

  private RelayAddress named(String host) throws Exception {
    RelayAddress real = relay.address();
    return RelayAddress.of(real.transport(), real.relayKey(), host, real.port(), real.blockSize());
  }

  private SealpostClient proxied() {
    return SealpostClient.create(
        ClientOptions.defaults().toBuilder()
            .reconnect(false)
            .socks5(new Socks5Proxy("127.0.0.1", proxy.port()))
            .build());
  }

  private void assertEveryRequestNamed(String host) throws Exception {
    assertThat(proxy.requests())
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.addressType()).as("SOCKS5 address type: domain name").isEqualTo(3);
              assertThat(r.host()).isEqualTo(host);
              assertThat(r.port()).isEqualTo(relay.address().port());
            });
  }

  @Test
  void theLibrarySendsAndReceivesThroughTheProxyWhichResolvesTheRelayName() throws Exception {
    RelayAddress address = named(INVALID_HOST);
    try (SealpostClient bob = proxied();
        SealpostClient alice = proxied()) {
      Mailbox inbox = Await.get(bob.secure(Await.get(bob.createMailbox(address))));
      Await.get(alice.send(inbox.address(), "via socks".getBytes(UTF_8), alice.newIdentity()));
      Optional<ReceivedMessage> got = Await.get(bob.get(inbox));

      assertThat(got).isPresent();
      assertThat(new String(got.get().content(), UTF_8)).isEqualTo("via socks");
    }
    assertEveryRequestNamed(INVALID_HOST);
  }

  @Test
  void anOnionRelayIsReachedThroughTheProxyAndRefusedWithoutOne() throws Exception {
    RelayAddress onion = named(ONION_HOST);
    try (SealpostClient direct =
        SealpostClient.create(ClientOptions.defaults().toBuilder().reconnect(false).build())) {
      SealpostException refused = Await.failure(direct.createMailbox(onion));
      assertThat(refused.error()).isEqualTo(ClientError.UNREACHABLE);
      assertThat(refused.getMessage()).contains("onion service", "--socks5");
    }
    assertThat(proxy.requests()).isEmpty();

    try (SealpostClient client = proxied()) {
      Mailbox inbox = Await.get(client.createMailbox(onion));
      Await.get(client.send(inbox.address(), "onion".getBytes(UTF_8), client.newIdentity()));
      assertThat(Await.get(client.get(inbox))).isPresent();
    }
    assertEveryRequestNamed(ONION_HOST);
  }

  record Result(int code, String out, String err) {}

  private Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--keystore";
    all[args.length + 1] = dir.resolve("keystore.json").toString();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void theCliTakesSocks5ForCreateSendAndReceive() throws Exception {
    String onion = named(ONION_HOST).format();
    String socks = "127.0.0.1:" + proxy.port();

    Result direct = cli("mailbox", "create", onion);
    assertThat(direct.code()).as(direct.err()).isEqualTo(Failures.UNREACHABLE);
    assertThat(direct.err().strip()).contains("--socks5").doesNotContain("\n");

    Result created = cli("mailbox", "create", "--socks5", socks, onion);
    assertThat(created.code()).as(created.err()).isZero();
    String address = cli("mailbox", "address").out().strip();
    Result sent = cli("send", "--socks5", socks, address, "hello over tor");
    assertThat(sent.code()).as(sent.err()).isZero();
    Result received = cli("receive", "--socks5", socks);
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.out()).contains("hello over tor");

    Result badProxy = cli("send", "--socks5", "127.0.0.1", address, "x");
    assertThat(badProxy.code()).isEqualTo(Failures.USAGE);
    assertThat(badProxy.err()).contains("HOST:PORT");
    assertEveryRequestNamed(ONION_HOST);
  }
}
