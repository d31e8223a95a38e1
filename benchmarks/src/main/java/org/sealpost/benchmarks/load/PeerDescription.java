package org.sealpost.benchmarks.load;

import java.util.Objects;

/**
 * What the report says about a peer.
 *
 * @param name short name, e.g. {@code nats}
 * @param version version of the server as installed
 * @param accepted what a completed {@link PeerSender#send} means
 * @param durability how the peer was configured to persist messages
 */
public record PeerDescription(String name, String version, String accepted, String durability) {
  public PeerDescription {
    Objects.requireNonNull(name);
    Objects.requireNonNull(version);
    Objects.requireNonNull(accepted);
    Objects.requireNonNull(durability);
  }
}
