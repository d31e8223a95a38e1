package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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

/**
 * Constant-rate sessions (issue 10) seen on the wire: with {@code session.constant-rate} T on the
 * relay and a client asking for one block every T upstream, a subscribed session carries one block
 * per T in each direction, the same while the user is idle as while messages arrive and commands
 * run.
 */
class ConstantRateIT {
  private static final long T_MILLIS = 100;
  private static final long PHASE_MILLIS = 2_000;
  private static final int MESSAGES = 10;

  @TempDir Path dataDir;

  @Test
  void aSubscribedSessionCarriesOneBlockPerIntervalInEachDirectionWhateverHappens()
      throws Exception {
    ClientOptions plain = ClientOptions.defaults().toBuilder().reconnect(false).build();
    try (EmbeddedRelay relay =
            EmbeddedRelay.start(dataDir, false, Map.of("session.constant-rate", T_MILLIS + "ms"));
        WireTap tap = new WireTap("127.0.0.1", relay.port(), true);
        SealpostClient bob =
            SealpostClient.create(
                plain.toBuilder().coverInterval(Duration.ofMillis(T_MILLIS)).build());
        SealpostClient alice = SealpostClient.create(plain)) {
      RelayConnection bobs = Await.get(bob.connect(relay.addressVia(tap.port())));
      Mailbox inbox = Await.get(bobs.createMailbox());
      BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
      Await.get(bobs.subscribe(inbox, got::add));
      // bob's session is the tap's first connection; alice's (the second) is left out
      int bobsConnection = tap.observations().get(0).connection();
      RelayConnection alices = Await.get(alice.connect(relay.addressVia(tap.port())));
      X25519KeyPair id = alice.newIdentity();

      long quiet = System.nanoTime();
      TimeUnit.MILLISECONDS.sleep(PHASE_MILLIS); // nobody does anything
      long busy = System.nanoTime();
      for (int i = 0; i < MESSAGES; i++) {
        Await.get(alices.send(inbox.address(), ("m" + i).getBytes(UTF_8), id));
      }
      for (int i = 0; i < 3; i++) {
        Await.get(bobs.ping());
      }
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(got.poll(10, TimeUnit.SECONDS)).as("message %s", i).isNotNull();
      }
      long left = PHASE_MILLIS - (System.nanoTime() - busy) / 1_000_000;
      assertThat(left).as("the busy phase fits in %s ms", PHASE_MILLIS).isPositive();
      TimeUnit.MILLISECONDS.sleep(left);
      long end = System.nanoTime();

      List<WireTap.Observation> seen =
          tap.observations().stream().filter(o -> o.connection() == bobsConnection).toList();
      assertThat(seen).allMatch(o -> o.length() == relay.running().config().blockSize());
      long perPhase = PHASE_MILLIS / T_MILLIS;
      for (WireTap.Direction d : WireTap.Direction.values()) {
        long inQuiet = count(seen, d, quiet, busy);
        long inBusy = count(seen, d, busy, end);
        // one block per T: 20 per phase, give or take timer jitter on a busy machine; without the
        // defence the relay would send nothing in the quiet phase and 13+ blocks in the busy one
        assertThat(inQuiet).as("%s blocks while idle", d).isBetween(perPhase - 3, perPhase + 1);
        assertThat(inBusy).as("%s blocks while busy", d).isBetween(perPhase - 3, perPhase + 1);
        assertThat(Math.abs(inBusy - inQuiet)).as("%s idle vs busy", d).isLessThanOrEqualTo(2);
      }
      bobs.close();
      alices.close();
    }
  }

  private static long count(
      List<WireTap.Observation> seen, WireTap.Direction d, long from, long to) {
    return seen.stream()
        .filter(o -> o.direction() == d && o.nanos() >= from && o.nanos() < to)
        .count();
  }
}
