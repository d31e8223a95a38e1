package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxException.OpenFailure;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * Issue 12: the documented upgrade path. A real format-1 store (envelopes sealed without the
 * format-2 header, marker {@code sealpost-mailbox/1}) is opened by this code: everything it held is
 * delivered, new envelopes are written in format 2, and the marker moves to 2. A store marked with
 * a newer format is refused with its own reason, not as foreign.
 */
class StoreFormatUpgradeTest {
  private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;

  private MailboxConfig config() {
    return MailboxConfig.builder(tmp.resolve("store"), tmp.resolve("store.key"))
        .pendingCacheBytes(0)
        .build();
  }

  @Test
  void aFormatOneStoreIsUpgradedInPlaceAndDeliversWhatItHeld() throws Exception {
    QueueId q;
    try (RocksMailboxStore s = RocksMailboxStore.opener(config()).open()) {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      q = await(s.createQueue(new QueueSecrets(k, k))).queueId();
      for (String m : List.of("old one", "old two")) {
        await(s.append(q, m.getBytes(StandardCharsets.UTF_8), 0));
      }
    }
    assertThat(rewriteAsFormatOne(q)).isEqualTo(2);

    try (RocksMailboxStore s = RocksMailboxStore.opener(config()).open()) {
      await(s.append(q, "new".getBytes(StandardCharsets.UTF_8), 12_345L));
    }
    assertThat(format()).isEqualTo("sealpost-mailbox/" + MailboxStore.FORMAT);
    try (RocksMailboxStore s = RocksMailboxStore.opener(config()).open()) {
      List<StoredEnvelope> read = await(s.readPending(q, MailboxStore.START, 16));
      assertThat(read)
          .extracting(e -> new String(e.envelope(), StandardCharsets.UTF_8))
          .containsExactly("old one", "old two", "new");
      assertThat(read).extracting(StoredEnvelope::notBefore).containsExactly(0L, 0L, 12_345L);
    }
  }

  @Test
  void aNewerFormatIsRefusedAsNewerAndLeftUntouched() throws Exception {
    try (RocksMailboxStore s = RocksMailboxStore.opener(config()).open()) {
      assertThat(s).isNotNull();
    }
    setFormat("sealpost-mailbox/" + (MailboxStore.FORMAT + 1));
    assertThatThrownBy(() -> RocksMailboxStore.opener(config()).open())
        .isInstanceOfSatisfying(
            MailboxException.class,
            e -> assertThat(e.openFailure()).contains(OpenFailure.NEWER_FORMAT))
        .hasMessageContaining("newer format");
    assertThat(format()).isEqualTo("sealpost-mailbox/" + (MailboxStore.FORMAT + 1));

    setFormat("somebody-else/3");
    assertThatThrownBy(() -> RocksMailboxStore.opener(config()).open())
        .isInstanceOfSatisfying(
            MailboxException.class, e -> assertThat(e.openFailure()).contains(OpenFailure.FOREIGN));
  }

  /** Reseals every envelope of {@code q} as format 1 wrote it and marks the store 1. */
  private int rewriteAsFormatOne(QueueId q) throws Exception {
    MailboxConfig c = config();
    int[] rewritten = {0};
    try (AtRestCrypto crypto =
            new AtRestCrypto(MasterKeyFile.read(c.masterKeyFile()), new SecureRandom());
        RocksEngine e = RocksEngine.open(c, c.dataDir(), false);
        RocksEngine.Batch b = e.newBatch()) {
      e.scan(
          Family.KEYS,
          KeyCodec.seqKey(q, 1),
          KeyCodec.queueUpperBound(q),
          false,
          (k, v) -> {
            byte[] storageKey = Arrays.copyOf(v, KeyCodec.STORAGE_KEY_LENGTH);
            MessageId id =
                MessageId.of(
                    Arrays.copyOfRange(
                        v, KeyCodec.STORAGE_KEY_LENGTH, KeyCodec.STORAGE_KEY_LENGTH + 12));
            byte[] aad = StoreReads.envelopeAad(q, id);
            byte[] opened = crypto.openEnvelope(storageKey, aad, e.get(Family.MESSAGES, k));
            byte[] plain = EnvelopeCodec.envelope(opened, KeyCodec.lengthOf(v));
            assertThat(opened).hasSize(plain.length + EnvelopeCodec.HEADER);
            b.put(Family.MESSAGES, k, crypto.sealEnvelope(storageKey, aad, plain));
            rewritten[0]++;
            return true;
          });
      b.put(Family.META, FORMAT_KEY, "sealpost-mailbox/1".getBytes(StandardCharsets.US_ASCII));
      e.writeSynced(b);
    }
    return rewritten[0];
  }

  private void setFormat(String format) throws Exception {
    MailboxConfig c = config();
    try (RocksEngine e = RocksEngine.open(c, c.dataDir(), false);
        RocksEngine.Batch b = e.newBatch()) {
      b.put(Family.META, FORMAT_KEY, format.getBytes(StandardCharsets.US_ASCII));
      e.writeSynced(b);
    }
  }

  private String format() throws Exception {
    MailboxConfig c = config();
    try (RocksEngine e = RocksEngine.openReadOnly(c, c.dataDir())) {
      return new String(e.get(Family.META, FORMAT_KEY), StandardCharsets.US_ASCII);
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }
}
