package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Issue 14 (session 9): a shard's pending events leave in numbered batches, in order, none waiting
 * for a timer. A local (not clustered) event bus: the batching is the publisher's.
 */
class EventBatchTest {
  private static final String ADDRESS = "test.events";
  private final Vertx vertx = Vertx.vertx();
  private final List<Buffer> received = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private record Batch(long incarnation, long seq, List<Long> positions) {}

  private static StoredEnvelope env(long position) {
    byte[] id = new byte[MessageId.LENGTH];
    id[0] = (byte) position;
    return new StoredEnvelope(position, MessageId.of(id), new byte[] {(byte) position}, 0);
  }

  private static Batch read(Buffer body) {
    ShardWire.Reader r = new ShardWire.Reader(body);
    assertThat(r.op()).isEqualTo(ShardWire.EVENT_PENDING_BATCH);
    long incarnation = r.longValue();
    long seq = r.longValue();
    int count = r.intValue();
    List<Long> positions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      r.queue();
      positions.add(ShardWire.envelope(r).position());
    }
    return new Batch(incarnation, seq, positions);
  }

  private CountDownLatch listen(int messages) throws Exception {
    CountDownLatch latch = new CountDownLatch(messages);
    vertx
        .eventBus()
        .<Buffer>consumer(
            ADDRESS,
            m -> {
              synchronized (received) {
                received.add(m.body());
              }
              latch.countDown();
            })
        .completion()
        .await(10, TimeUnit.SECONDS);
    return latch;
  }

  @Test
  void theEventsOfOneCommitLeaveTogetherAndABigCommitInNumberedPieces() throws Exception {
    CountDownLatch latch = listen(3);
    Context context = vertx.getOrCreateContext();
    EventBatch batch = new EventBatch(vertx.eventBus(), ADDRESS, context);
    QueueId q = QueueId.of(new byte[QueueId.LENGTH]);
    // added on the publishing context itself, as one task: its publish can only run after it
    context.runOnContext(
        v -> {
          for (long p = 1; p <= 150; p++) {
            batch.add(q, env(p));
          }
        });
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    List<Batch> batches = received.stream().map(EventBatchTest::read).toList();
    assertThat(batches).extracting(b -> b.positions().size()).containsExactly(64, 64, 22);
    assertThat(batches).extracting(Batch::seq).containsExactly(1L, 2L, 3L);
    assertThat(batches).extracting(Batch::incarnation).containsOnly(batches.get(0).incarnation());
    List<Long> all = new ArrayList<>();
    batches.forEach(b -> all.addAll(b.positions()));
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i)).isEqualTo(i + 1L);
    }
    assertThat(batch.published()).isEqualTo(3);
  }

  @Test
  void aLoneEventLeavesWithoutWaitingForCompany() throws Exception {
    CountDownLatch latch = listen(1);
    EventBatch batch = new EventBatch(vertx.eventBus(), ADDRESS, vertx.getOrCreateContext());
    batch.add(QueueId.of(new byte[QueueId.LENGTH]), env(7)); // from the test's thread
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    Batch b = read(received.get(0));
    assertThat(b.positions()).containsExactly(7L);
    assertThat(b.seq()).isEqualTo(1);
  }

  @Test
  void twoPublishersNumberApart() throws Exception {
    CountDownLatch latch = listen(2);
    EventBatch one = new EventBatch(vertx.eventBus(), ADDRESS, vertx.getOrCreateContext());
    EventBatch two = new EventBatch(vertx.eventBus(), ADDRESS, vertx.getOrCreateContext());
    one.add(QueueId.of(new byte[QueueId.LENGTH]), env(1));
    two.add(QueueId.of(new byte[QueueId.LENGTH]), env(2));
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    List<Batch> batches = received.stream().map(EventBatchTest::read).toList();
    assertThat(batches).extracting(Batch::seq).containsOnly(1L);
    assertThat(batches.get(0).incarnation()).isNotEqualTo(batches.get(1).incarnation());
  }
}
