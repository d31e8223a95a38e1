package org.sealpost.client;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;

/**
 * A relay announced a successor of its static key (protocol §4.2.1) in a session made with the key
 * the client pinned, so the announcement is as trustworthy as that key. The library connects with
 * the successor from then on; an application updates every address it stores with {@link
 * #apply(RelayAddress)}, {@link #apply(MailboxAddress)} and {@link #apply(Mailbox)}. Addresses are
 * matched by relay key alone, so an alias of the relay (another host name, an onion address) is
 * updated too. {@link #toString()} names no key.
 *
 * @param previous the address the client connected with
 * @param successor the same address under the successor key
 * @param transitionEnd the relay serves the previous key at least until then
 */
public record RelayKeyChange(RelayAddress previous, RelayAddress successor, Instant transitionEnd) {
  public RelayKeyChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(successor, "successor");
    Objects.requireNonNull(transitionEnd, "transitionEnd");
  }

  /** Whether {@code address} pins the previous key. */
  public boolean applies(RelayAddress address) {
    return MessageDigest.isEqual(address.relayKey(), previous.relayKey());
  }

  /** {@code address} under the successor key if it pins the previous key, else unchanged. */
  public RelayAddress apply(RelayAddress address) {
    return applies(address) ? address.withRelayKey(successor.relayKey()) : address;
  }

  /** {@code address} on the relay under the successor key (a new checksum), else unchanged. */
  public MailboxAddress apply(MailboxAddress address) {
    return applies(address.relay()) ? address.withRelay(apply(address.relay())) : address;
  }

  /** {@code mailbox} on its relay under the successor key, else unchanged. */
  public Mailbox apply(Mailbox mailbox) {
    return applies(mailbox.relay()) ? mailbox.withRelay(apply(mailbox.relay())) : mailbox;
  }

  @Override
  public String toString() {
    return "RelayKeyChange[" + previous + " until " + transitionEnd + "]";
  }
}
