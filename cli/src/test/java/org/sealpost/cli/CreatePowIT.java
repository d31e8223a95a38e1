package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostClient;
import org.sealpost.relay.EmbeddedRelay;

/**
 * Issue 12: a relay that asks a proof of work for every CreateQueue ({@code queue.pow=always}); the
 * client library and the CLI solve it without being asked, and the mailbox works.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CreatePowIT {
  private static final Map<String, String> POW =
      Map.of("queue.pow", "always", "queue.pow-bits", "14");

  @TempDir Path dir;

  @Test
  void theClientLibrarySolvesTheProofAndTheMailboxWorks() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), true, POW);
        SealpostClient client = SealpostClient.create()) {
      assertThat(Await.get(client.connection(relay.address()).info()).createPowBits())
          .isEqualTo(14);
      Mailbox first = Await.get(client.createMailbox(relay.address()));
      Mailbox second = Await.get(client.createMailbox(relay.address()));
      assertThat(first.address().format()).isNotEqualTo(second.address().format());
      assertThat(Await.get(client.secure(first)).isSecured()).isTrue();
    }
  }

  @Test
  void theCliCreatesAMailboxOnARelayThatAsksForWork() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), true, POW)) {
      Path keystore = dir.resolve("keystore.json");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          SealpostCli.execute(
              new String[] {
                "mailbox", "create", relay.address().format(), "--keystore", keystore.toString()
              },
              new PrintWriter(out),
              new PrintWriter(err));
      assertThat(code).as(err.toString()).isZero();
      assertThat(Keystore.load(keystore).mailboxes()).containsOnlyKeys("inbox");
    }
  }
}
