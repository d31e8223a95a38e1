package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.IdGenerator;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;

/**
 * The {@code ids} index: a repeated recipient or sender ID is refused wherever its twin lives
 * (memtable, flushed SST file, after a reopen), and lookups find exactly the stored IDs.
 */
class IdIndexTest {
  private final SecureRandom random = new SecureRandom();
  private final ScriptedIds ids = new ScriptedIds();
  private final List<RocksMailboxStore> opened = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void closeStores() {
    opened.forEach(RocksMailboxStore::close);
  }

  private RocksMailboxStore open() {
    MailboxConfig config =
        MailboxConfig.builder(tmp.resolve("data"), tmp.resolve("master.key"))
            .shredWindow(Duration.ofMillis(200))
            .build();
    RocksMailboxStore s = RocksMailboxStore.opener(config).idGenerator(ids).open();
    opened.add(s);
    return s;
  }

  private byte[] id() {
    byte[] b = new byte[QueueRecord.ID_LENGTH];
    random.nextBytes(b);
    return b;
  }

  private QueueSecrets secrets() {
    return new QueueSecrets(id(), id());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** Flushes every family to SST files (the shredder's run) so lookups go through the files. */
  private static void flush(RocksMailboxStore s) {
    await(s.nextShredCompletion());
  }

  /** A repeat of an existing ID must be skipped: the store retries with the next pair. */
  private void assertRepeatIsRefused(RocksMailboxStore s, byte[] recipient, byte[] sender) {
    byte[] r = id();
    byte[] sd = id();
    ids.next(recipient, id());
    ids.next(id(), sender);
    ids.next(r, sd);
    QueueRecord q = await(s.createQueue(secrets()));
    assertThat(q.recipientId()).isEqualTo(r);
    assertThat(q.senderId()).isEqualTo(sd);
  }

  @Test
  void aRepeatedIdIsRefusedInTheMemtableInSstFilesAndAfterReopen() {
    RocksMailboxStore s = open();
    byte[] r1 = id();
    byte[] s1 = id();
    ids.next(r1, s1);
    QueueRecord first = await(s.createQueue(secrets()));
    assertThat(first.recipientId()).isEqualTo(r1);

    assertRepeatIsRefused(s, r1, s1); // twin in the memtable
    flush(s);
    assertRepeatIsRefused(s, r1, s1); // twin in an SST file (bloom-filtered family)
    s.close();
    s = open();
    assertRepeatIsRefused(s, r1, s1); // after recovery
    assertThat(await(s.findByRecipientId(r1))).map(QueueRecord::queueId).contains(first.queueId());
  }

  @Test
  void aGeneratorThatOnlyRepeatsItselfFailsTheCreationWithStorage() {
    RocksMailboxStore s = open();
    byte[] r1 = id();
    byte[] s1 = id();
    ids.next(r1, s1);
    await(s.createQueue(secrets()));
    flush(s);
    for (int i = 0; i < 4; i++) {
      ids.next(r1, id());
    }
    try {
      await(s.createQueue(secrets()));
      throw new AssertionError("expected the creation to fail");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(MailboxException.class);
      assertThat(((MailboxException) e.getCause()).code()).isEqualTo(MailboxException.Code.STORAGE);
    }
    assertThat(await(s.stats()).queues()).isEqualTo(1);
  }

  @Test
  void lookupsInSstFilesFindStoredIdsAndNothingNextToThem() {
    RocksMailboxStore s = open();
    List<QueueRecord> queues = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      queues.add(await(s.createQueue(secrets())));
    }
    flush(s);
    for (QueueRecord q : queues) {
      assertThat(await(s.findByRecipientId(q.recipientId())))
          .map(QueueRecord::queueId)
          .contains(q.queueId());
      assertThat(await(s.findBySenderId(q.senderId())))
          .map(QueueRecord::queueId)
          .contains(q.queueId());
      byte[] neighbour = q.recipientId().clone();
      neighbour[neighbour.length - 1] ^= 1;
      assertThat(await(s.findByRecipientId(neighbour))).isEmpty();
      assertThat(await(s.findByRecipientId(q.senderId()))).isEmpty();
    }
    byte[] last = new byte[QueueRecord.ID_LENGTH];
    java.util.Arrays.fill(last, (byte) 0xff);
    assertThat(await(s.findBySenderId(last))).isEmpty();
    await(s.deleteQueue(queues.get(0).queueId()));
    flush(s);
    assertThat(await(s.findByRecipientId(queues.get(0).recipientId()))).isEmpty();
    assertThat(await(s.findByRecipientId(queues.get(1).recipientId()))).isPresent();
  }

  /** Hands out scripted pairs first, then random ones. */
  private final class ScriptedIds implements IdGenerator {
    private final Deque<byte[]> recipients = new ArrayDeque<>();
    private final Deque<byte[]> senders = new ArrayDeque<>();

    synchronized void next(byte[] recipient, byte[] sender) {
      recipients.add(recipient);
      senders.add(sender);
    }

    @Override
    public synchronized byte[] newRecipientId() {
      return recipients.isEmpty() ? id() : recipients.poll().clone();
    }

    @Override
    public synchronized byte[] newSenderId() {
      return senders.isEmpty() ? id() : senders.poll().clone();
    }
  }
}
