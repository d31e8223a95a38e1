package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.SyncPolicy;

class GroupCommitWriterTest {
  @TempDir Path tmp;

  private RocksMailboxStore open() {
    return RocksMailboxStore.opener(
            MailboxConfig.builder(tmp.resolve("data"), tmp.resolve("master.key"))
                .syncPolicy(SyncPolicy.NEVER)
                .build())
        .open();
  }

  private static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void everyWriterCycleClosesItsNativeWriteBatches() throws Exception {
    RocksMailboxStore s = open();
    GroupCommitWriter w = s.writer();
    long groupsBefore = w.groupsCommitted();
    QueueRecord q = await(s.createQueue(new QueueSecrets(new byte[32], new byte[32])));
    Appended first = null;
    // one op at a time: one writer cycle each
    for (int i = 0; i < 50; i++) {
      Appended a = await(s.append(q.queueId(), new byte[] {(byte) i}));
      first = first == null ? a : first;
    }
    await(s.ack(q.queueId(), first.messageId()));
    await(s.expire()); // exclusive ops commit a group of their own mid-cycle
    await(s.deleteQueue(q.queueId()));
    assertThat(w.groupsCommitted() - groupsBefore).isGreaterThanOrEqualTo(52);
    // at most the group the writer may be making right now
    assertThat(w.openBatches()).isLessThanOrEqualTo(1);
    s.close(); // joins the writer thread
    assertThat(w.openBatches()).isZero();
  }
}
