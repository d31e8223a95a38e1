package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
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
      assertThat(r.op()).isEqualTo(ShardWire.EVENT_ENVELOPE);
      r.queue();
      positions.add(ShardWire.envelope(r).position());
    }
    return new Batch(incarnation, seq, positions);
  }

  private CountDownLatch listen(int messages) throws Exception {
    return listen(ADDRESS, received, messages);
  }

  private CountDownLatch listen(String address, List<Buffer> into, int messages) throws Exception {
    CountDownLatch latch = new CountDownLatch(messages);
    vertx
        .eventBus()
        .<Buffer>consumer(
            address,
            m -> {
              synchronized (into) {
                into.add(m.body());
              }
              latch.countDown();
            })
        .completion()
        .await(10, TimeUnit.SECONDS);
    return latch;
  }

  /** One other node, at {@link #ADDRESS}; this node is index 0. */
  private EventBatch batch(Context context) {
    return new EventBatch(vertx.eventBus(), Arrays.asList(null, ADDRESS), null, context);
  }

  @Test
  void theEventsOfOneCommitLeaveTogetherAndABigCommitInNumberedPieces() throws Exception {
    CountDownLatch latch = listen(3);
    Context context = vertx.getOrCreateContext();
    EventBatch batch = batch(context);
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
    EventBatch batch = batch(vertx.getOrCreateContext());
    batch.add(QueueId.of(new byte[QueueId.LENGTH]), env(7)); // from the test's thread
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    Batch b = read(received.get(0));
    assertThat(b.positions()).containsExactly(7L);
    assertThat(b.seq()).isEqualTo(1);
  }

  @Test
  void twoPublishersNumberApart() throws Exception {
    CountDownLatch latch = listen(2);
    EventBatch one = batch(vertx.getOrCreateContext());
    EventBatch two = batch(vertx.getOrCreateContext());
    one.add(QueueId.of(new byte[QueueId.LENGTH]), env(1));
    two.add(QueueId.of(new byte[QueueId.LENGTH]), env(2));
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    List<Batch> batches = received.stream().map(EventBatchTest::read).toList();
    assertThat(batches).extracting(Batch::seq).containsOnly(1L);
    assertThat(batches.get(0).incarnation()).isNotEqualTo(batches.get(1).incarnation());
  }

  // issue 14 (session 11)
  @Test
  void theNodeThatSentAnEnvelopeGetsItsTicketAndEveryOtherNodeTheEnvelope() throws Exception {
    List<Buffer> atC = new ArrayList<>();
    CountDownLatch toB = listen(1);
    CountDownLatch toC = listen("test.events.c", atC, 1);
    SendOrigins origins = new SendOrigins();
    // nodes a (this one), b, c
    EventBatch batch =
        new EventBatch(
            vertx.eventBus(),
            Arrays.asList(null, ADDRESS, "test.events.c"),
            origins,
            vertx.getOrCreateContext());
    QueueId q = QueueId.of(new byte[QueueId.LENGTH]);
    StoredEnvelope one = env(1);
    StoredEnvelope fromB = new StoredEnvelope(1, one.messageId(), new byte[1000], 0);
    StoredEnvelope fromHere = env(2);
    origins.put(fromB.envelope(), 1, 77L);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        v -> {
          batch.add(q, fromB);
          batch.add(q, fromHere);
        });
    assertThat(toB.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(toC.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(origins.size()).isZero();

    // b: its own envelope as the ticket only, then the other in full; same number as c's copy
    ShardWire.Reader r = new ShardWire.Reader(received.get(0));
    assertThat(r.op()).isEqualTo(ShardWire.EVENT_PENDING_BATCH);
    r.longValue();
    long seqAtB = r.longValue();
    assertThat(r.intValue()).isEqualTo(2);
    assertThat(r.op()).isEqualTo(ShardWire.EVENT_SENT_HERE);
    assertThat(r.queue()).isEqualTo(q);
    assertThat(r.longValue()).isEqualTo(1L); // position
    assertThat(MessageId.of(r.fixed(MessageId.LENGTH))).isEqualTo(fromB.messageId());
    assertThat(r.longValue()).isZero(); // not before
    assertThat(r.longValue()).isEqualTo(77L); // the ticket
    assertThat(r.op()).isEqualTo(ShardWire.EVENT_ENVELOPE);
    r.queue();
    assertThat(ShardWire.envelope(r).envelope()).isEqualTo(fromHere.envelope());
    assertThat(received.get(0).length())
        .isLessThan(atC.get(0).length()); // b's copy left one envelope out

    // c: both in full
    Batch atCBatch = read(atC.get(0));
    assertThat(atCBatch.positions()).containsExactly(1L, 2L);
    assertThat(atCBatch.seq()).isEqualTo(seqAtB);
  }
}
