package org.sealpost.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sealpost.mailbox.QueueId;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.Session;

/**
 * The push loop on a real Vert.x context, with a store whose reads complete at once (as the pending
 * cache answers, on the caller's thread) and a connection that has no room at first.
 */
class PushLoopTest {
  private static final int QUEUES = 20_000;

  @Test
  void manySubscriptionsWaitingForRoomResumeInALoopNotARecursion() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context context = vertx.getOrCreateContext();
      AtomicInteger reads = new AtomicInteger();
      int[] depth = {Integer.MAX_VALUE, 0}; // the shallowest and deepest stack a read started on
      QueueService queues =
          fake(
              QueueService.class,
              (proxy, method, args) -> {
                if (method.getName().equals("readPending")) {
                  reads.incrementAndGet();
                  long frames = StackWalker.getInstance().walk(java.util.stream.Stream::count);
                  depth[0] = (int) Math.min(depth[0], frames);
                  depth[1] = (int) Math.max(depth[1], frames);
                  return CompletableFuture.completedFuture(List.of());
                }
                throw new UnsupportedOperationException(method.getName());
              });
      Session session =
          fake(
              Session.class,
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "context" -> context;
                    case "isOpen" -> true;
                    default ->
                        method.isDefault()
                            ? InvocationHandler.invokeDefault(proxy, method, args)
                            : null;
                  });
      Sink sink = new Sink();
      CompletableFuture<Void> done = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            try {
              SessionDelivery delivery =
                  new SessionDelivery(
                      session,
                      queues,
                      new LocalSubscriptionRegistry<>(),
                      new DeliveryCipher(1_000),
                      new DeliveryLimits(1_000, 16, QUEUES, 1_000, 4, 64),
                      sink,
                      DeliverySchedule.immediate());
              for (int i = 0; i < QUEUES; i++) {
                QueueBinding binding = delivery.bind(queue());
                delivery.subscribe(binding);
                delivery.push(binding); // no room: waits
              }
              assertThat(reads).hasValue(0);
              assertThat(sink.whenWritable).hasSize(1);
              sink.writable = true;
              sink.whenWritable.get(0).run();
              // every waiting read ran from the one loop, at the same depth: before the fix each
              // read that completed at once started the next one a dozen frames deeper, and the
              // relay's event loop died of a StackOverflowError in ResubscribeIT
              assertThat(reads).hasValue(QUEUES);
              assertThat(depth[1] - depth[0])
                  .as("stack depth growth over the reads")
                  .isLessThan(20);
              done.complete(null);
            } catch (Throwable t) {
              done.completeExceptionally(t);
            }
          });
      done.get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static AuthorizedQueue queue() {
    byte[] id = new byte[QueueId.LENGTH];
    byte[] recipient = new byte[32];
    ThreadLocalRandom.current().nextBytes(id);
    ThreadLocalRandom.current().nextBytes(recipient);
    return new AuthorizedQueue(QueueId.of(id), recipient, new byte[32]);
  }

  private static <T> T fake(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** A connection with no room until the test says so. */
  private static final class Sink implements PushSink {
    boolean writable;
    final List<Runnable> whenWritable = new ArrayList<>();

    @Override
    public void push(PushKind kind, Frame frame) {
      throw new AssertionError("nothing is pending");
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void whenWritable(Runnable action) {
      whenWritable.add(action);
    }

    @Override
    public void readFailed(Throwable cause) {
      throw new AssertionError(cause);
    }
  }
}
