package org.sealpost.client;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.QueueKeys;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The recipient's credentials for one queue on one relay: everything needed to receive from it and
 * to hand out its {@link #address() mailbox address}. It is a secret: keep it in a {@link Keystore}
 * (which is also the export format, DESIGN §4). Immutable; {@link #toString()} shows the relay's
 * host only.
 *
 * <p>Two mailboxes of one person are unlinkable on the relay: each has its own IDs, its own queue
 * key and its own sealing key. Only a session that subscribes both links them (see {@link
 * SealpostClient} on transport isolation).
 */
public final class Mailbox {
  private final RelayAddress relay;
  private final byte[] recipientId;
  private final byte[] senderId;
  private final byte[] relayDhPublic;
  private final X25519KeyPair queueKey;
  private final X25519KeyPair sealingKey;
  private final byte[] sendToken;
  private final QueueKeys queueKeys;

  /**
   * @param relay the relay holding the queue
   * @param recipientId 32 bytes from QueueCreated
   * @param senderId 32 bytes from QueueCreated
   * @param relayDhPublic the relay's per-queue X25519 key from QueueCreated
   * @param queueKey the recipient's per-queue X25519 key pair (its public half went into
   *     CreateQueue)
   * @param sealingKey the key pair senders seal envelopes to
   * @param sendToken 16 bytes once the queue is secured, else null
   * @throws SealpostException {@link ClientError#PROTOCOL} if the relay's key is not usable
   */
  public Mailbox(
      RelayAddress relay,
      byte[] recipientId,
      byte[] senderId,
      byte[] relayDhPublic,
      X25519KeyPair queueKey,
      X25519KeyPair sealingKey,
      byte[] sendToken) {
    this.relay = Objects.requireNonNull(relay, "relay");
    this.recipientId = exact(recipientId, 32, "recipient ID");
    this.senderId = exact(senderId, 32, "sender ID");
    this.relayDhPublic = exact(relayDhPublic, 32, "relay DH key");
    this.queueKey = Objects.requireNonNull(queueKey, "queueKey");
    this.sealingKey = Objects.requireNonNull(sealingKey, "sealingKey");
    this.sendToken = sendToken == null ? null : exact(sendToken, 16, "send token");
    try {
      this.queueKeys = QueueKeys.deriveForRecipient(queueKey, this.relayDhPublic);
    } catch (CryptoException e) {
      throw new SealpostException(
          ClientError.PROTOCOL, "the relay's per-queue key is not a usable X25519 key", e);
    }
  }

  private static byte[] exact(byte[] value, int length, String what) {
    if (value == null || value.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes");
    }
    return value.clone();
  }

  /** The same mailbox with a send token (after SecureQueue). */
  public Mailbox withSendToken(byte[] token) {
    return new Mailbox(relay, recipientId, senderId, relayDhPublic, queueKey, sealingKey, token);
  }

  /** issue 12: the same mailbox on its relay under another key (a relay-key rotation). */
  public Mailbox withRelay(RelayAddress movedRelay) {
    return new Mailbox(
        movedRelay, recipientId, senderId, relayDhPublic, queueKey, sealingKey, sendToken);
  }

  public RelayAddress relay() {
    return relay;
  }

  /** A copy of the recipient ID. */
  public byte[] recipientId() {
    return recipientId.clone();
  }

  /** A copy of the sender ID. */
  public byte[] senderId() {
    return senderId.clone();
  }

  /** A copy of the relay's per-queue X25519 public key. */
  public byte[] relayDhPublic() {
    return relayDhPublic.clone();
  }

  /** The recipient's per-queue X25519 key pair. */
  public X25519KeyPair queueKey() {
    return queueKey;
  }

  /** The key pair envelopes are sealed to. */
  public X25519KeyPair sealingKey() {
    return sealingKey;
  }

  /** A copy of the send token, if the queue is secured. */
  public Optional<byte[]> sendToken() {
    return Optional.ofNullable(sendToken).map(byte[]::clone);
  }

  public boolean isSecured() {
    return sendToken != null;
  }

  /** Delivery and MAC keys derived from the queue key and the relay's per-queue key. */
  public QueueKeys queueKeys() {
    return queueKeys;
  }

  /** The address a contact sends to: relay, sender ID, sealing public key and send token. */
  public MailboxAddress address() {
    try {
      return MailboxAddress.of(relay, senderId, sealingKey.publicKey(), sendToken);
    } catch (AddressException e) {
      // every part was checked when this mailbox was built
      throw new IllegalStateException("mailbox parts do not make an address", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mailbox other
        && relay.equals(other.relay)
        && Arrays.equals(recipientId, other.recipientId)
        && Arrays.equals(senderId, other.senderId)
        && Arrays.equals(relayDhPublic, other.relayDhPublic)
        && Arrays.equals(queueKey.privateKey(), other.queueKey.privateKey())
        && Arrays.equals(sealingKey.privateKey(), other.sealingKey.privateKey())
        && Arrays.equals(sendToken, other.sendToken);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(recipientId);
  }

  /** The relay's host only: IDs and keys never appear in this text. */
  @Override
  public String toString() {
    return "Mailbox[" + relay + "]";
  }
}
