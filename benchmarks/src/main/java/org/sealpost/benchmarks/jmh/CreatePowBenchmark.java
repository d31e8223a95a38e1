package org.sealpost.benchmarks.jmh;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sealpost.proto.pow.CreatePow;

/**
 * The client's cost of CreateQueue's proof of work (issue 12, protocol §4.3.1): {@code solve} finds
 * a nonce for a fresh random queue key at {@code bits} (2^bits hashes on average, geometrically
 * spread, so many operations are needed for a stable mean), and {@code check} is one hash — the
 * relay's whole cost, and the client's cost per attempt, from which any difficulty extrapolates.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CreatePowBenchmark -f 1 -wi 2 -i 5 -w
 * 2s -r 4s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CreatePowBenchmark {
  /** A fresh session hash and queue key for every solve, as a client meets them. */
  @State(Scope.Thread)
  public static class Fresh {
    @Param({"8", "12", "16"})
    public int bits;

    private final SecureRandom random = new SecureRandom();
    final byte[] h = new byte[32];
    final byte[] queueKey = new byte[32];

    @Setup(Level.Invocation)
    public void next() {
      random.nextBytes(h);
      random.nextBytes(queueKey);
    }
  }

  private final byte[] h = new byte[32];
  private final byte[] queueKey = new byte[32];
  private final byte[] nonce = new byte[CreatePow.NONCE_BYTES];

  @Benchmark
  public byte[] solve(Fresh f) {
    return CreatePow.solve(f.h, f.queueKey, f.bits, 0);
  }

  @Benchmark
  public boolean check() {
    return CreatePow.verify(h, queueKey, nonce, CreatePow.MAX_BITS);
  }
}
