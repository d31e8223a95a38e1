package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.Keystore;
import org.sealpost.client.SealpostClient;
import org.sealpost.relay.EmbeddedRelay;

/**
 * An invite-only relay (setting {@code create-token}): mailbox creation without its operator's
 * token, or with a wrong one, is refused with a clear error and exit code 9; with the token, from
 * {@code --create-token} or from {@code SEALPOST_CREATE_TOKEN}, it succeeds.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CreateTokenIT {
  private static final String TOKEN = "invite-only-0123456789";

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private Path keystore() {
    return dir.resolve("keystore.json");
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--keystore";
    all[args.length + 1] = keystore().toString();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anInviteOnlyRelayCreatesMailboxesOnlyWithItsToken() throws Exception {
    try (EmbeddedRelay relay =
        EmbeddedRelay.start(dir.resolve("relay"), true, Map.of("create-token", TOKEN))) {
      String address = relay.address().format();

      Result without = run("mailbox", "create", address);
      assertThat(without.code()).as(without.err()).isEqualTo(Failures.PROHIBITED);
      assertThat(without.err().strip())
          .startsWith("error: the relay creates mailboxes only with its operator's creation token")
          .contains(MailboxCommand.CREATE_TOKEN_VARIABLE)
          .doesNotContain("\n");

      Result wrong = run("mailbox", "create", address, "--create-token", "not-the-token-at-all");
      assertThat(wrong.code()).as(wrong.err()).isEqualTo(Failures.PROHIBITED);
      assertThat(wrong.err()).contains("refused the creation token").doesNotContain(TOKEN);

      Result right = run("mailbox", "create", address, "--create-token", TOKEN);
      assertThat(right.code()).as(right.err()).isZero();
      assertThat(Keystore.load(keystore()).mailboxes()).containsOnlyKeys("inbox");
    }
  }

  @Test
  void theClientLibraryPresentsTheToken() throws Exception {
    try (EmbeddedRelay relay =
            EmbeddedRelay.start(dir.resolve("relay"), true, Map.of("create-token", TOKEN));
        SealpostClient client = SealpostClient.create()) {
      assertThat(Await.get(client.connection(relay.address()).info()).creationTokenRequired())
          .isTrue();
      assertThat(Await.error(client.createMailbox(relay.address())))
          .isEqualTo(ClientError.PROHIBITED);
      assertThat(
              Await.get(
                  client.createMailbox(relay.address(), TOKEN.getBytes(StandardCharsets.UTF_8))))
          .isNotNull();
    }
  }

  /** The variable keeps the token out of the command line; a real process reads it. */
  @Test
  void theTokenMayComeFromTheEnvironment() throws Exception {
    try (EmbeddedRelay relay =
        EmbeddedRelay.start(dir.resolve("relay"), true, Map.of("create-token", TOKEN))) {
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-jar",
                      Path.of("target", "sealpost.jar").toAbsolutePath().toString(),
                      "mailbox",
                      "create",
                      relay.address().format(),
                      "--keystore",
                      keystore().toString()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().put(MailboxCommand.CREATE_TOKEN_VARIABLE, TOKEN);
      Process p = pb.start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      assertThat(Keystore.load(keystore()).mailboxes()).containsOnlyKeys("inbox");
    }
  }
}
