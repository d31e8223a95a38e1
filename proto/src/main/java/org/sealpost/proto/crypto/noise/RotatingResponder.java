package org.sealpost.proto.crypto.noise;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * issue 12: reads handshake message 1 for a relay that serves several static keys during a key
 * rotation (protocol §4.2.1). Every key is tried, whichever succeeds — one DH and one AEAD
 * decryption each — so that the time taken does not depend on the key the client used.
 *
 * <pre>{@code
 * RotatingResponder.Accepted a = RotatingResponder.read(List.of(current, successor), msg1, b,
 *     NoiseSuite.PRODUCTION, random);
 * if (a == null) close();                     // no key reads it (§2.6)
 * byte[] msg2 = a.responder().writeHandshake2(relayHello(a.keyIndex()));
 * }</pre>
 */
public final class RotatingResponder {
  /**
   * The handshake that message 1 was made for.
   *
   * @param keyIndex the index in the key list
   * @param responder its responder, ready for message 2 (the caller owns it)
   * @param payload the B - 48 byte payload of message 1
   */
  public record Accepted(int keyIndex, NoiseResponder responder, byte[] payload) {}

  private RotatingResponder() {}

  /**
   * Reads message 1 under every key.
   *
   * @param keys the relay's static keys (borrowed), at least one
   * @return the accepted handshake, or null if the message authenticates under none (every
   *     responder destroyed)
   * @throws NoiseException BAD_SIZE for a bad B
   */
  public static Accepted read(
      List<X25519KeyPair> keys,
      byte[] message1,
      int blockSize,
      NoiseSuite suite,
      SecureRandom random) {
    if (Objects.requireNonNull(keys, "keys").isEmpty()) {
      throw new IllegalArgumentException("at least one key");
    }
    Accepted accepted = null;
    for (int i = 0; i < keys.size(); i++) {
      NoiseResponder responder = new NoiseResponder(keys.get(i), blockSize, suite, random);
      byte[] payload;
      try {
        payload = responder.readHandshake1(message1);
      } catch (NoiseException e) {
        responder.destroy(); // idempotent: a failed read already zeroed it
        continue;
      }
      if (accepted == null) {
        accepted = new Accepted(i, responder, payload);
      } else {
        responder.destroy(); // two keys cannot both authenticate one message (§4.2.1)
      }
    }
    return accepted;
  }
}
