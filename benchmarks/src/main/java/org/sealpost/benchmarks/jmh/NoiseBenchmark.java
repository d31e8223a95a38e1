package org.sealpost.benchmarks.jmh;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.CipherState;
import org.sealpost.proto.crypto.noise.NoiseCipher;
import org.sealpost.proto.crypto.noise.NoiseHash;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;

/**
 * Noise transport cost for one block of the default size B = 16359 (plaintext 16343 bytes), in
 * operations per second; GB/s = ops/s × 16359 / 10^9 (docs/benchmarks.md).
 *
 * <ul>
 *   <li>{@code encrypt}: {@link NoiseTransport#encrypt(byte[], int, byte[], int)}, no allocation.
 *   <li>{@code decrypt}: the receive path ({@link CipherState#decryptWithAd}, which {@link
 *       NoiseTransport#decrypt(byte[], int, byte[], int)} wraps), with the nonce reset so the same
 *       block authenticates every time.
 *   <li>{@code roundTrip}: client encrypt + relay decrypt through two real transports.
 *   <li>{@code handshake}: one complete handshake, client and relay side, B = 16359 (reported as
 *       throughput like the rest; µs per handshake = 10^6 / ops/s).
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NoiseBenchmark -f 1 -wi 3 -i 5 -w 2s -r
 * 2s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class NoiseBenchmark {
  static final int B = 16359;

  @Param({"AESGCM", "CHACHAPOLY"})
  public String cipher;

  private NoiseSuite suite;
  private X25519KeyPair relayKey;
  private SecureRandom random;
  private byte[] hello;
  private NoiseTransport client;
  private NoiseTransport relay;
  private CipherState receive;
  private byte[] plaintext;
  private byte[] block;
  private byte[] fixedBlock;
  private byte[] out;

  @Setup(Level.Trial)
  public void setUp() {
    random = new SecureRandom();
    suite = new NoiseSuite(NoiseCipher.valueOf(cipher), NoiseHash.SHA256);
    relayKey = X25519KeyPair.generate(random::nextBytes);
    hello = new byte[B - 48];
    NoiseInitiator initiator = new NoiseInitiator(relayKey.publicKey(), B, suite, random);
    NoiseResponder responder = new NoiseResponder(relayKey, B, suite, random);
    responder.readHandshake1(initiator.writeHandshake1(new byte[B - 48]));
    initiator.readHandshake2(responder.writeHandshake2(new byte[B - 48]));
    client = initiator.transport();
    relay = responder.transport();

    plaintext = new byte[B - 16];
    random.nextBytes(plaintext);
    block = new byte[B];
    out = new byte[B - 16];

    byte[] key = new byte[CipherState.KEY_LENGTH];
    random.nextBytes(key);
    CipherState send = new CipherState(NoiseCipher.valueOf(cipher));
    send.initializeKey(key);
    fixedBlock = new byte[B];
    send.encryptWithAd(new byte[0], plaintext, 0, plaintext.length, fixedBlock, 0);
    receive = new CipherState(NoiseCipher.valueOf(cipher));
    receive.initializeKey(key);
  }

  @Benchmark
  public byte[] encrypt() {
    client.encrypt(plaintext, 0, block, 0);
    return block;
  }

  @Benchmark
  public byte[] decrypt() {
    receive.setNonce(0);
    receive.decryptWithAd(new byte[0], fixedBlock, 0, B, out, 0);
    return out;
  }

  @Benchmark
  public byte[] roundTrip() {
    client.encrypt(plaintext, 0, block, 0);
    relay.decrypt(block, 0, out, 0);
    return out;
  }

  @Benchmark
  public NoiseTransport handshake() {
    NoiseInitiator initiator = new NoiseInitiator(relayKey.publicKey(), B, suite, random);
    NoiseResponder responder = new NoiseResponder(relayKey, B, suite, random);
    responder.readHandshake1(initiator.writeHandshake1(hello));
    initiator.readHandshake2(responder.writeHandshake2(hello));
    responder.transport();
    return initiator.transport();
  }
}
