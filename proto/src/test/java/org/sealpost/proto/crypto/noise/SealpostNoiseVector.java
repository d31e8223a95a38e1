package org.sealpost.proto.crypto.noise;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.testing.Json;

/**
 * Builds docs/test-vectors/noise-nk-sealpost.json: the production suite with fixed keys, B = 1024,
 * both handshake messages, the handshake hash, the split keys and two transport blocks each way.
 * {@link SealpostNoiseVectorTest} checks the committed file is exactly what this produces; {@code
 * noise-vectors-noble.js} re-derives it with independent libraries. Run {@link #main} to rewrite
 * the file after a deliberate change.
 */
final class SealpostNoiseVector {
  static final int B = 1024;
  static final String FILE_NAME = "noise-nk-sealpost.json";
  private static final HexFormat HEX = HexFormat.of();

  private SealpostNoiseVector() {}

  static Path file() {
    return Path.of("..", "docs", "test-vectors", FILE_NAME);
  }

  public static void main(String[] args) throws Exception {
    Path out = args.length > 0 ? Path.of(args[0]) : file();
    Files.writeString(out, generate(), StandardCharsets.UTF_8);
  }

  /** SHA-256("sealpost/1 noise test vector " ‖ label): a fixed, documented 32-byte input. */
  static byte[] seed(String label) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(("sealpost/1 noise test vector " + label).getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ASCII text followed by zero padding to {@code length} bytes. */
  static byte[] text(String s, int length) {
    return Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), length);
  }

  static String generate() {
    NoiseSuite suite = NoiseSuite.PRODUCTION;
    byte[] relayStatic = seed("relay static");
    byte[] clientEphemeral = seed("client ephemeral");
    byte[] relayEphemeral = seed("relay ephemeral");
    X25519KeyPair relayKeys = X25519KeyPair.fromPrivateKey(relayStatic);
    byte[] payload1 = text("handshake payload 1 (stands in for a ClientHello block)", B - 48);
    byte[] payload2 = text("handshake payload 2 (stands in for a RelayHello block)", B - 48);

    NoiseInitiator client =
        new NoiseInitiator(relayKeys.publicKey(), B, suite, new FixedSecureRandom(clientEphemeral));
    NoiseResponder relay =
        new NoiseResponder(relayKeys, B, suite, new FixedSecureRandom(relayEphemeral));
    byte[] msg1 = client.writeHandshake1(payload1);
    check(relay.readHandshake1(msg1), payload1);
    byte[] msg2 = relay.writeHandshake2(payload2);
    check(client.readHandshake2(msg2), payload2);
    NoiseTransport ct = client.transport();
    NoiseTransport rt = relay.transport();

    // The split keys are not exposed by the session API: derive them with the generic core.
    HandshakeState hs =
        HandshakeState.initialize(
            suite.protocol(),
            true,
            NoiseSession.prologue(B),
            null,
            X25519KeyPair.fromPrivateKey(clientEphemeral),
            relayKeys.publicKey(),
            null,
            null);
    check(hs.writeMessage(payload1), msg1);
    check(hs.readMessage(msg2), payload2);
    check(hs.handshakeHash(), ct.handshakeHash());

    Map<String, Object> v = new LinkedHashMap<>();
    v.put("protocol_name", suite.protocolName());
    v.put("block_size", B);
    v.put("prologue", hex(NoiseSession.prologue(B)));
    v.put("relay_static_private", hex(relayStatic));
    v.put("relay_static_public", hex(relayKeys.publicKey()));
    v.put("client_ephemeral_private", hex(clientEphemeral));
    v.put(
        "client_ephemeral_public", hex(X25519KeyPair.fromPrivateKey(clientEphemeral).publicKey()));
    v.put("relay_ephemeral_private", hex(relayEphemeral));
    v.put("relay_ephemeral_public", hex(X25519KeyPair.fromPrivateKey(relayEphemeral).publicKey()));
    v.put("handshake1_payload", hex(payload1));
    v.put("handshake1", hex(msg1));
    v.put("handshake2_payload", hex(payload2));
    v.put("handshake2", hex(msg2));
    v.put("handshake_hash", hex(ct.handshakeHash()));
    v.put("client_to_relay_key", hex(hs.sendCipher().keyBytes()));
    v.put("relay_to_client_key", hex(hs.receiveCipher().keyBytes()));
    List<Object> transport = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      transport.add(block(ct, rt, "client_to_relay", i));
      transport.add(block(rt, ct, "relay_to_client", i));
    }
    v.put("transport", transport);

    Map<String, Object> root = new LinkedHashMap<>();
    root.put(
        "description",
        "Sealpost Noise session (docs/protocol.md section 2): Noise_NK_25519_AESGCM_SHA256 with"
            + " prologue \"sealpost/1\" || uint32(B), B = 1024, fixed keys. Private keys are"
            + " SHA-256(\"sealpost/1 noise test vector \" || label) for the labels \"relay"
            + " static\", \"client ephemeral\" and \"relay ephemeral\". Payloads are ASCII text"
            + " plus zero padding (B-48 bytes in handshake messages, B-16 in transport blocks);"
            + " they are opaque to Noise. Transport blocks use empty associated data; 'nonce' is"
            + " the Noise counter n of the sending direction. Test keys only.");
    root.put("vectors", List.of(v));
    return Json.write(root);
  }

  private static Map<String, Object> block(
      NoiseTransport sender, NoiseTransport receiver, String direction, int nonce) {
    byte[] plaintext = text("transport block " + nonce + " " + direction.replace('_', ' '), B - 16);
    byte[] ciphertext = sender.encrypt(plaintext);
    check(receiver.decrypt(ciphertext), plaintext);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("direction", direction);
    m.put("nonce", nonce);
    m.put("plaintext", hex(plaintext));
    m.put("ciphertext", hex(ciphertext));
    return m;
  }

  private static void check(byte[] actual, byte[] expected) {
    if (!Arrays.equals(actual, expected)) {
      throw new IllegalStateException("the two sides disagree while building the vector");
    }
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }
}
