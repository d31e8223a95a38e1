package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;

/**
 * Deleted means gone: after an ack or a queue deletion, the envelope's at-rest key is in no file of
 * the data directory (SST, WAL, MANIFEST, LOG, OPTIONS) once the store's own scheduler has run for
 * the (here shortened) shred window. The test never calls flush or compaction itself.
 */
class ForensicResidueTest {
  /** Short in the suite; {@code -Dsealpost.forensic.window=PT60S} measures the default window. */
  private static final Duration WINDOW =
      Duration.parse(System.getProperty("sealpost.forensic.window", "PT2S"));

  @TempDir Path tmp;
  private final SecureRandom random = new SecureRandom();

  @Test
  void ackedAndDeletedKeysLeaveEveryFileWhileOtherEnvelopesStayPending() throws Exception {
    Path data = tmp.resolve("data");
    MailboxConfig config =
        MailboxConfig.builder(data, tmp.resolve("master.key")).shredWindow(WINDOW).build();
    try (RocksMailboxStore store = RocksMailboxStore.opener(config).open()) {
      QueueRecord kept = join(store.createQueue(secrets()));
      QueueRecord doomed = join(store.createQueue(secrets()));
      List<Appended> envelopes = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        envelopes.add(join(store.append(kept.queueId(), randomEnvelope())));
      }
      List<Appended> doomedEnvelopes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        doomedEnvelopes.add(join(store.append(doomed.queueId(), randomEnvelope())));
      }
      byte[][] acked0 = store.atRest(kept.queueId(), envelopes.get(0).messageId());
      byte[][] acked1 = store.atRest(kept.queueId(), envelopes.get(1).messageId());
      byte[][] later = store.atRest(kept.queueId(), envelopes.get(2).messageId());
      byte[][] pending = store.atRest(kept.queueId(), envelopes.get(5).messageId());
      List<byte[]> doomedKeys = new ArrayList<>();
      for (Appended a : doomedEnvelopes) {
        doomedKeys.add(store.atRest(doomed.queueId(), a.messageId())[0]);
      }
      doomedKeys.add(store.recordKey(doomed.queueId()));

      // positive control: the scanner finds keys and ciphertext while they are live
      byte[] files = allFiles(data);
      for (byte[][] kv : List.of(acked0, acked1, later, pending)) {
        assertThat(contains(files, kv[0])).as("storage key on disk before ack").isTrue();
        assertThat(contains(files, slice(kv[1]))).as("ciphertext on disk before ack").isTrue();
      }
      for (byte[] k : doomedKeys) {
        assertThat(contains(files, k)).isTrue();
      }
      assertNoIds(files, kept, doomed);

      assertThat(join(store.ack(kept.queueId(), envelopes.get(0).messageId()))).isTrue();
      assertThat(join(store.ack(kept.queueId(), envelopes.get(1).messageId()))).isTrue();
      join(store.deleteQueue(doomed.queueId()));
      long deletedAt = System.nanoTime();
      join(store.nextShredCompletion()); // waits for the scheduler; triggers nothing itself
      long cleanAfterMillis = (System.nanoTime() - deletedAt) / 1_000_000;

      files = allFiles(data);
      assertThat(contains(files, acked0[0])).as("acked key left the files").isFalse();
      assertThat(contains(files, acked1[0])).as("acked key left the files").isFalse();
      assertThat(contains(files, envelopes.get(0).messageId().bytes())).isFalse();
      for (byte[] k : doomedKeys) {
        assertThat(contains(files, k)).as("deleted queue's keys left the files").isFalse();
      }
      assertThat(contains(files, pending[0])).as("pending key still on disk").isTrue();
      assertThat(contains(files, later[0])).isTrue();

      // an envelope that was flushed to an SST while pending: its key needs a compaction to go
      assertThat(join(store.ack(kept.queueId(), envelopes.get(2).messageId()))).isTrue();
      join(store.nextShredCompletion());
      files = allFiles(data);
      assertThat(contains(files, later[0])).as("key flushed before ack left the files").isFalse();
      assertThat(contains(files, pending[0])).isTrue();
      assertNoIds(files, kept, doomed);
      assertLogsHoldNoIds(data, kept, doomed);
      System.out.println(
          "forensic: window " + WINDOW + ", deleted keys gone " + cleanAfterMillis + " ms after");
    }
  }

  private void assertNoIds(byte[] files, QueueRecord... queues) {
    for (QueueRecord q : queues) {
      // IDs are stored only as HMACs, in plaintext nowhere
      assertThat(contains(files, q.recipientId())).isFalse();
      assertThat(contains(files, q.senderId())).isFalse();
    }
  }

  private static void assertLogsHoldNoIds(Path data, QueueRecord... queues) throws IOException {
    HexFormat hex = HexFormat.of();
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : s.filter(f -> f.getFileName().toString().startsWith("LOG")).toList()) {
        String log = Files.readString(p, StandardCharsets.ISO_8859_1).toLowerCase();
        for (QueueRecord q : queues) {
          for (byte[] id : List.of(q.recipientId(), q.senderId(), q.queueId().bytes())) {
            assertThat(log).doesNotContain(hex.formatHex(id));
            assertThat(log).doesNotContain(new String(id, StandardCharsets.ISO_8859_1));
          }
        }
      }
    }
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private QueueSecrets secrets() {
    byte[] a = new byte[32];
    random.nextBytes(a);
    return new QueueSecrets(a, a.clone());
  }

  private byte[] randomEnvelope() {
    byte[] e = new byte[2048];
    random.nextBytes(e);
    return e;
  }

  private static byte[] slice(byte[] ciphertext) {
    return java.util.Arrays.copyOfRange(ciphertext, 100, 164);
  }

  /** Every file of the directory, concatenated (a zero byte between files). */
  static byte[] allFiles(Path dir) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        try {
          all.write(Files.readAllBytes(p));
          all.write(0);
        } catch (java.nio.file.NoSuchFileException gone) {
          // deleted by RocksDB between listing and reading
        }
      }
    }
    return all.toByteArray();
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
