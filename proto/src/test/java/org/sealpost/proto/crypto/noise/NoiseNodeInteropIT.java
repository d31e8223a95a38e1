package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * Our Noise NK session against an independent implementation: the npm package noise-protocol
 * (libsodium) in a real Node.js child process (src/test/node/noise-peer.js), suite
 * Noise_NK_25519_ChaChaPoly_BLAKE2b, Sealpost prologue, B-padded handshake payloads, B = 1024. Both
 * roles, transport blocks in both directions. Fails (never skips) without node.
 */
class NoiseNodeInteropIT {
  private static final int B = 1024;
  private static final int ROUNDS = 3;
  private static final NoiseSuite SUITE = NoiseSuite.parse("Noise_NK_25519_ChaChaPoly_BLAKE2b");
  private static final HexFormat HEX = HexFormat.of();
  private final SecureRandom random = new SecureRandom();

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void nodeInitiatorCompletesHandshakeAndTransportWithOurResponder() {
    X25519KeyPair relayKey = X25519KeyPair.generate(random::nextBytes);
    try (NodeProcess node =
        NodeProcess.start(
            "noise-peer.js", "initiator", "" + B, HEX.formatHex(relayKey.publicKey()))) {
      NoiseResponder relay = new NoiseResponder(relayKey, B, SUITE, random);
      String[] hs1 = node.read("hs1");
      assertThat(relay.readHandshake1(HEX.parseHex(hs1[1]))).isEqualTo(HEX.parseHex(hs1[2]));
      byte[] payload2 = randomBytes(B - 48);
      node.writeLine(
          "hs2 " + HEX.formatHex(relay.writeHandshake2(payload2)) + " " + HEX.formatHex(payload2));
      NoiseTransport t = relay.transport();
      for (int i = 0; i < ROUNDS; i++) {
        receiveBlock(node, t);
        sendBlock(node, t);
      }
      assertThat(node.read("done")[1]).isEqualTo("" + ROUNDS);
      assertThat(node.exitCode()).as(node.diagnostics()).isZero();
    }
  }

  @Test
  void nodeResponderCompletesHandshakeAndTransportWithOurInitiator() {
    try (NodeProcess node = NodeProcess.start("noise-peer.js", "responder", "" + B)) {
      byte[] relayKey = HEX.parseHex(node.read("pub")[1]);
      NoiseInitiator client = new NoiseInitiator(relayKey, B, SUITE, random);
      byte[] payload1 = randomBytes(B - 48);
      node.writeLine(
          "hs1 " + HEX.formatHex(client.writeHandshake1(payload1)) + " " + HEX.formatHex(payload1));
      String[] hs2 = node.read("hs2");
      assertThat(client.readHandshake2(HEX.parseHex(hs2[1]))).isEqualTo(HEX.parseHex(hs2[2]));
      NoiseTransport t = client.transport();
      for (int i = 0; i < ROUNDS; i++) {
        sendBlock(node, t);
        receiveBlock(node, t);
      }
      assertThat(node.read("done")[1]).isEqualTo("" + ROUNDS);
      assertThat(node.exitCode()).as(node.diagnostics()).isZero();
    }
  }

  /** The peer really checks: a handshake for another block size (prologue) is refused. */
  @Test
  void nodeResponderRejectsAHandshakeWithAnotherPrologue() {
    try (NodeProcess node = NodeProcess.start("noise-peer.js", "responder", "" + B)) {
      byte[] relayKey = HEX.parseHex(node.read("pub")[1]);
      // Same message length B, but the prologue says B + 1: only the prologue differs.
      HandshakeState other =
          HandshakeState.initialize(
              SUITE.protocol(),
              true,
              NoiseSession.prologue(B + 1),
              null,
              null,
              relayKey,
              null,
              random);
      byte[] payload1 = randomBytes(B - 48);
      node.writeLine(
          "hs1 " + HEX.formatHex(other.writeMessage(payload1)) + " " + HEX.formatHex(payload1));
      assertThat(node.read("fail")[1]).startsWith("hs1_rejected");
      assertThat(node.exitCode()).isEqualTo(1);
    }
  }

  private void sendBlock(NodeProcess node, NoiseTransport t) {
    byte[] plaintext = randomBytes(B - 16);
    node.writeLine("t " + HEX.formatHex(t.encrypt(plaintext)) + " " + HEX.formatHex(plaintext));
  }

  private static void receiveBlock(NodeProcess node, NoiseTransport t) {
    String[] blk = node.read("t");
    byte[] block = HEX.parseHex(blk[1]);
    assertThat(block).hasSize(B);
    assertThat(t.decrypt(block)).isEqualTo(HEX.parseHex(blk[2]));
  }
}
