package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;
import org.sealpost.relay.metrics.RelayMetrics;

/**
 * The client library's timing defences (issue 10) against a real relay: send jitter, loop cover.
 */
class ClientTimingDefencesIT {
  @TempDir Path dataDir;

  private static double sendsOk(EmbeddedRelay relay) {
    Counter c =
        relay
            .meterRegistry()
            .find(RelayMetrics.COMMANDS)
            .tags(RelayMetrics.TAG_COMMAND, "send", RelayMetrics.TAG_OUTCOME, "ok")
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void loopCoverSendsToItsOwnQueueAtRandomTimesAndTheApplicationNeverSeesIt() throws Exception {
    ClientOptions plain = ClientOptions.defaults().toBuilder().reconnect(false).build();
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataDir, false, Map.of());
        SealpostClient carol =
            SealpostClient.create(plain.toBuilder().loopCover(Duration.ofMillis(100)).build());
        SealpostClient alice = SealpostClient.create(plain)) {
      RelayConnection carols = Await.get(carol.connect(relay.address()));
      Mailbox inbox = Await.get(carols.createMailbox());
      BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
      Await.get(carols.subscribe(inbox, got::add));

      // about 20 loop Sends in 2 s at a mean interval of 100 ms, none asked for by anyone
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (sendsOk(relay) < 10) {
        assertThat(System.nanoTime()).as("loop cover Sends arrive").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(50);
      }
      // a real message still arrives, and it is the only thing the application sees
      RelayConnection alices = Await.get(alice.connect(relay.address()));
      X25519KeyPair id = alice.newIdentity();
      Await.get(alices.send(inbox.address(), "real".getBytes(UTF_8), id));
      ReceivedMessage m = got.poll(10, TimeUnit.SECONDS);
      assertThat(m).isNotNull();
      assertThat(new String(m.content(), UTF_8)).isEqualTo("real");
      assertThat(got.poll(500, TimeUnit.MILLISECONDS)).isNull();
      // the loop queue is drained as it goes: it never fills up (quota 128)
      double before = sendsOk(relay);
      TimeUnit.MILLISECONDS.sleep(1_000);
      assertThat(sendsOk(relay)).as("loop Sends keep being accepted").isGreaterThan(before);
      alices.close();
      carols.close();
    }
  }

  @Test
  void sendJitterHoldsEachSendForItsOwnRandomTime() throws Exception {
    ClientOptions jittered =
        ClientOptions.defaults().toBuilder()
            .reconnect(false)
            .sendJitter(Duration.ofMillis(400))
            .build();
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataDir, false, Map.of());
        SealpostClient bob = SealpostClient.create(ClientOptions.defaults());
        SealpostClient alice = SealpostClient.create(jittered)) {
      Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
      RelayConnection alices = Await.get(alice.connect(relay.address()));
      X25519KeyPair id = alice.newIdentity();
      Await.get(alices.send(inbox.address(), "warm".getBytes(UTF_8), id));
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        long start = System.nanoTime();
        Await.get(alices.send(inbox.address(), ("m" + i).getBytes(UTF_8), id));
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
      double mean = millis.stream().mapToLong(Long::longValue).average().orElseThrow();
      // uniform in [0, 400 ms]: a mean near 200 ms and spread-out values; without jitter a Send on
      // loopback takes a few ms
      assertThat(mean).as("mean Send time, ms: %s", millis).isBetween(90.0, 600.0);
      long distinctTens = millis.stream().map(v -> v / 40).distinct().count();
      assertThat(distinctTens).as("Send times spread: %s", millis).isGreaterThanOrEqualTo(4);
      alices.close();
    }
  }
}
