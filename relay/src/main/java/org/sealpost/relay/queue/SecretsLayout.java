package org.sealpost.relay.queue;

import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.proto.crypto.QueueKeys;

/**
 * Where the queue's two symmetric keys live inside the store's opaque {@link QueueSecrets}: the
 * first 32-byte slot holds {@code delivery_key}, the second {@code mac_key}. The store never
 * interprets them. (The store's accessors still carry their earlier names; this class is the only
 * place that knows the mapping.)
 */
final class SecretsLayout {
  private SecretsLayout() {}

  static QueueSecrets toSecrets(QueueKeys keys) {
    byte[] delivery = keys.deliveryKey();
    byte[] mac = keys.macKey();
    try {
      return new QueueSecrets(delivery, mac);
    } finally {
      java.util.Arrays.fill(delivery, (byte) 0);
      java.util.Arrays.fill(mac, (byte) 0);
    }
  }

  static byte[] deliveryKey(QueueSecrets secrets) {
    return secrets.relayPrivateKey();
  }

  static byte[] macKey(QueueSecrets secrets) {
    return secrets.recipientPublicKey();
  }
}
