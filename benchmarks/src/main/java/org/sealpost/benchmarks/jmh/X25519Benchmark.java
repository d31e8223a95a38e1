package org.sealpost.benchmarks.jmh;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * X25519 implementations side by side (issue 13: a session's CPU is mostly X25519): Bouncy Castle's
 * {@code rfc7748.X25519} as the protocol code uses it, against the JDK's XDH provider ({@code
 * KeyAgreement "X25519"}, SunEC), for the two operations a Noise NK handshake and a CreateQueue
 * need — a key agreement with a peer's public key, and deriving a public key from a fresh private
 * key.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar X25519Benchmark -f 1 -wi 3 -i 5 -w 2s
 * -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class X25519Benchmark {
  private final SecureRandom random = new SecureRandom();
  private final byte[] bcPrivate = new byte[X25519.SCALAR_SIZE];
  private final byte[] bcPeerPublic = new byte[X25519.POINT_SIZE];
  private final byte[] bcOut = new byte[X25519.POINT_SIZE];

  private PrivateKey jdkPrivate;
  private PublicKey jdkPeerPublic;
  private KeyPairGenerator jdkGenerator;
  private KeyAgreement jdkAgreement;
  private KeyFactory jdkKeys;
  private byte[] peerPublicRaw;

  @Setup
  public void setUp() throws GeneralSecurityException {
    X25519.generatePrivateKey(random, bcPrivate);
    byte[] peerPrivate = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, peerPrivate);
    X25519.scalarMultBase(peerPrivate, 0, bcPeerPublic, 0);
    peerPublicRaw = bcPeerPublic.clone();

    jdkGenerator = KeyPairGenerator.getInstance("X25519");
    KeyPair mine = jdkGenerator.generateKeyPair();
    jdkPrivate = mine.getPrivate();
    jdkKeys = KeyFactory.getInstance("X25519");
    jdkPeerPublic = jdkKeys.generatePublic(publicSpec(peerPublicRaw));
    jdkAgreement = KeyAgreement.getInstance("X25519");
  }

  /** The raw little-endian u-coordinate as the JDK's public key spec (RFC 7748 §5). */
  private static XECPublicKeySpec publicSpec(byte[] raw) {
    byte[] bigEndian = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      bigEndian[i] = raw[raw.length - 1 - i];
    }
    bigEndian[0] &= 0x7f; // mask the high bit, as RFC 7748 asks
    return new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian));
  }

  /** Bouncy Castle: one Diffie-Hellman with a peer's public key. */
  @Benchmark
  public byte[] bcAgreement() {
    X25519.scalarMult(bcPrivate, 0, bcPeerPublic, 0, bcOut, 0);
    return bcOut;
  }

  /** Bouncy Castle: the public key of a private key (a fresh ephemeral key). */
  @Benchmark
  public byte[] bcPublicKey() {
    X25519.scalarMultBase(bcPrivate, 0, bcOut, 0);
    return bcOut;
  }

  /** JDK XDH: one Diffie-Hellman with a peer's public key, already parsed. */
  @Benchmark
  public byte[] jdkAgreement() throws GeneralSecurityException {
    jdkAgreement.init(jdkPrivate);
    jdkAgreement.doPhase(jdkPeerPublic, true);
    return jdkAgreement.generateSecret();
  }

  /** JDK XDH: the same, parsing the peer's 32 raw bytes first, as a handshake must. */
  @Benchmark
  public byte[] jdkAgreementFromRawKey() throws GeneralSecurityException {
    PublicKey peer = jdkKeys.generatePublic(publicSpec(peerPublicRaw));
    jdkAgreement.init(jdkPrivate);
    jdkAgreement.doPhase(peer, true);
    return jdkAgreement.generateSecret();
  }

  /** JDK XDH: a fresh key pair (private key and its public key). */
  @Benchmark
  public KeyPair jdkKeyPair() {
    return jdkGenerator.generateKeyPair();
  }
}
