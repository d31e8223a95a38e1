package org.sealpost.relay.protocol;

import java.util.Locale;

/** The {@code command} tag of {@code sealpost.commands}: a closed set. */
public enum CommandType {
  CREATE_QUEUE,
  SECURE_QUEUE,
  SUBSCRIBE,
  GET,
  DELETE_QUEUE,
  SEND,
  ACK,
  PING,
  COVER,
  FORWARD,
  RELAY_FORWARD,
  /** issue 11: two-hop receive (protocol §11). */
  CIRCUIT_OPEN,
  /** A recipient command refused before its operation was known (bad MAC, malformed). */
  RECIPIENT_COMMAND,
  /** A frame that is no client command: no body, unknown type, or a relay-to-client type. */
  INVALID;

  /** The metric tag value, e.g. {@code create_queue}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
