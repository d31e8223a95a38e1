package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.IdGenerator;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.SyncPolicy;

/** A bug in the store surfaces: as STORAGE with a scrubbed cause, once in the log, in a count. */
class InternalErrorsTest {
  private static final String SECRET = "user-data-7f3a";
  private final Logger jul = Logger.getLogger(InternalErrors.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @TempDir Path tmp;
  private RocksMailboxStore store;

  @BeforeEach
  void capture() {
    jul.addHandler(handler);
  }

  @AfterEach
  void release() {
    jul.removeHandler(handler);
    if (store != null) {
      store.close();
    }
  }

  private RocksMailboxStore open(IdGenerator ids) {
    store =
        RocksMailboxStore.opener(
                MailboxConfig.builder(tmp.resolve("data"), tmp.resolve("master.key"))
                    .syncPolicy(SyncPolicy.NEVER)
                    .build())
            .idGenerator(ids)
            .open();
    return store;
  }

  private static MailboxException failure(CompletionStage<?> s) throws Exception {
    try {
      s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(MailboxException.class);
      return (MailboxException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void assertScrubbed(Throwable t, String className) {
    assertThat(t.getCause()).isNotNull();
    assertThat(t.getCause().getMessage()).isEqualTo(className);
    assertThat(t.getCause().getStackTrace()).isNotEmpty();
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET);
    }
  }

  @Test
  void aWriterBugFailsTheOpAsStorageIsCountedAndLoggedOnceByClass() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    IdGenerator random = IdGenerator.random(new java.security.SecureRandom());
    RocksMailboxStore s =
        open(
            new IdGenerator() {
              @Override
              public byte[] newRecipientId() {
                if (broken.get()) {
                  throw new IllegalStateException(SECRET);
                }
                return random.newRecipientId();
              }

              @Override
              public byte[] newSenderId() {
                return random.newSenderId();
              }
            });
    QueueSecrets secrets = new QueueSecrets(new byte[32], new byte[32]);
    MailboxException first = failure(s.createQueue(secrets));
    MailboxException second = failure(s.createQueue(secrets));

    assertThat(first.code()).isEqualTo(MailboxException.Code.STORAGE);
    assertScrubbed(first, IllegalStateException.class.getName());
    assertThat(second.code()).isEqualTo(MailboxException.Code.STORAGE);
    assertThat(s.internalErrors()).isEqualTo(2);
    assertThat(records).hasSize(1);
    LogRecord r = records.get(0);
    assertThat(r.getMessage())
        .contains("create queue")
        .contains(IllegalStateException.class.getName())
        .doesNotContain(SECRET);
    assertScrubbed(new RuntimeException(r.getThrown()), IllegalStateException.class.getName());
    // the writer survived
    broken.set(false);
    QueueRecord q = s.createQueue(secrets).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(q.recipientId()).hasSize(32);
  }

  @Test
  void aReadBugFailsTheReadAsStorageIsCountedAndLogged() throws Exception {
    RocksMailboxStore s = open(IdGenerator.random(new java.security.SecureRandom()));
    QueueRecord q =
        s.createQueue(new QueueSecrets(new byte[32], new byte[32]))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    // a malformed entry in `keys`: parsing it throws, as a bug in the codec would
    s.writer()
        .mutations()
        .engine()
        .putForTest(RocksEngine.Family.KEYS, KeyCodec.seqKey(q.queueId(), 7), new byte[3]);

    MailboxException e = failure(s.readPending(q.queueId(), 0, 10));

    assertThat(e.code()).isEqualTo(MailboxException.Code.STORAGE);
    assertThat(e.getMessage()).contains("read pending");
    assertThat(e.getCause()).isNotNull();
    // at least the read; the read's once-an-hour touch on the writer may trip over it too
    assertThat(s.internalErrors()).isGreaterThanOrEqualTo(1);
    assertThat(records.stream().filter(r -> r.getMessage().contains("read pending"))).hasSize(1);
  }
}
