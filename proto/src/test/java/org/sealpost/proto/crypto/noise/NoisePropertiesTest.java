package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * Bad input to every decoder of this package — readHandshake1, readHandshake2,
 * NoiseTransport.decrypt — yields a typed {@link NoiseException}, never another exception, and
 * allocates a bounded amount that does not grow with the input (inputs up to 70 KB, B = 1024).
 */
class NoisePropertiesTest {
  private static final int B = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final X25519KeyPair RELAY = X25519KeyPair.generate(RANDOM::nextBytes);
  private static final Set<NoiseException.Reason> INPUT_REASONS =
      EnumSet.of(
          NoiseException.Reason.BAD_SIZE,
          NoiseException.Reason.DECRYPT_FAILED,
          NoiseException.Reason.BAD_KEY);

  /**
   * Bytes a failing call may allocate: its B-48 or B-16 output array, the exception with its stack
   * trace, and the JDK cipher's per-call objects. A decoder that copied its input (up to 70 KB
   * here) would exceed it.
   */
  static final long ALLOCATION_BOUND = B + 24 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * The first call of each path loads classes and initialises JDK providers (100+ KB once); run
   * every path, failing ones included, before measuring.
   */
  @BeforeContainer
  static void warmUp() {
    for (int i = 0; i < 3; i++) {
      NoiseInitiator client = client();
      NoiseResponder relay = relay();
      byte[] msg1 = client.writeHandshake1(new byte[B - 48]);
      byte[] bad = msg1.clone();
      bad[B - 1] ^= 1;
      swallow(() -> relay().readHandshake1(bad));
      swallow(() -> relay().readHandshake1(new byte[3]));
      relay.readHandshake1(msg1);
      byte[] msg2 = relay.writeHandshake2(new byte[B - 48]);
      client.readHandshake2(msg2);
      byte[] block = client.transport().encrypt(new byte[B - 16]);
      relay.transport().decrypt(ByteBuffer.wrap(block), ByteBuffer.allocate(B - 16));
      byte[] block2 = client.transport().encrypt(new byte[B - 16]);
      block2[0] ^= 1;
      swallow(() -> relay.transport().decrypt(block2));
      swallow(() -> relay.transport().decrypt(block2));
      for (int variant = 0; variant < 3; variant++) {
        NoiseTransport t = session();
        byte[] b = variant == 0 ? new byte[B] : new byte[variant * 7];
        swallow(
            () -> {
              t.decrypt(ByteBuffer.wrap(b), ByteBuffer.allocate(B - 16));
              return t;
            });
        swallow(() -> session().decrypt(b));
      }
    }
  }

  private static void swallow(Supplier<?> call) {
    try {
      call.get();
    } catch (NoiseException expected) {
      // warm-up of the failure path
    }
  }

  /** Random arrays: empty, around B, and far larger than B. */
  @Provide
  Arbitrary<byte[]> anyInput() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
        Arbitraries.bytes().array(byte[].class).ofMinSize(B - 2).ofMaxSize(B + 2),
        Arbitraries.bytes().array(byte[].class).ofMinSize(B).ofMaxSize(B),
        Arbitraries.bytes().array(byte[].class).ofMinSize(2 * B).ofMaxSize(70_000));
  }

  /** A mutation of a valid message: truncate, extend, or flip one bit. */
  record Mutation(int kind, int position, int bit, int extra) {
    byte[] apply(byte[] valid) {
      int pos = Math.floorMod(position, valid.length);
      switch (kind) {
        case 0:
          return Arrays.copyOf(valid, pos);
        case 1:
          return Arrays.copyOf(valid, valid.length + 1 + extra);
        default:
          byte[] m = valid.clone();
          m[pos] ^= (byte) (1 << bit);
          return m;
      }
    }
  }

  @Provide
  Arbitrary<Mutation> mutation() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers(),
            Arbitraries.integers().between(0, 7),
            Arbitraries.integers().between(0, 69_000))
        .as(Mutation::new);
  }

  /** Runs the call, which must fail with a typed input error within the allocation bound. */
  private static void assertTypedFailure(Supplier<?> call, Set<NoiseException.Reason> allowed) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    NoiseException failure = null;
    try {
      call.get();
    } catch (NoiseException e) {
      failure = e;
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(failure).as("a typed NoiseException").isNotNull();
    assertThat(failure.reason()).isIn(allowed);
    assertThat(allocated).as("bytes allocated by the failing call").isLessThan(ALLOCATION_BOUND);
  }

  private static NoiseResponder relay() {
    return new NoiseResponder(RELAY, B, NoiseSuite.PRODUCTION, RANDOM);
  }

  private static NoiseInitiator client() {
    return new NoiseInitiator(RELAY.publicKey(), B, NoiseSuite.PRODUCTION, RANDOM);
  }

  /** The relay's transport of a fresh session whose client encrypted nothing yet. */
  private static NoiseTransport session() {
    NoiseInitiator client = client();
    NoiseResponder relay = relay();
    relay.readHandshake1(client.writeHandshake1(new byte[B - 48]));
    client.readHandshake2(relay.writeHandshake2(new byte[B - 48]));
    return relay.transport();
  }

  @Property(tries = 300)
  void randomHandshake1IsATypedError(@ForAll("anyInput") byte[] input) {
    NoiseResponder relay = relay();
    assertTypedFailure(() -> relay.readHandshake1(input), INPUT_REASONS);
  }

  @Property(tries = 300)
  void mutatedHandshake1IsATypedError(@ForAll("mutation") Mutation mutation) {
    byte[] bad = mutation.apply(client().writeHandshake1(new byte[B - 48]));
    NoiseResponder relay = relay();
    assertTypedFailure(() -> relay.readHandshake1(bad), INPUT_REASONS);
  }

  @Property(tries = 300)
  void randomOrMutatedHandshake2IsATypedError(
      @ForAll("anyInput") byte[] input,
      @ForAll("mutation") Mutation mutation,
      @ForAll boolean mutate) {
    NoiseInitiator client = client();
    NoiseResponder relay = relay();
    relay.readHandshake1(client.writeHandshake1(new byte[B - 48]));
    byte[] valid = relay.writeHandshake2(new byte[B - 48]);
    byte[] bad = mutate ? mutation.apply(valid) : input;
    assertTypedFailure(() -> client.readHandshake2(bad), INPUT_REASONS);
  }

  @Property(tries = 300)
  void randomOrMutatedTransportBlockIsATypedError(
      @ForAll("anyInput") byte[] input,
      @ForAll("mutation") Mutation mutation,
      @ForAll @IntRange(min = 0, max = 3) int variant) {
    NoiseInitiator client = client();
    NoiseResponder relay = relay();
    relay.readHandshake1(client.writeHandshake1(new byte[B - 48]));
    client.readHandshake2(relay.writeHandshake2(new byte[B - 48]));
    byte[] valid = client.transport().encrypt(new byte[B - 16]);
    byte[] bad = variant % 2 == 0 ? mutation.apply(valid) : input;
    NoiseTransport t = relay.transport();
    if (variant < 2) {
      assertTypedFailure(() -> t.decrypt(bad), INPUT_REASONS);
    } else {
      ByteBuffer out = ByteBuffer.allocate(B - 16);
      assertTypedFailure(
          () -> {
            t.decrypt(ByteBuffer.wrap(bad), out);
            return out;
          },
          INPUT_REASONS);
    }
    assertThat(t.isDestroyed()).isTrue();
  }
}
