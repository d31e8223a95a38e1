package org.sealpost.proto.crypto.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.HandshakePattern.Token;

/**
 * A Noise HandshakeState (spec rev 34, §5.3) for any {@link HandshakePattern} with DH 25519. This
 * is the generic core; Sealpost sessions use it through {@link NoiseInitiator} and {@link
 * NoiseResponder}.
 *
 * <p>Any failure while reading or writing a message destroys the state: Noise handshakes are not
 * retried. After the last message the state holds two {@link CipherState}s ({@link #sendCipher()},
 * {@link #receiveCipher()}) and the handshake hash. The caller's static key pair is never destroyed
 * by this class (a relay shares it between sessions); ephemeral keys are. Not thread-safe.
 */
public final class HandshakeState {
  /** Noise messages are at most 65535 bytes (spec §3). */
  public static final int MAX_MESSAGE_LENGTH = 65535;

  private static final int DH_LEN = X25519KeyPair.KEY_LENGTH;

  private final NoiseProtocol protocol;
  private final boolean initiator;
  private final SymmetricState symmetric;
  private final X25519KeyPair s;
  private final SecureRandom random;
  private X25519KeyPair e;
  private byte[] rs;
  private byte[] re;
  private int messageIndex;
  private boolean failed;
  private CipherState send;
  private CipherState receive;
  private byte[] handshakeHash;

  private HandshakeState(
      NoiseProtocol protocol,
      boolean initiator,
      X25519KeyPair s,
      X25519KeyPair e,
      byte[] rs,
      byte[] re,
      SecureRandom random) {
    this.protocol = protocol;
    this.initiator = initiator;
    this.symmetric = new SymmetricState(protocol);
    this.s = s;
    this.e = e;
    this.rs = rs == null ? null : checkedKey(rs).clone();
    this.re = re == null ? null : checkedKey(re).clone();
    this.random = random;
  }

  /**
   * Initialize(): sets up a handshake. Keys the pattern's pre-messages need must be given; {@code
   * e} is normally {@code null} (generated from {@code random} when the pattern sends it) and is
   * only fixed for test vectors.
   *
   * @param protocol the protocol
   * @param initiator whether this side sends the first message
   * @param prologue bytes both sides must agree on (copied into h, never sent)
   * @param s this side's static key pair, or {@code null} if the pattern does not use it
   * @param e a fixed ephemeral key pair (tests only), or {@code null}
   * @param rs the peer's static public key if known in advance, or {@code null}
   * @param re the peer's ephemeral public key if known in advance, or {@code null}
   * @param random source of ephemeral keys
   * @throws NoiseException with {@link NoiseException.Reason#BAD_KEY} if a key the pattern needs is
   *     missing or has the wrong length
   */
  public static HandshakeState initialize(
      NoiseProtocol protocol,
      boolean initiator,
      byte[] prologue,
      X25519KeyPair s,
      X25519KeyPair e,
      byte[] rs,
      byte[] re,
      SecureRandom random) {
    HandshakePattern pattern = protocol.pattern();
    boolean needS = initiator ? pattern.initiatorNeedsStatic() : pattern.responderNeedsStatic();
    if (needS && s == null) {
      throw new NoiseException(
          NoiseException.Reason.BAD_KEY, pattern + " needs a local static key pair");
    }
    HandshakeState state = new HandshakeState(protocol, initiator, s, e, rs, re, random);
    byte[] pro = prologue == null ? new byte[0] : prologue;
    state.symmetric.mixHash(pro, 0, pro.length);
    state.mixPremessage(pattern.initiatorPremessage(), initiator);
    state.mixPremessage(pattern.responderPremessage(), !initiator);
    return state;
  }

  private void mixPremessage(List<Token> tokens, boolean local) {
    for (Token t : tokens) {
      byte[] key;
      if (t == Token.S) {
        key = local ? s.publicKey() : rs;
      } else if (t == Token.E) {
        key = local ? (e == null ? null : e.publicKey()) : re;
      } else {
        throw new AssertionError(t);
      }
      if (key == null) {
        throw new NoiseException(
            NoiseException.Reason.BAD_KEY,
            protocol.pattern() + " needs a pre-message " + t + " key");
      }
      symmetric.mixHash(key, 0, key.length);
    }
  }

  /** The protocol of this handshake. */
  public NoiseProtocol protocol() {
    return protocol;
  }

  /** Whether this side is the initiator. */
  public boolean isInitiator() {
    return initiator;
  }

  /** True once the last handshake message was written or read. */
  public boolean isComplete() {
    return send != null;
  }

  /** True if the next message is ours to write. */
  public boolean isMyTurn() {
    return !isComplete() && ((messageIndex % 2 == 0) == initiator);
  }

  /** The exact length of the next message when it carries {@code payloadLength} bytes. */
  public int messageLength(int payloadLength) {
    List<Token> tokens = currentTokens();
    boolean k = symmetric.hasKey();
    int len = 0;
    for (Token t : tokens) {
      if (t == Token.E) {
        len += DH_LEN;
      } else if (t == Token.S) {
        len += DH_LEN + (k ? CipherState.TAG_LENGTH : 0);
      } else {
        k = true;
      }
    }
    return len + payloadLength + (k ? CipherState.TAG_LENGTH : 0);
  }

  /**
   * WriteMessage(payload): writes the next handshake message at {@code outOff}.
   *
   * @return the number of bytes written, {@link #messageLength(int)} of {@code len}
   */
  public int writeMessage(byte[] payload, int off, int len, byte[] out, int outOff) {
    checkUsable();
    if (!isMyTurn()) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "not this side's turn to write");
    }
    int total = messageLength(len);
    if (total > MAX_MESSAGE_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "message exceeds 65535 bytes");
    }
    if (payload == null || off < 0 || len < 0 || off > payload.length - len) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "payload range out of bounds");
    }
    if (out == null || outOff < 0 || outOff > out.length - total) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "output buffer too small");
    }
    try {
      int pos = outOff;
      for (Token t : currentTokens()) {
        switch (t) {
          case E:
            if (e == null) {
              if (random == null) {
                throw new NoiseException(
                    NoiseException.Reason.BAD_STATE, "no random source for the ephemeral key");
              }
              e = X25519KeyPair.generate(random::nextBytes);
            }
            System.arraycopy(e.publicKey(), 0, out, pos, DH_LEN);
            symmetric.mixHash(out, pos, DH_LEN);
            pos += DH_LEN;
            break;
          case S:
            pos += symmetric.encryptAndHash(s.publicKey(), 0, DH_LEN, out, pos);
            break;
          default:
            mixDh(t);
        }
      }
      pos += symmetric.encryptAndHash(payload, off, len, out, pos);
      advance();
      return pos - outOff;
    } catch (NoiseException ex) {
      fail();
      throw ex;
    }
  }

  /** WriteMessage(payload) into a new array of exactly the message's length. */
  public byte[] writeMessage(byte[] payload) {
    checkUsable();
    byte[] p = payload == null ? new byte[0] : payload;
    byte[] out = new byte[messageLength(p.length)];
    writeMessage(p, 0, p.length, out, 0);
    return out;
  }

  /**
   * ReadMessage(message): processes {@code len} bytes of {@code msg} and writes the payload at
   * {@code outOff}.
   *
   * @return the payload length
   * @throws NoiseException BAD_SIZE if the message is too short or the output too small,
   *     DECRYPT_FAILED if authentication fails, BAD_KEY for an all-zero DH result
   */
  public int readMessage(byte[] msg, int off, int len, byte[] payloadOut, int outOff) {
    checkUsable();
    if (isComplete() || isMyTurn()) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "not this side's turn to read");
    }
    try {
      if (msg == null || off < 0 || len < 0 || off > msg.length - len) {
        throw new NoiseException(NoiseException.Reason.BAD_SIZE, "message range out of bounds");
      }
      if (len > MAX_MESSAGE_LENGTH) {
        throw new NoiseException(NoiseException.Reason.BAD_SIZE, "message exceeds 65535 bytes");
      }
      int pos = off;
      int end = off + len;
      for (Token t : currentTokens()) {
        switch (t) {
          case E:
            requireBytes(end - pos, DH_LEN);
            re = Arrays.copyOfRange(msg, pos, pos + DH_LEN);
            symmetric.mixHash(re, 0, DH_LEN);
            pos += DH_LEN;
            break;
          case S:
            int sLen = DH_LEN + (symmetric.hasKey() ? CipherState.TAG_LENGTH : 0);
            requireBytes(end - pos, sLen);
            byte[] remoteStatic = new byte[DH_LEN];
            symmetric.decryptAndHash(msg, pos, sLen, remoteStatic, 0);
            rs = remoteStatic;
            pos += sLen;
            break;
          default:
            mixDh(t);
        }
      }
      int payloadLen = symmetric.decryptAndHash(msg, pos, end - pos, payloadOut, outOff);
      advance();
      return payloadLen;
    } catch (NoiseException ex) {
      fail();
      throw ex;
    }
  }

  /** ReadMessage(message) into a new payload array. */
  public byte[] readMessage(byte[] msg) {
    checkUsable();
    if (msg == null) {
      fail();
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "no message");
    }
    byte[] out = new byte[Math.min(msg.length, MAX_MESSAGE_LENGTH)];
    int n = readMessage(msg, 0, msg.length, out, 0);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** The handshake hash h: after completion, the final h (HASHLEN bytes, a copy). */
  public byte[] handshakeHash() {
    checkUsable();
    return handshakeHash != null ? handshakeHash.clone() : symmetric.handshakeHash();
  }

  /** The peer's static public key if known (a copy), else {@code null}. */
  public byte[] remoteStaticKey() {
    return rs == null ? null : rs.clone();
  }

  /** After completion: the cipher state for messages this side sends. */
  public CipherState sendCipher() {
    requireComplete();
    return send;
  }

  /** After completion: the cipher state for messages this side receives. */
  public CipherState receiveCipher() {
    requireComplete();
    return receive;
  }

  /**
   * Zeroes the handshake secrets and the ephemeral private key; after completion the split cipher
   * states are NOT destroyed (they belong to whoever took them). The static key pair is untouched.
   */
  public void destroy() {
    if (!failed) {
      symmetric.destroy();
      if (e != null) {
        e.destroy();
      }
      if (handshakeHash != null) {
        Arrays.fill(handshakeHash, (byte) 0);
      }
    }
    failed = true;
  }

  private void mixDh(Token t) {
    byte[] out = new byte[DH_LEN];
    try {
      switch (t) {
        case EE:
          requireKey(e, re);
          dh(e, re, out);
          break;
        case ES:
          if (initiator) {
            requireKey(e, rs);
            dh(e, rs, out);
          } else {
            requireKey(s, re);
            dh(s, re, out);
          }
          break;
        case SE:
          if (initiator) {
            requireKey(s, re);
            dh(s, re, out);
          } else {
            requireKey(e, rs);
            dh(e, rs, out);
          }
          break;
        case SS:
          requireKey(s, rs);
          dh(s, rs, out);
          break;
        default:
          throw new AssertionError(t);
      }
      symmetric.mixKey(out);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * DH(local, remote) into {@code out}, with the Noise layer's exceptions: BAD_KEY for a wrong
   * length or an all-zero result (a low-order point, RFC 7748 §6.1: a "shared secret" known to
   * everyone), BAD_STATE for a destroyed key pair.
   */
  static void dh(X25519KeyPair local, byte[] remote, byte[] out) {
    if (remote == null || remote.length != DH_LEN) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "public keys are 32 bytes");
    }
    boolean nonZero;
    try {
      nonZero = local.agreeInto(remote, out);
    } catch (IllegalStateException destroyed) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "key pair was destroyed");
    }
    if (!nonZero) {
      throw new NoiseException(
          NoiseException.Reason.BAD_KEY, "Diffie-Hellman result is all zero (low-order point)");
    }
  }

  private static void requireKey(X25519KeyPair local, byte[] remote) {
    if (local == null || remote == null) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "a key the pattern needs is missing");
    }
  }

  private void advance() {
    messageIndex++;
    if (messageIndex == protocol.pattern().messages().size()) {
      CipherState[] split = symmetric.split();
      send = initiator ? split[0] : split[1];
      receive = initiator ? split[1] : split[0];
      handshakeHash = symmetric.handshakeHash();
      symmetric.destroy();
      if (e != null) {
        e.destroy();
      }
    }
  }

  private List<Token> currentTokens() {
    if (isComplete()) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "handshake already complete");
    }
    return protocol.pattern().messages().get(messageIndex);
  }

  private void checkUsable() {
    if (failed) {
      throw new NoiseException(
          NoiseException.Reason.BAD_STATE, "handshake state failed or was destroyed");
    }
  }

  private void requireComplete() {
    checkUsable();
    if (!isComplete()) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "handshake not complete");
    }
  }

  private void fail() {
    destroy();
  }

  private static void requireBytes(int available, int needed) {
    if (available < needed) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "handshake message too short");
    }
  }

  private static byte[] checkedKey(byte[] key) {
    if (key.length != DH_LEN) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "public keys are 32 bytes");
    }
    return key;
  }
}
