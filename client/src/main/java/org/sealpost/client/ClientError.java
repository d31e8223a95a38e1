package org.sealpost.client;

/**
 * Why a client operation failed. Closed set: every {@link SealpostException} carries one, so
 * callers (and the {@code sealpost} command) react to the kind of failure without parsing messages.
 */
public enum ClientError {
  /** The relay's host could not be resolved or no TCP connection could be opened to it. */
  UNREACHABLE,
  /** TCP connected but TLS or the WebSocket upgrade on {@code /v1} failed. */
  TRANSPORT,
  /**
   * The Noise handshake failed: the relay refused it or its reply did not authenticate, because it
   * does not hold the static key named in the address (or uses another block size), or something
   * between us answered instead of it.
   */
  HANDSHAKE,
  /** The relay speaks no protocol version this client speaks. */
  VERSION,
  /** The relay sent something this client cannot decode, or broke a protocol rule. */
  PROTOCOL,
  /** The relay refused a command with {@code AUTH}: no such queue, bad MAC or bad send token. */
  AUTH,
  /** The queue is full (the relay answered {@code QUOTA}); the recipient has been told in-band. */
  QUEUE_FULL,
  /** The relay answered {@code RATE}: too many commands at once. */
  RATE_LIMITED,
  /** The relay answered {@code PROHIBITED}: a creation token is needed, or a session limit. */
  PROHIBITED,
  /** The relay answered another error code ({@link SealpostException#relayCode()}). */
  RELAY_ERROR,
  /** A mailbox or relay address that does not parse, or whose keys are unusable. */
  BAD_ADDRESS,
  /** The content does not fit into one sealed envelope of this relay. */
  TOO_LARGE,
  /** An envelope sealed beforehand is not exactly the relay's envelope size E. */
  BAD_ENVELOPE,
  /** A received envelope did not decrypt or open; it is acknowledged and dropped. */
  UNREADABLE_ENVELOPE,
  /**
   * The connection broke after TCP connected — during the TLS or Noise handshake, or before the
   * relay answered a command, which may or may not have run.
   */
  CONNECTION_LOST,
  /** The relay did not answer in time. */
  TIMEOUT,
  /** The connection or client was closed by this side. */
  CLOSED,
  /** The keystore file cannot be read, parsed or written, or its permissions are too open. */
  KEYSTORE,
  // issue 11: two-hop sending
  /**
   * The first relay could not reach the destination relay, or the destination did not answer in
   * time ({@code FORWARD}); the message may or may not have been stored if it timed out.
   */
  FORWARD_UNREACHABLE,
  /**
   * The first relay does not forward ({@code RelayHello.forward_supported} is false, or it answered
   * {@code PROHIBITED}), or it cannot carry requests to the destination (a larger block size).
   */
  FORWARD_REFUSED
}
