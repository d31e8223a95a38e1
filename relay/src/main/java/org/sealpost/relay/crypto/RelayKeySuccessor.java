package org.sealpost.relay.crypto;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The relay's announced next static key during a key rotation (protocol §4.2.1).
 *
 * @param key the successor's key pair (owned by the relay, like the current key)
 * @param transitionEnd the UTC date from whose start the old key may be retired
 */
public record RelayKeySuccessor(X25519KeyPair key, LocalDate transitionEnd) {
  public RelayKeySuccessor {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(transitionEnd, "transitionEnd");
  }

  /** {@code RelayHello.transition_end}: the end date's UTC midnight in Unix seconds. */
  public long transitionEndEpochSecond() {
    return transitionEnd.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
  }
}
