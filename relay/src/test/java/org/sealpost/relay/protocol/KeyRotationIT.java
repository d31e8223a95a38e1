package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RelayHello;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.process.DataDirectory;

/**
 * Relay-key rotation on a real relay over real sockets (protocol §4.2.1): during the transition the
 * relay completes handshakes made to either key, across restarts, and announces the successor only
 * to sessions made with the old key; after retirement the old key is refused like any wrong key
 * (close 1008, no reply).
 */
class KeyRotationIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final LocalDate END = LocalDate.of(2031, 3, 1);

  @TempDir Path dir;

  @Test
  void servesBothKeysDuringTheTransitionAndOnlyTheSuccessorAfterRetirement() throws Exception {
    byte[] oldKey;
    try (RelayFixture relay = RelayFixture.start(dir)) {
      oldKey = relay.relay.relayPublicKey();
    }
    byte[] newKey = RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);

    for (int restart = 0; restart < 2; restart++) { // a restart keeps both keys
      try (RelayFixture relay = RelayFixture.start(dir)) {
        try (TestClient old = connect(relay, oldKey)) {
          RelayHello hello = old.hello();
          assertThat(hello.getSuccessorKey().toByteArray()).isEqualTo(newKey);
          assertThat(hello.getTransitionEnd())
              .isEqualTo(END.atStartOfDay().toEpochSecond(ZoneOffset.UTC));
          assertThat(old.createQueue().senderId()).hasSize(32);
        }
        try (TestClient moved = connect(relay, newKey)) {
          assertThat(moved.hello().getSuccessorKey().isEmpty()).isTrue();
          assertThat(moved.hello().getTransitionEnd()).isZero();
          assertThat(moved.createQueue().senderId()).hasSize(32);
        }
        assertThat(refusedWithPolicyClose(relay, randomKey())).isTrue();
      }
    }

    RelayKeyRotation.retire(DataDirectory.inspect(dir));
    try (RelayFixture relay = RelayFixture.start(dir)) {
      assertThat(relay.relay.relayPublicKey()).isEqualTo(newKey);
      assertThat(refusedWithPolicyClose(relay, oldKey)).isTrue();
      try (TestClient moved = connect(relay, newKey)) {
        assertThat(moved.hello().getSuccessorKey().isEmpty()).isTrue();
        assertThat(moved.createQueue().senderId()).hasSize(32);
      }
    }
  }

  @Test
  void withoutARotationNoSuccessorIsAnnounced() throws Exception {
    try (RelayFixture relay = RelayFixture.start(dir);
        TestClient client = relay.connect()) {
      assertThat(client.hello().getSuccessorKey().isEmpty()).isTrue();
      assertThat(client.hello().getTransitionEnd()).isZero();
    }
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  private static TestClient connect(RelayFixture relay, byte[] key) {
    return TestClient.connect(
        relay.vertx, relay.relay.port(), key, relay.relay.config().blockSize());
  }

  /** Sends message 1 made for {@code key}; true if the relay closed with 1008 and sent nothing. */
  private static boolean refusedWithPolicyClose(RelayFixture relay, byte[] key) throws Exception {
    int b = relay.relay.config().blockSize();
    TestClient.RawSocket raw = TestClient.raw(relay.vertx, relay.relay.port());
    try {
      NoiseInitiator initiator = new NoiseInitiator(key, b, NoiseSuite.PRODUCTION, RANDOM);
      raw.write(
          initiator.writeHandshake1(
              BlockCodec.handshake(b)
                  .encode(
                      Frame.newBuilder()
                          .setClientHello(ClientHello.newBuilder().addAllVersions(List.of(1)))
                          .build())));
      return raw.awaitClosed()
          && raw.inbound().isEmpty()
          && Short.valueOf((short) 1008).equals(raw.ws().closeStatusCode());
    } finally {
      raw.close();
    }
  }
}
