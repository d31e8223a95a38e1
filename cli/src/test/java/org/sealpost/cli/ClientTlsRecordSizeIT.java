package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.ClientTlsEngine;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * A record-parsing proxy between the Java client and a TLS relay: while the client pipelines many
 * sends, every TLS record it sends from the Noise handshake on carries exactly one block's
 * WebSocket message and nothing else: B + 25 bytes (8-byte masked frame header, content type byte,
 * 16-byte tag; no padding), B + 30 on the wire with the 5-byte record header.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientTlsRecordSizeIT {
  private static final int SENDS = 200;

  @TempDir Path dataDir;

  /**
   * The default B, and the largest B whose client frame (B + 8) fills one 16,384-byte record; with
   * each of the client's TLS engines (BoringSSL is on this module's class path).
   */
  @ParameterizedTest(name = "B = {0}, {1}")
  @CsvSource({"16359, OPENSSL", "16376, OPENSSL", "16359, BOUNCY_CASTLE", "16376, BOUNCY_CASTLE"})
  void everyClientRecordCarriesExactlyOneBlock(int b, ClientTlsEngine engine) throws Exception {
    int blockRecord = b + 25;
    ClientOptions options = ClientOptions.defaults().toBuilder().tlsEngine(engine).build();
    try (EmbeddedRelay relay =
            EmbeddedRelay.start(
                dataDir, true, Map.of("block-size", String.valueOf(b), "queue.quota", "1000"));
        TlsRecordProxy proxy = TlsRecordProxy.forwarding(relay.port());
        SealpostClient owner = SealpostClient.create(options);
        SealpostClient sender = SealpostClient.create(options)) {
      Mailbox inbox = Await.get(owner.createMailbox(relay.address()));
      MailboxAddress to =
          MailboxAddress.of(
              relay.addressVia(proxy.port()),
              inbox.senderId(),
              inbox.sealingKey().publicKey(),
              null);
      RelayConnection c = Await.get(sender.connect(relay.addressVia(proxy.port())));
      X25519KeyPair me = sender.newIdentity();

      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int i = 0; i < SENDS; i++) {
        sent.add(c.send(to, new byte[] {(byte) i}, me).toCompletableFuture());
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      c.close();
      Await.get(owner.connection(relay.address()).ping()); // the relay is still fine

      List<TlsRecordProxy.Record> records = proxy.clientRecords();
      int first = indexOfFirst(records, blockRecord);
      int last = indexOfLast(records, blockRecord);
      assertThat(first).as("a block record in %s", summary(records)).isNotNegative();
      // Noise message 1, then at least one block per send (an envelope fills a block)
      assertThat(last - first + 1).isGreaterThanOrEqualTo(SENDS + 1);
      for (int i = first; i <= last; i++) {
        assertThat(records.get(i))
            .as("record %d of %s", i, summary(records))
            .isEqualTo(new TlsRecordProxy.Record(TlsRecordProxy.APPLICATION_DATA, blockRecord));
      }
      // before the blocks: the TLS handshake and the HTTP upgrade; after: the close frame
      assertThat(records.subList(0, first)).allMatch(r -> r.length() < b);
      assertThat(records.subList(last + 1, records.size())).allMatch(r -> r.length() < 64);
    }
  }

  private static int indexOfFirst(List<TlsRecordProxy.Record> records, int length) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).length() == length) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfLast(List<TlsRecordProxy.Record> records, int length) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).length() == length) {
        return i;
      }
    }
    return -1;
  }

  /** Record lengths in order, runs collapsed: "22:512x1 23:16384x201". */
  private static String summary(List<TlsRecordProxy.Record> records) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < records.size()) {
      int j = i;
      while (j < records.size() && records.get(j).equals(records.get(i))) {
        j++;
      }
      sb.append(records.get(i).type()).append(':').append(records.get(i).length());
      sb.append('x').append(j - i).append(' ');
      i = j;
    }
    return sb.toString();
  }
}
