package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * Issue 10: the time a delayed envelope becomes deliverable is kept with it, sealed at rest, read
 * back from memory and from disk alike, and survives a reopen; stores of format 1 still open.
 */
class NotBeforeTest {
  private final SecureRandom random = new SecureRandom();

  @TempDir Path tmp;

  private MailboxConfig config(long cacheBytes) {
    return MailboxConfig.builder(tmp.resolve("store"), tmp.resolve("store.key"))
        .pendingCacheBytes(cacheBytes)
        .build();
  }

  private QueueId queue(MailboxStore s) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return await(s.createQueue(new QueueSecrets(k, k))).queueId();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static byte[] envelope(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void notBeforeIsReadBackFromDiskFromMemoryAndAfterReopen() throws Exception {
    QueueId q;
    long[] times = {0, 1_765_000_000_123L, 42};
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(1 << 20)).open()) {
      q = queue(s);
      // prime the in-memory tail so later reads may be answered from memory
      await(s.readPending(q, MailboxStore.START, 16));
      for (int i = 0; i < times.length; i++) {
        await(s.append(q, envelope("m" + i), times[i]));
      }
      // whichever path answers, the times are the ones given
      assertTimes(await(s.readPending(q, MailboxStore.START, 16)), times);
    }
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(0)).open()) {
      List<StoredEnvelope> read = await(s.readPending(q, MailboxStore.START, 16));
      assertTimes(read, times);
      assertThat(new String(read.get(1).envelope(), StandardCharsets.UTF_8)).isEqualTo("m1");
    }
  }

  @Test
  void aCachedTailCarriesNotBefore() throws Exception {
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(1 << 20)).open()) {
      QueueId q = queue(s);
      awaitCached(s, q);
      await(s.append(q, envelope("later"), 99_000L));
      CompletableFuture<List<StoredEnvelope>> f =
          s.readPending(q, MailboxStore.START, 16).toCompletableFuture();
      assertThat(f).isDone(); // from memory
      assertThat(f.join().get(0).notBefore()).isEqualTo(99_000L);
    }
  }

  @Test
  void theTimeIsSealedAtRestNotStoredInTheClear() throws Exception {
    long notBefore = 0x0102030405060708L;
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(0)).open()) {
      QueueId q = queue(s);
      Appended a = await(s.append(q, envelope("x"), notBefore));
      byte[][] atRest = s.atRest(q, a.messageId());
      byte[] pattern = new byte[8];
      KeyCodec.putLong(pattern, 0, notBefore);
      assertThat(indexOf(atRest[0], pattern)).isNegative();
      assertThat(indexOf(atRest[1], pattern)).isNegative();
      // the sealed record is the envelope, a tag and the 9-byte header
      assertThat(atRest[1]).hasSize(1 + AtRestCrypto.TAG_BYTES + EnvelopeCodec.HEADER);
    }
  }

  @Test
  void aFormatOneStoreOpensAndIsMarkedFormatTwo() throws Exception {
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(0)).open()) {
      queue(s);
    }
    setFormat("sealpost-mailbox/1");
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(0)).open()) {
      queue(s);
    }
    assertThat(format()).isEqualTo("sealpost-mailbox/2");
    setFormat("sealpost-mailbox/9");
    assertThatThrownBy(() -> RocksMailboxStore.opener(config(0)).open())
        .isInstanceOf(MailboxException.class);
  }

  @Test
  void aFormatOneEnvelopeIsDeliverableAtOnce() {
    byte[] plain = envelope("old");
    assertThat(EnvelopeCodec.envelope(plain, plain.length)).isEqualTo(plain);
    assertThat(EnvelopeCodec.notBefore(plain, plain.length)).isZero();
    byte[] wrapped = EnvelopeCodec.wrap(7, plain);
    assertThat(EnvelopeCodec.envelope(wrapped, plain.length)).isEqualTo(plain);
    assertThat(EnvelopeCodec.notBefore(wrapped, plain.length)).isEqualTo(7);
    assertThatThrownBy(() -> EnvelopeCodec.envelope(wrapped, plain.length + 1))
        .isInstanceOf(MailboxException.class);
  }

  private void setFormat(String format) throws RocksDBException {
    MailboxConfig c = config(0);
    try (RocksEngine e = RocksEngine.open(c, c.dataDir(), false);
        RocksEngine.Batch b = e.newBatch()) {
      b.put(Family.META, "format".getBytes(StandardCharsets.US_ASCII), format.getBytes());
      e.writeSynced(b);
    }
  }

  private String format() throws RocksDBException {
    MailboxConfig c = config(0);
    try (RocksEngine e = RocksEngine.openReadOnly(c, c.dataDir())) {
      return new String(
          e.get(Family.META, "format".getBytes(StandardCharsets.US_ASCII)),
          StandardCharsets.US_ASCII);
    }
  }

  private static void awaitCached(MailboxStore s, QueueId q) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CompletableFuture<List<StoredEnvelope>> f =
          s.readPending(q, MailboxStore.START, 16).toCompletableFuture();
      if (f.isDone()) {
        return;
      }
      f.join();
      TimeUnit.MILLISECONDS.sleep(5); // the install is queued behind the read on the writer
    }
    throw new AssertionError("no read was answered from memory");
  }

  private static void assertTimes(List<StoredEnvelope> read, long[] times) {
    assertThat(read.stream().mapToLong(StoredEnvelope::notBefore).toArray()).containsExactly(times);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
