package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.relay.RelayEnvironment;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * The relay's private key lives in one object on the heap: the session factory borrows the key pair
 * that RelayServer loaded (and RelayShutdown destroys once), rather than a copy of its bytes.
 */
class RelayKeySharingTest {
  private static final int B = 4096;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    TestClient.await(vertx.close());
  }

  @Test
  void sessionsBorrowTheOneRelayKeyAndTheApplicationLeavesItsDestroyToShutdown(@TempDir Path dir) {
    RelayConfig config =
        RelayConfigLoader.fromSettings(
            Map.of("data-dir", dir.toString(), "block-size", Integer.toString(B)));
    X25519KeyPair relayKey = X25519KeyPair.generate(RandomSource.secure());
    ProtocolApplication application = new ProtocolApplication();

    SessionHandlerFactory started =
        TestClient.await(
            application.start(
                new RelayEnvironment(vertx, config, relayKey, new SimpleMeterRegistry())));
    ProtocolSessionHandlerFactory factory = (ProtocolSessionHandlerFactory) started;
    assertThat(factory.relayKey()).isSameAs(relayKey);

    TestClient.await(application.stop());
    assertThat(relayKey.isDestroyed()).isFalse(); // RelayShutdown's job, after the application

    SecureRandom random = new SecureRandom();
    byte[] hello = new byte[B - 48];
    byte[] msg1 =
        new NoiseInitiator(relayKey.publicKey(), B, NoiseSuite.PRODUCTION, random)
            .writeHandshake1(hello);
    relayKey.destroy();
    // with a copy of the private bytes the factory's key would still complete this handshake
    NoiseResponder responder =
        new NoiseResponder(factory.relayKey(), B, NoiseSuite.PRODUCTION, random);
    assertThatThrownBy(() -> responder.readHandshake1(msg1))
        .isInstanceOfSatisfying(
            NoiseException.class,
            e -> assertThat(e.reason()).isEqualTo(NoiseException.Reason.BAD_STATE));
  }
}
