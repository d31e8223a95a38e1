package org.sealpost.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.sealpost.proto.crypto.RandomSource;

/**
 * Tuning of a {@link SealpostClient}. Immutable; start from {@link #defaults()} and change what is
 * needed with {@link #toBuilder()}.
 *
 * @param connectTimeout TCP connect, TLS and WebSocket upgrade together
 * @param handshakeTimeout from the WebSocket being open to the relay's RelayHello
 * @param requestTimeout how long a command waits for its reply
 * @param pingInterval keepalive; {@code null} derives it from the relay's idle timeout
 * @param reconnect whether a lost connection that has subscriptions reconnects by itself
 * @param reconnectMinDelay shortest back-off delay after a lost connection: the n-th delay is
 *     uniform in [min, min(max, min × 2ⁿ)] (jitter, so clients that failed together spread out)
 * @param reconnectMaxDelay longest back-off delay
 * @param duplicateMemory envelope IDs remembered to drop duplicate deliveries (at least once)
 * @param coverInterval {@code null} = blocks are sent only when there is something to send (the
 *     default); a duration = constant rate upstream: exactly one block per interval, a cover block
 *     when nothing is due (DESIGN §5)
 * @param random randomness for keys, tokens, envelopes and handshakes
 * @param sendJitter {@code null} = Sends leave at once (the default); a duration = each Send first
 *     waits an independent random delay, uniform in [0, sendJitter] (issue 10)
 * @param loopCover {@code null} = off (the default); a duration = each connection sends cover
 *     envelopes to a queue of its own at random times, exponential gaps of this mean (Loopix-style
 *     loop cover, issue 10), and drops them when they come back
 * @param socks5 {@code null} = connect directly (the default); a proxy = every relay connection
 *     goes through this SOCKS5 proxy, the relay's host resolved by the proxy (issue 12). A {@code
 *     .onion} relay is refused without one.
 * @param isolation how the convenience methods of {@link SealpostClient} spread mailboxes over
 *     sessions (issue 11): {@link Isolation#PER_MAILBOX} (the default) or {@link
 *     Isolation#PER_RELAY}
 * @param ackHold how long an Ack (sent unanswered, protocol §4.5) may wait for company before its
 *     block leaves (issue 13): Acks of pushes that arrive within this time share one block. Held
 *     Acks leave at once when half the relay's window is held, or with any other block; holding
 *     delays only the deletion (and a queue's next push once its window is full), never a message.
 *     Zero sends each Ack at the end of the task that produced it.
 * @param tlsEngine the TLS implementation ({@link ClientTlsEngine#AUTO}, the default: BoringSSL
 *     where netty-tcnative loads, else Bouncy Castle)
 */
public record ClientOptions(
    Duration connectTimeout,
    Duration handshakeTimeout,
    Duration requestTimeout,
    Duration pingInterval,
    boolean reconnect,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    int duplicateMemory,
    Duration coverInterval,
    RandomSource random,
    // issue 10: client-side timing defences
    Duration sendJitter,
    Duration loopCover,
    // issue 12: SOCKS5 (Tor)
    Socks5Proxy socks5,
    // issue 11: transport isolation
    Isolation isolation,
    // issue 13: fewer blocks per message
    Duration ackHold,
    // issue 13: the cheaper TLS engine where it loads
    ClientTlsEngine tlsEngine) {

  public ClientOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(reconnectMinDelay, "reconnectMinDelay");
    Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(isolation, "isolation");
    if (sendJitter != null && sendJitter.isNegative()
        || loopCover != null && (loopCover.isNegative() || loopCover.isZero())) {
      throw new IllegalArgumentException("sendJitter must not be negative, loopCover positive");
    }
    Objects.requireNonNull(ackHold, "ackHold");
    Objects.requireNonNull(tlsEngine, "tlsEngine");
    if (ackHold.isNegative() || ackHold.compareTo(MAX_ACK_HOLD) > 0) {
      throw new IllegalArgumentException("ackHold must be within [0, " + MAX_ACK_HOLD + "]");
    }
    if (duplicateMemory < 1) {
      throw new IllegalArgumentException("duplicateMemory must be at least 1");
    }
  }

  /** The default {@link #ackHold}: one second (issue 13, docs/benchmarks.md). */
  public static final Duration DEFAULT_ACK_HOLD = Duration.ofSeconds(1);

  /** The longest {@link #ackHold}: deletion stays far inside the relay's 60 s bound. */
  public static final Duration MAX_ACK_HOLD = Duration.ofSeconds(10);

  /** 10 s connect and handshake, 30 s per request, reconnect from 250 ms to 30 s. */
  public static ClientOptions defaults() {
    return new ClientOptions(
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        null,
        true,
        Duration.ofMillis(250),
        Duration.ofSeconds(30),
        16_384,
        null,
        RandomSource.secure(),
        null,
        null,
        null,
        Isolation.PER_MAILBOX,
        DEFAULT_ACK_HOLD,
        ClientTlsEngine.AUTO);
  }

  public Optional<Duration> pingIntervalOverride() {
    return Optional.ofNullable(pingInterval);
  }

  public Optional<Duration> coverIntervalSetting() {
    return Optional.ofNullable(coverInterval);
  }

  public Optional<Duration> sendJitterSetting() {
    return Optional.ofNullable(sendJitter);
  }

  public Optional<Duration> loopCoverSetting() {
    return Optional.ofNullable(loopCover);
  }

  /** The SOCKS5 proxy every relay connection goes through, if one is set (issue 12). */
  public Optional<Socks5Proxy> socks5Proxy() {
    return Optional.ofNullable(socks5);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some options; every setter returns the builder. */
  public static final class Builder {
    private Duration connectTimeout;
    private Duration handshakeTimeout;
    private Duration requestTimeout;
    private Duration pingInterval;
    private boolean reconnect;
    private Duration reconnectMinDelay;
    private Duration reconnectMaxDelay;
    private int duplicateMemory;
    private Duration coverInterval;
    private RandomSource random;
    private Duration sendJitter;
    private Duration loopCover;
    private Socks5Proxy socks5;
    private Isolation isolation;
    private Duration ackHold;
    private ClientTlsEngine tlsEngine;

    private Builder(ClientOptions o) {
      connectTimeout = o.connectTimeout;
      handshakeTimeout = o.handshakeTimeout;
      requestTimeout = o.requestTimeout;
      pingInterval = o.pingInterval;
      reconnect = o.reconnect;
      reconnectMinDelay = o.reconnectMinDelay;
      reconnectMaxDelay = o.reconnectMaxDelay;
      duplicateMemory = o.duplicateMemory;
      coverInterval = o.coverInterval;
      random = o.random;
      sendJitter = o.sendJitter;
      loopCover = o.loopCover;
      socks5 = o.socks5;
      isolation = o.isolation;
      ackHold = o.ackHold;
      tlsEngine = o.tlsEngine;
    }

    public Builder connectTimeout(Duration d) {
      connectTimeout = d;
      return this;
    }

    public Builder handshakeTimeout(Duration d) {
      handshakeTimeout = d;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      requestTimeout = d;
      return this;
    }

    /** {@code null} derives the keepalive from the relay's idle timeout. */
    public Builder pingInterval(Duration d) {
      pingInterval = d;
      return this;
    }

    public Builder reconnect(boolean on) {
      reconnect = on;
      return this;
    }

    public Builder reconnectDelays(Duration min, Duration max) {
      reconnectMinDelay = min;
      reconnectMaxDelay = max;
      return this;
    }

    public Builder duplicateMemory(int entries) {
      duplicateMemory = entries;
      return this;
    }

    /** {@code null} (the default) turns constant-rate upstream off. */
    public Builder coverInterval(Duration d) {
      coverInterval = d;
      return this;
    }

    /** {@code null} (the default) sends at once; else a uniform random wait in [0, d] first. */
    public Builder sendJitter(Duration d) {
      sendJitter = d;
      return this;
    }

    /** {@code null} (the default) turns loop cover off; else its mean interval per connection. */
    public Builder loopCover(Duration d) {
      loopCover = d;
      return this;
    }

    /** Connect to every relay through this SOCKS5 proxy; {@code null} connects directly. */
    public Builder socks5(Socks5Proxy proxy) {
      socks5 = proxy;
      return this;
    }

    /** How mailboxes share sessions (issue 11); see {@link Isolation}. */
    public Builder isolation(Isolation i) {
      isolation = i;
      return this;
    }

    /** How long an Ack may wait for company (issue 13); zero sends it at the end of its task. */
    public Builder ackHold(Duration d) {
      ackHold = d;
      return this;
    }

    public Builder tlsEngine(ClientTlsEngine e) {
      tlsEngine = e;
      return this;
    }

    public Builder random(RandomSource r) {
      random = r;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(
          connectTimeout,
          handshakeTimeout,
          requestTimeout,
          pingInterval,
          reconnect,
          reconnectMinDelay,
          reconnectMaxDelay,
          duplicateMemory,
          coverInterval,
          random,
          sendJitter,
          loopCover,
          socks5,
          isolation,
          ackHold,
          tlsEngine);
    }
  }
}
