package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;

/** The command line parsed and run in this process, without a relay. */
class SealpostCliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SealpostCli.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEverySubcommand() {
    Result r = run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("relay", "mailbox", "send", "receive", "demo");
  }

  @Test
  void noSubcommandIsAUsageError() {
    Result r = run();

    assertThat(r.code()).isEqualTo(Failures.USAGE);
    assertThat(r.err()).contains("subcommand");
  }

  @Test
  void sendToSomethingThatIsNotAMailboxAddressIsABadAddress() {
    Result r =
        run("send", "--keystore", dir.resolve("k.json").toString(), "https://example.org", "hi");

    assertThat(r.code()).isEqualTo(Failures.BAD_ADDRESS);
    assertThat(r.err().strip()).startsWith("error: bad address").doesNotContain("\n");
  }

  @Test
  void aRelayAddressGivenToSendIsRefusedAsTheWrongKind() {
    String relay = "sealpost://" + "A".repeat(43) + "@relay.example:8443";

    Result r = run("send", "--keystore", dir.resolve("k.json").toString(), relay, "hi");

    assertThat(r.code()).isEqualTo(Failures.BAD_ADDRESS);
    assertThat(r.err()).contains("WRONG_KIND");
  }

  @Test
  void aMistypedMailboxAddressIsRefusedInOneLineBeforeAnyConnection() throws Exception {
    byte[] key = new byte[32];
    byte[] sealing = new byte[32];
    sealing[5] = 9;
    // port 1 on loopback: were the address accepted, send would fail as unreachable instead
    RelayAddress relay = RelayAddress.of(Transport.PLAIN, key, "127.0.0.1", 1, 16_359);
    String good = MailboxAddress.of(relay, new byte[32], sealing, null).format();
    int i = good.indexOf("/m/") + 3 + 43 + 1 + 10; // inside the sealing key
    String typo =
        good.substring(0, i) + (good.charAt(i) == 'B' ? 'C' : 'B') + good.substring(i + 1);

    Result r = run("send", "--keystore", dir.resolve("k.json").toString(), typo, "hi");

    assertThat(r.code()).isEqualTo(Failures.BAD_ADDRESS);
    assertThat(r.err().strip())
        .startsWith("error: bad address: CHECKSUM")
        .contains("mistyped")
        .doesNotContain("\n")
        .doesNotContain(typo.substring(typo.indexOf("/m/") + 3));
  }

  @Test
  void mailboxCreateNeedsARelayAddress() {
    Result r =
        run("mailbox", "create", "--keystore", dir.resolve("k.json").toString(), "relay.example");

    assertThat(r.code()).isEqualTo(Failures.BAD_ADDRESS);
    assertThat(r.err()).startsWith("error: bad address: not a relay address");
  }

  @Test
  void addressAndReceiveWithoutAKeystoreSayWhatIsMissing() {
    String ks = dir.resolve("none.json").toString();

    Result address = run("mailbox", "address", "--keystore", ks);
    Result receive = run("receive", "--keystore", ks);

    assertThat(address.code()).isEqualTo(Failures.KEYSTORE);
    assertThat(address.err()).contains("does not exist");
    assertThat(receive.code()).isEqualTo(Failures.KEYSTORE);
  }

  @Test
  void listOfAnEmptyKeystoreSaysHowToCreateOne() {
    Result r = run("mailbox", "list", "--keystore", dir.resolve("k.json").toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("mailbox create");
  }

  @Test
  void unreachableRelayIsExitCodeFourWithOneLine() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String relay = "sealpost+ws://" + "A".repeat(42) + "E@127.0.0.1:" + port;

    Result r = run("mailbox", "create", "--keystore", dir.resolve("k.json").toString(), relay);

    assertThat(r.code()).isEqualTo(Failures.UNREACHABLE);
    assertThat(r.err().strip()).startsWith("error: relay unreachable").doesNotContain("\n");
  }

  @Test
  void textThatIsNotUtf8IsShownAsBinary() {
    assertThat(ReceiveCommand.text(new byte[] {(byte) 0xFF, 0x00})).contains("2 bytes of binary");
    assertThat(ReceiveCommand.text("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo("héllo");
  }
}
