package org.sealpost.benchmarks.jmh;

import java.security.SecureRandom;
import java.util.List;
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
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.RotatingResponder;

/**
 * issue 12: the relay's read of handshake message 1 (B = 16359) during a relay-key rotation, with
 * {@link RotatingResponder} as {@code HandshakeStage} uses it, in µs per message 1.
 *
 * <ul>
 *   <li>{@code keys = 1}: no rotation (the current key only); {@code clientKey = current}.
 *   <li>{@code keys = 2}: a rotation; {@code clientKey} = the key the client's message 1 was made
 *       for. The two rows of a transition should not differ beyond noise: both try both keys.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KeyRotationBenchmark -f 1 -wi 3 -i 5 -w
 * 2s -r 2s}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class KeyRotationBenchmark {
  static final int B = 16359;

  @Param({"1", "2"})
  public int keys;

  @Param({"current", "successor"})
  public String clientKey;

  private SecureRandom random;
  private List<X25519KeyPair> served;
  private byte[] message1;

  @Setup(Level.Trial)
  public void setUp() {
    random = new SecureRandom();
    X25519KeyPair current = X25519KeyPair.generate(random::nextBytes);
    X25519KeyPair successor = X25519KeyPair.generate(random::nextBytes);
    served = keys == 1 ? List.of(current) : List.of(current, successor);
    X25519KeyPair pinned = clientKey.equals("current") ? current : successor;
    message1 =
        new NoiseInitiator(pinned.publicKey(), B, NoiseSuite.PRODUCTION, random)
            .writeHandshake1(new byte[B - 48]);
  }

  @Benchmark
  public Object readMessage1() {
    RotatingResponder.Accepted a =
        RotatingResponder.read(served, message1, B, NoiseSuite.PRODUCTION, random);
    if (a != null) {
      a.responder().destroy();
    }
    return a;
  }
}
