package org.sealpost.relay.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Two-hop sending (protocol §4.7, §9; issue 11): whether the relay forwards, and the bounds that
 * keep a forwarding relay from becoming an amplifier or a scanner. {@link Setting} documents each.
 *
 * @param enabled Forward and RelayForward are accepted ({@code RelayHello.forward_supported})
 * @param privateDestinations Forward may name loopback, private and link-local addresses
 * @param sessionsPerDestination relay-to-relay sessions to one destination
 * @param maxDestinations destinations with sessions at once, relay-wide
 * @param destinationsPerConnection different destinations one client connection may use
 * @param ratePerSecond Forward commands per second per connection (burst: twice as many)
 * @param connectTimeout connect and handshake deadline; also how long a failed destination rests
 * @param replyTimeout deadline of one forwarded request, from Forward to reply
 */
public record ForwardSettings(
    boolean enabled,
    boolean privateDestinations,
    int sessionsPerDestination,
    int maxDestinations,
    int destinationsPerConnection,
    double ratePerSecond,
    Duration connectTimeout,
    Duration replyTimeout) {

  public ForwardSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(replyTimeout, "replyTimeout");
    if (sessionsPerDestination < 1
        || maxDestinations < 1
        || destinationsPerConnection < 1
        || !(ratePerSecond > 0)
        || connectTimeout.isNegative()
        || connectTimeout.isZero()
        || replyTimeout.isNegative()
        || replyTimeout.isZero()) {
      throw new IllegalArgumentException("forward limits must be positive");
    }
  }

  /** Forwarding off (every other value is a valid default that is never used). */
  public static ForwardSettings disabled() {
    return new ForwardSettings(
        false, false, 1, 1, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** The burst of the per-connection Forward rate. */
  public int burst() {
    return (int) Math.max(1, Math.ceil(2 * ratePerSecond));
  }
}
