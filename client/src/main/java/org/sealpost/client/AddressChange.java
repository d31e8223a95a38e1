package org.sealpost.client;

import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.crypto.AddressChangeNotice;
import org.sealpost.proto.crypto.CryptoException;

/**
 * issue 11: the "address changed" notice of a moved mailbox (protocol.md §7.4), made by the
 * recipient who moved and read by each contact. The notice is ordinary content: send it with {@link
 * SealpostClient#send} (or {@link SealpostClient#notifyAddressChange}) to the contact's mailbox, so
 * no relay can tell it from any other message.
 *
 * <p>A notice read with {@link #read(ReceivedMessage)} is verified: its author holds the old
 * mailbox's sealing key, and it was made for the mailbox it arrived in. The contact still decides
 * which of the addresses it writes to it {@link #replaces(MailboxAddress) replaces}.
 */
public final class AddressChange {
  private final byte[] oldSenderId;
  private final byte[] oldSealingKey;
  private final MailboxAddress newAddress;

  private AddressChange(byte[] oldSenderId, byte[] oldSealingKey, MailboxAddress newAddress) {
    this.oldSenderId = oldSenderId;
    this.oldSealingKey = oldSealingKey;
    this.newAddress = newAddress;
  }

  /**
   * The content of a notice telling the holder of {@code contact} that {@code old} is now {@code
   * moved}.
   *
   * @throws SealpostException {@link ClientError#BAD_ADDRESS} if the contact's sealing key is not
   *     usable
   */
  public static byte[] notice(Mailbox old, Mailbox moved, MailboxAddress contact) {
    Objects.requireNonNull(old, "old");
    Objects.requireNonNull(moved, "moved");
    try {
      return AddressChangeNotice.create(
          old.sealingKey(), old.senderId(), moved.address().format(), contact.sealingKey());
    } catch (CryptoException e) {
      throw new SealpostException(
          ClientError.BAD_ADDRESS, "the contact's sealing key is not a usable X25519 key", e);
    }
  }

  /**
   * The verified notice in a received message, or empty when the message is not one: ordinary
   * content, a notice whose tag does not verify for this mailbox, or one whose new address does not
   * parse (protocol.md §7.4 says to treat all of these as ordinary messages).
   */
  public static Optional<AddressChange> read(ReceivedMessage message) {
    byte[] content = message.content();
    if (!AddressChangeNotice.looksLikeNotice(content)) {
      return Optional.empty();
    }
    try {
      AddressChangeNotice notice =
          AddressChangeNotice.open(content, message.mailbox().sealingKey());
      MailboxAddress address = MailboxAddress.parse(notice.newAddress());
      return Optional.of(new AddressChange(notice.oldSenderId(), notice.oldSealingKey(), address));
    } catch (CryptoException | AddressException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether this notice redirects {@code known}: same sender ID and sealing key (the relay and
   * token may differ in form only), and a new address that is not the old one.
   */
  public boolean replaces(MailboxAddress known) {
    return MessageDigest.isEqual(oldSenderId, known.senderId())
        && MessageDigest.isEqual(oldSealingKey, known.sealingKey())
        && !newAddress.equals(known);
  }

  /** A copy of the sender ID of the address that moved. */
  public byte[] oldSenderId() {
    return oldSenderId.clone();
  }

  /** The address to write to from now on. */
  public MailboxAddress newAddress() {
    return newAddress;
  }

  /** Says what it is; never IDs, keys or the address. */
  @Override
  public String toString() {
    return "AddressChange[to " + newAddress.relay() + "]";
  }
}
