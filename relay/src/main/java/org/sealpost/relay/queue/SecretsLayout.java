package org.sealpost.relay.queue;

import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.proto.crypto.QueueKeys;

/**
 * Moves the queue's two symmetric keys ({@code delivery_key}, {@code mac_key}) between {@link
 * QueueKeys} and the store's {@link QueueSecrets}, zeroing the intermediate copies.
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
    return secrets.deliveryKey();
  }

  static byte[] macKey(QueueSecrets secrets) {
    return secrets.macKey();
  }
}
