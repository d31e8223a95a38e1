package org.sealpost.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * A first end-to-end throughput figure, not a test of speed (no timed assertion; off unless {@code
 * -Dsealpost.throughput=true}): an in-process relay over TLS at default B, one sender client with
 * up to 64 sends in flight, one subscribed recipient; N messages of 1 KiB content; prints messages
 * per second delivered (first send to last delivery), after a warm-up of 300 messages.
 */
@EnabledIfSystemProperty(named = "sealpost.throughput", matches = "true")
class EndToEndThroughputIT {
  private static final int CONTENT = 1024;
  private static final int IN_FLIGHT = 64;

  @TempDir Path dataDir;

  @Test
  void printsMessagesPerSecondDelivered() throws Exception {
    int n = Integer.getInteger("sealpost.throughput.messages", 2_000);
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataDir, true, Map.of("queue.quota", "100000"));
        SealpostClient sender = SealpostClient.create();
        SealpostClient recipient = SealpostClient.create()) {
      Mailbox inbox =
          recipient.createMailbox(relay.address()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
      recipient
          .subscribe(inbox, m -> delivered.get().countDown())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      X25519KeyPair id = sender.newIdentity();
      run(sender, inbox, id, 300, delivered); // warm-up
      long start = System.nanoTime();
      run(sender, inbox, id, n, delivered);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "end-to-end: %d messages of %d bytes delivered in %.2f s = %.0f msg/s%n",
          n, CONTENT, seconds, n / seconds);
    }
  }

  private static void run(
      SealpostClient sender,
      Mailbox inbox,
      X25519KeyPair id,
      int n,
      AtomicReference<CountDownLatch> delivered)
      throws Exception {
    CountDownLatch all = new CountDownLatch(n);
    delivered.set(all);
    Semaphore window = new Semaphore(IN_FLIGHT);
    byte[] content = new byte[CONTENT];
    for (int i = 0; i < n; i++) {
      window.acquire();
      content[0] = (byte) i;
      sender
          .send(inbox.address(), content.clone(), id)
          .whenComplete((ok, e) -> window.release())
          .toCompletableFuture();
    }
    assertThat(all.await(300, TimeUnit.SECONDS)).as("all delivered").isTrue();
  }
}
