package org.sealpost.relay;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.crypto.noise.RotatingResponder;

/**
 * Runs the relay's cryptographic kernels — X25519, HKDF and AES-GCM over whole blocks — before it
 * listens, on keys made for the purpose and thrown away, so that the JIT has compiled them before
 * the first client arrives.
 *
 * <p>Why (issue 13, W5): after a restart every client reconnects at once. In a fresh JVM the
 * storm's first thousands of handshakes ran Bouncy Castle's X25519 field arithmetic and the JDK's
 * GHASH and counter mode in the interpreter and in C1 code, whose AES-GCM has no intrinsics, while
 * those methods waited in a C2 queue that the storm itself kept full; a third of the relay's Java
 * samples in the storm were X25519 and a fifth AES-GCM (docs/benchmarks.md, "Warming the crypto
 * before listening"). Here the same methods run, alone, for a bounded time before the listener
 * opens.
 *
 * <p>Nothing of it leaves this class: no key, no ciphertext, no store access, no log line. It runs
 * while the relay opens its files and store, and the listener binds only after it ({@link
 * RelayServer}). It is also a self-test: a handshake that does not complete fails the start (exit
 * 3) rather than let the relay listen with cryptography that cannot serve a client.
 */
final class CryptoWarmup {
  /** Handshakes run at most; measured as enough for C2 to compile the kernels on 2 vCPUs. */
  static final int HANDSHAKES = 400;

  /** Transport blocks each way per handshake: AES-GCM over B bytes dominates a session's blocks. */
  static final int BLOCKS_PER_HANDSHAKE = 4;

  /** Upper bound on the time spent, whatever the machine. */
  static final Duration BOUND = Duration.ofSeconds(3);

  /**
   * What one run did.
   *
   * @param handshakes handshakes completed
   * @param elapsed time taken
   */
  record Result(int handshakes, Duration elapsed) {}

  private CryptoWarmup() {}

  /**
   * Runs up to {@link #HANDSHAKES} handshakes at block size {@code blockSize}, within {@link
   * #BOUND}, on a daemon thread of its own, beside the store's opening. The stage fails with a
   * {@link RelayStartupException} ({@link StartupError#CRYPTO_SELF_TEST}) if a handshake fails.
   */
  static CompletionStage<Result> inBackground(int blockSize) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                done.complete(run(blockSize, HANDSHAKES, BOUND));
              } catch (RuntimeException e) {
                // the relay's own handshake failed on keys it just made: it could not serve either
                done.completeExceptionally(
                    new RelayStartupException(
                        StartupError.CRYPTO_SELF_TEST,
                        "the cryptographic self-test failed: " + e.getMessage(),
                        e));
              }
            },
            "sealpost-crypto-warmup");
    t.setDaemon(true); // a start that fails early does not wait for it
    t.start();
    return done;
  }

  static Result run(int blockSize, int handshakes, Duration bound) {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    SecureRandom random = new SecureRandom();
    X25519KeyPair relayKey = X25519KeyPair.generate(RandomSource.of(random));
    byte[] relayPublic = relayKey.publicKey();
    int done = 0;
    try {
      while (done < handshakes && System.nanoTime() < deadline) {
        handshake(relayKey, relayPublic, blockSize, random);
        done++;
      }
    } finally {
      relayKey.destroy();
    }
    return new Result(done, Duration.ofNanos(System.nanoTime() - start));
  }

  /** One NK handshake through the relay's own responder path, then blocks both ways. */
  private static void handshake(
      X25519KeyPair relayKey, byte[] relayPublic, int blockSize, SecureRandom random) {
    NoiseInitiator client =
        new NoiseInitiator(relayPublic, blockSize, NoiseSuite.PRODUCTION, random);
    RotatingResponder.Accepted relay = null;
    try {
      byte[] payload = new byte[client.handshakePayloadSize()];
      relay =
          RotatingResponder.read(
              List.of(relayKey),
              client.writeHandshake1(payload),
              blockSize,
              NoiseSuite.PRODUCTION,
              random);
      if (relay == null) {
        throw new IllegalStateException("crypto warm-up: a handshake did not authenticate");
      }
      client.readHandshake2(relay.responder().writeHandshake2(payload));
      NoiseTransport out = relay.responder().transport();
      NoiseTransport in = client.transport();
      byte[] plain = new byte[out.plaintextSize()];
      for (int i = 0; i < BLOCKS_PER_HANDSHAKE; i++) {
        in.decrypt(out.encrypt(plain));
        out.decrypt(in.encrypt(plain));
      }
    } finally {
      client.destroy();
      if (relay != null) {
        relay.responder().destroy();
      }
    }
  }
}
