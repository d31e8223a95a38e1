package org.sealpost.proto.crypto;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import org.sealpost.proto.crypto.CryptoException.Reason;

/**
 * Replay protection for forwarded requests at the destination relay (protocol.md §9).
 *
 * <p>A request is accepted only if its time {@code t} (minutes since the epoch, inside the sealed
 * request) is within W/2 of the relay's clock, and its ephemeral public key was not accepted
 * before. Accepted keys are remembered for W + 1 minute, which covers every moment at which the
 * same request could still pass the time check (the extra minute absorbs the rounding of {@code t}
 * to whole minutes).
 *
 * <p>Privacy: the guard stores a 128-bit HMAC of each ephemeral key under a key drawn at
 * construction and kept only in memory, never the key itself, and nothing is ever persisted. The
 * guard is bounded: when it holds {@code capacity} live entries it refuses new requests ({@code
 * REPLAY_GUARD_FULL}) rather than forget entries that are still needed.
 *
 * <p>Limits (documented in §9): the memory is lost on restart, so a request captured within W/2
 * before a restart can be replayed once after it; and relays that share one static key (a cluster)
 * must route each request to one guard.
 *
 * <p>Thread-safe.
 */
public final class ReplayGuard {
  /** The default window W. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

  /** The default bound on remembered requests (about 25 MB of heap when full). */
  public static final int DEFAULT_CAPACITY = 1 << 18;

  private static final long MINUTE_MILLIS = 60_000L;

  private final Clock clock;
  private final byte[] hashKey;
  private final long halfWindowMinutes;
  private final long retentionMillis;
  private final int capacity;
  // Insertion order is expiry order while the clock moves forward; if it steps back, later
  // entries merely live longer than needed, which is safe.
  private final LinkedHashMap<Tag, Long> expiries = new LinkedHashMap<>();

  private record Tag(long high, long low) {}

  /** A guard with the default window and capacity. */
  public ReplayGuard(Clock clock, RandomSource random) {
    this(clock, random, DEFAULT_WINDOW, DEFAULT_CAPACITY);
  }

  /**
   * @param window W, a whole number of minutes, at least 2
   * @param capacity the most requests remembered at once, at least 1
   */
  public ReplayGuard(Clock clock, RandomSource random, Duration window, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    long windowMinutes = window.toMinutes();
    if (windowMinutes < 2 || !window.equals(Duration.ofMinutes(windowMinutes))) {
      throw new IllegalArgumentException("replay window must be a whole number of minutes >= 2");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("replay guard capacity must be positive");
    }
    this.hashKey = random.bytes(32);
    this.halfWindowMinutes = windowMinutes / 2;
    this.retentionMillis = (windowMinutes + 1) * MINUTE_MILLIS;
    this.capacity = capacity;
  }

  /**
   * Accepts a request once: checks its time, then records its ephemeral key.
   *
   * @param ephemeralPublicKey {@link ForwardSeal.OpenedRequest#ephemeralPublicKey()}
   * @param requestMinute {@link ForwardSeal.OpenedRequest#timeMinutes()}
   * @throws CryptoException {@code STALE_REQUEST} if the time is more than W/2 away from now,
   *     {@code REPLAYED_REQUEST} if the key was accepted before, {@code REPLAY_GUARD_FULL}
   */
  public void check(byte[] ephemeralPublicKey, long requestMinute) throws CryptoException {
    long nowMillis = clock.millis();
    long nowMinute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
    if (Math.abs(nowMinute - requestMinute) > halfWindowMinutes) {
      throw new CryptoException(
          Reason.STALE_REQUEST, "forwarded request time is outside the replay window");
    }
    Tag tag = tag(ephemeralPublicKey);
    synchronized (this) {
      evictExpired(nowMillis);
      if (expiries.containsKey(tag)) {
        throw new CryptoException(Reason.REPLAYED_REQUEST, "forwarded request was already seen");
      }
      if (expiries.size() >= capacity) {
        throw new CryptoException(Reason.REPLAY_GUARD_FULL, "replay guard is full");
      }
      expiries.put(tag, nowMillis + retentionMillis);
    }
  }

  /** How many requests are remembered now (an aggregate, safe to export as a gauge). */
  public synchronized int size() {
    evictExpired(clock.millis());
    return expiries.size();
  }

  private void evictExpired(long nowMillis) {
    Iterator<Map.Entry<Tag, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext() && it.next().getValue() <= nowMillis) {
      it.remove();
    }
  }

  private Tag tag(byte[] ephemeralPublicKey) {
    Mac mac = Hkdf.hmac(hashKey);
    byte[] digest = mac.doFinal(ephemeralPublicKey);
    ByteBuffer b = ByteBuffer.wrap(digest);
    Tag tag = new Tag(b.getLong(), b.getLong());
    Arrays.fill(digest, (byte) 0);
    return tag;
  }
}
