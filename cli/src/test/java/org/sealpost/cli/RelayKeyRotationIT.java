package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cli.crash.RelayProcess;
import org.sealpost.client.Keystore;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.RelayMain;

/**
 * issue 12, relay-key rotation (protocol §4.2.1) with real processes: a relay child JVM (logging at
 * ALL), {@code sealpost relay key rotate|retire} as child processes on its data directory between
 * restarts, and the CLI. A keystore pinned to the old key learns the successor during the
 * transition, stores it and keeps working after retirement; a contact who only knows the new key
 * sends during the transition; a contact still on the old key after retirement gets the one-line
 * "key changed" error. Neither key appears in the relay's log output or the CLI's notices.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RelayKeyRotationIT {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private Result cli(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--keystore";
    all[args.length + 1] = tmp.resolve("keystore.json").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code sealpost relay key ...} in a child JVM, as an operator runs it. */
  private Result keyTool(Path data, int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayMain.class.getName()));
    cmd.add("key");
    cmd.addAll(List.of(args));
    cmd.addAll(
        List.of(
            "--data-dir",
            data.toString(),
            "--listen-port",
            Integer.toString(port),
            "--public-host",
            "127.0.0.1"));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
  }

  private RelayProcess start(Path data, int port, Path logging) throws Exception {
    return RelayProcess.start(data, port, List.of("-Djava.util.logging.config.file=" + logging));
  }

  @Test
  void keystoreMovesToTheSuccessorDuringTheTransitionAndOldContactsGetAClearErrorAfter()
      throws Exception {
    Path data = tmp.resolve("data");
    Path logging = tmp.resolve("logging.properties");
    Files.writeString(
        logging,
        String.join(
            "\n",
            "handlers=java.util.logging.ConsoleHandler",
            ".level=ALL",
            "java.util.logging.ConsoleHandler.level=ALL",
            ""));
    int port = RelayProcess.freePort();
    List<String> relayOutput = new ArrayList<>();
    List<String> notices = new ArrayList<>();

    RelayAddress oldRelay;
    String oldAddress;
    try (RelayProcess relay = start(data, port, logging)) {
      oldRelay = relay.address();
      assertThat(cli("mailbox", "create", oldRelay.format(), "--name", "inbox").code()).isZero();
      oldAddress = cli("mailbox", "address", "inbox").out().strip();
      relay.stop();
      relayOutput.addAll(relay.output());
    }

    Result rotated = keyTool(data, port, "rotate", "--transition-days", "30");
    assertThat(rotated.code()).as(rotated.err()).isZero();
    RelayAddress newRelay = RelayAddress.parse(rotated.out().strip());
    assertThat(newRelay.relayKey()).isNotEqualTo(oldRelay.relayKey());
    assertThat(newRelay.authority()).isEqualTo(oldRelay.authority());
    assertThat(keyTool(data, port, "rotate").code()).isEqualTo(RelayMain.EXIT_START); // one open
    MailboxAddress newAddress = MailboxAddress.parse(oldAddress).withRelay(newRelay);

    try (RelayProcess relay = start(data, port, logging)) { // a restart serves both keys
      // a contact that only knows the new key
      Result fresh = cli("send", newAddress.format(), "from-a-new-contact");
      assertThat(fresh.code()).as(fresh.err()).isZero();
      assertThat(fresh.err()).doesNotContain("changed its key");
      // a contact still on the old key is told the updated address
      Result old = cli("send", oldAddress, "from-an-old-contact");
      assertThat(old.code()).as(old.err()).isZero();
      assertThat(old.err()).contains("changed its key").contains(newAddress.format());

      // the recipient's keystore pins the old key: it learns the successor and stores it
      Result first = cli("receive", "inbox");
      assertThat(first.code()).as(first.err()).isZero();
      assertThat(first.out()).contains("from-a-new-contact").contains("from-an-old-contact");
      assertThat(first.err())
          .contains("relay " + oldRelay.authority() + " changed its key")
          .contains("1 keystore entry updated");
      notices.add(first.err());
      Keystore keystore = Keystore.load(tmp.resolve("keystore.json"));
      assertThat(keystore.mailbox("inbox").orElseThrow().relay()).isEqualTo(newRelay);
      String printed = cli("mailbox", "address", "inbox").out().strip();
      assertThat(MailboxAddress.parse(printed)).isEqualTo(newAddress); // a valid checksum

      // the next run connects with the successor: nothing to learn any more
      assertThat(cli("send", printed, "after-the-move").code()).isZero();
      Result second = cli("receive", "inbox");
      assertThat(second.out()).contains("after-the-move");
      assertThat(second.err()).doesNotContain("changed its key");
      relay.stop();
      relayOutput.addAll(relay.output());
    }

    Result early = keyTool(data, port, "retire");
    assertThat(early.code()).isEqualTo(RelayMain.EXIT_CONFIG);
    assertThat(early.err()).contains("--early");
    Result retired = keyTool(data, port, "retire", "--early");
    assertThat(retired.code()).as(retired.err()).isZero();
    assertThat(RelayAddress.parse(retired.out().strip())).isEqualTo(newRelay);
    assertThat(data.resolve("relay-key.next.pem")).doesNotExist();

    try (RelayProcess relay = start(data, port, logging)) {
      assertThat(relay.address()).isEqualTo(newRelay);
      assertThat(cli("send", newAddress.format(), "after-retirement").code()).isZero();
      Result after = cli("receive", "inbox"); // the keystore pins the successor
      assertThat(after.code()).as(after.err()).isZero();
      assertThat(after.out()).contains("after-retirement");

      Result stale = cli("send", oldAddress, "too-late");
      assertThat(stale.code()).isEqualTo(Failures.HANDSHAKE);
      assertThat(stale.err().strip())
          .startsWith("error: ")
          .contains("no longer")
          .contains("get its new address")
          .doesNotContain("\n")
          .doesNotContain("Exception");
      notices.add(stale.err());
      relay.stop();
      relayOutput.addAll(relay.output());
    }

    // the relay prints its own address at start (that line names the current key by design);
    // nothing else it logged, at level ALL, names either key, and neither do the CLI's notices
    List<String> logged =
        relayOutput.stream().filter(line -> !line.startsWith("relay address: ")).toList();
    assertThat(logged).isNotEmpty();
    for (byte[] key : List.of(oldRelay.relayKey(), newRelay.relayKey())) {
      for (String encoded : encodings(key)) {
        assertThat(String.join("\n", logged)).doesNotContain(encoded);
        assertThat(String.join("\n", notices)).doesNotContain(encoded);
      }
    }
  }

  private static List<String> encodings(byte[] key) {
    return List.of(
        HexFormat.of().formatHex(key),
        Base64.getEncoder().withoutPadding().encodeToString(key),
        Base64.getUrlEncoder().withoutPadding().encodeToString(key));
  }
}
