package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.pow.CreatePow;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.config.RelayConfigLoader;

/**
 * Issue 12, abuse control without identities, over real sockets against a relay with a RocksDB
 * store: proof of work for CreateQueue (always and under load), the per-connection cap, and the
 * shorter expiry of queues never secured.
 */
class CreateQueueAbuseIT {
  private static final int BITS = 10;

  @TempDir Path dataDir;

  private static Frame create(TestClient client, byte[] recipientKey, byte[] nonce) {
    CreateQueue.Builder c =
        CreateQueue.newBuilder().setRecipientDhPublic(ByteString.copyFrom(recipientKey));
    if (nonce != null) {
      c.setPowNonce(ByteString.copyFrom(nonce));
    }
    return client.call(Frame.newBuilder().setCorrId(client.nextCorr()).setCreateQueue(c).build());
  }

  private static byte[] freshKey() {
    return org.sealpost.proto.crypto.X25519KeyPair.generate(
            org.sealpost.proto.crypto.RandomSource.of(new java.security.SecureRandom()))
        .publicKey();
  }

  private static void assertError(Frame reply, ErrorCode code) {
    assertThat(reply.getBodyCase()).as("reply %s", reply).isEqualTo(Frame.BodyCase.ERROR);
    assertThat(reply.getError().getCode()).isEqualTo(code);
  }

  @Test
  void alwaysModeRefusesAMissingOrWrongProofAndCreatesWithAValidOne() {
    try (RelayFixture fixture =
            RelayFixture.start(
                dataDir,
                Map.of("queue.pow", "always", "queue.pow-bits", Integer.toString(BITS)),
                UnaryOperator.identity());
        TestClient client = fixture.connect()) {
      assertThat(client.hello().getCreatePowBits()).isEqualTo(BITS);
      byte[] key = freshKey();
      assertError(create(client, key, null), ErrorCode.ERROR_CODE_POW);
      // a proof for another queue key, or from another session, proves nothing here
      byte[] other = freshKey();
      byte[] forOther = CreatePow.solve(client.handshakeHash(), other, BITS, 0);
      if (!CreatePow.verify(client.handshakeHash(), key, forOther, BITS)) {
        assertError(create(client, key, forOther), ErrorCode.ERROR_CODE_POW);
      }
      assertError(create(client, key, new byte[7]), ErrorCode.ERROR_CODE_SIZE);
      byte[] nonce = CreatePow.solve(client.handshakeHash(), key, BITS, 0);
      assertThat(create(client, key, nonce).hasQueueCreated()).isTrue();
    }
  }

  @Test
  void offModeAnnouncesNoWorkAndCreatesWithoutANonce() {
    try (RelayFixture fixture = RelayFixture.start(dataDir);
        TestClient client = fixture.connect()) {
      assertThat(client.hello().getCreatePowBits()).isZero();
      assertThat(create(client, freshKey(), null).hasQueueCreated()).isTrue();
    }
  }

  @Test
  void underLoadModeSwitchesOnForNewSessionsOnceCreatesPassTheThreshold() {
    // 0.5 per second over ten seconds: the sixth CreateQueue turns the proof on
    try (RelayFixture fixture =
            RelayFixture.start(
                dataDir,
                Map.of(
                    "queue.pow",
                    "under-load",
                    "queue.pow-bits",
                    Integer.toString(BITS),
                    "queue.pow-load",
                    "0.5"),
                s -> s.withCreateRate(1000, 1000));
        TestClient early = fixture.connect()) {
      assertThat(early.hello().getCreatePowBits()).isZero();
      for (int i = 0; i < 6; i++) {
        assertThat(create(early, freshKey(), null).hasQueueCreated()).isTrue();
      }
      // the session that started before the load keeps what it was told
      assertThat(create(early, freshKey(), null).hasQueueCreated()).isTrue();
      try (TestClient late = fixture.connect()) {
        assertThat(late.hello().getCreatePowBits()).isEqualTo(BITS);
        byte[] key = freshKey();
        assertError(create(late, key, null), ErrorCode.ERROR_CODE_POW);
        byte[] nonce = CreatePow.solve(late.handshakeHash(), key, BITS, 0);
        assertThat(create(late, key, nonce).hasQueueCreated()).isTrue();
      }
    }
  }

  @Test
  void aConnectionMayCreateOnlyItsCapButANewConnectionMayCreateAgain() {
    try (RelayFixture fixture =
        RelayFixture.start(
            dataDir,
            Map.of("queue.create-max-per-connection", "3"),
            s -> s.withCreateRate(1000, 1000))) {
      try (TestClient client = fixture.connect()) {
        for (int i = 0; i < 3; i++) {
          assertThat(create(client, freshKey(), null).hasQueueCreated()).isTrue();
        }
        assertError(create(client, freshKey(), null), ErrorCode.ERROR_CODE_PROHIBITED);
        // the session itself goes on
        assertError(create(client, freshKey(), null), ErrorCode.ERROR_CODE_PROHIBITED);
      }
      try (TestClient next = fixture.connect()) {
        assertThat(create(next, freshKey(), null).hasQueueCreated()).isTrue();
      }
    }
  }

  @Test
  void aQueueNeverSecuredExpiresAfterTheUnsecuredTtlWhileASecuredOneStays() throws Exception {
    Map<String, String> settings = Map.of("queue.unsecured-expiry", "2h");
    TestClient.QueueCreds open;
    TestClient.QueueCreds secured;
    byte[] token = TestClient.randomBytes(16);
    try (RelayFixture fixture = RelayFixture.start(dataDir, settings, UnaryOperator.identity());
        TestClient client = fixture.connect()) {
      open = client.createQueue();
      secured = client.createQueue();
      ProtocolLifecycleIT.assertOk(
          client.call(client.recipientFrame(secured, ProtocolLifecycleIT.secure(token))));
      ProtocolLifecycleIT.assertOk(
          client.call(client.sendFrame(open.senderId(), client.randomEnvelope(), null)));
    }
    // three hours later: the relay's own store settings, a clock moved on, one expiry sweep
    var all = org.sealpost.relay.EmbeddedRelay.loopbackSettings(dataDir);
    all.putAll(settings);
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(3)), ZoneOffset.UTC);
    try (MailboxStore store =
        RocksMailboxStore.opener(
                ProtocolApplication.mailboxConfig(RelayConfigLoader.fromSettings(all)))
            .clock(later)
            .open()) {
      assertThat(store.expire().toCompletableFuture().get().queues()).isEqualTo(1);
    }
    try (RelayFixture fixture = RelayFixture.start(dataDir, settings, UnaryOperator.identity());
        TestClient client = fixture.connect()) {
      assertError(
          client.call(client.sendFrame(open.senderId(), client.randomEnvelope(), null)),
          ErrorCode.ERROR_CODE_AUTH);
      ProtocolLifecycleIT.assertOk(
          client.call(client.sendFrame(secured.senderId(), client.randomEnvelope(), token)));
    }
  }
}
