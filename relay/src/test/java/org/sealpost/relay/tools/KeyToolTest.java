package org.sealpost.relay.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.process.DataDirectory;

/** issue 12: {@code sealpost relay key rotate|retire} on a data directory, with a fixed clock. */
class KeyToolTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Instant now, String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", dir.toString(), "--listen-port", "443"));
    all.addAll(List.of("--public-host", "relay.example.org"));
    return new KeyTool(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.fixed(now, ZoneOffset.UTC))
        .run(all, Map.of());
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rotatePrintsTheNewAddressAndRetireWaitsForTheAnnouncedEnd() throws Exception {
    byte[] old =
        new RelayKeyStore(new SecureRandom()).load(DataDirectory.open(dir), true).publicKey();

    assertThat(run(NOW, "rotate", "--transition-days", "30")).isEqualTo(RelayMain.EXIT_OK);
    RelayAddress next = RelayAddress.parse(stdout().strip());
    assertThat(next.authority()).isEqualTo("relay.example.org:443");
    assertThat(next.relayKey()).isNotEqualTo(old);
    assertThat(stderr()).contains("2030-07-01").contains("restart");
    assertThat(DataDirectory.inspect(dir).transitionEnd()).contains(LocalDate.of(2030, 7, 1));

    // 'relay address' keeps printing the current address, and names the successor on stderr
    ByteArrayOutputStream addressOut = new ByteArrayOutputStream();
    ByteArrayOutputStream addressErr = new ByteArrayOutputStream();
    new AddressTool(
            new PrintStream(addressOut, true, StandardCharsets.UTF_8),
            new PrintStream(addressErr, true, StandardCharsets.UTF_8))
        .run(
            List.of(
                "--data-dir",
                dir.toString(),
                "--listen-port",
                "443",
                "--public-host",
                "relay.example.org"),
            Map.of());
    assertThat(RelayAddress.parse(addressOut.toString(StandardCharsets.UTF_8).strip()).relayKey())
        .isEqualTo(old);
    assertThat(addressErr.toString(StandardCharsets.UTF_8))
        .contains("key rotation is open until 2030-07-01")
        .contains(next.format());

    assertThat(run(NOW.plusSeconds(86_400 * 29), "retire")).isEqualTo(RelayMain.EXIT_CONFIG);
    assertThat(stderr()).contains("2030-07-01").contains("--early");
    assertThat(stdout()).isEmpty();

    assertThat(run(NOW.plusSeconds(86_400 * 30), "retire")).isEqualTo(RelayMain.EXIT_OK);
    assertThat(RelayAddress.parse(stdout().strip())).isEqualTo(next);
    assertThat(RelayKeyStore.publicKeyOf(DataDirectory.inspect(dir))).isEqualTo(next.relayKey());
    assertThat(run(NOW, "retire")).isEqualTo(RelayMain.EXIT_START);
    assertThat(stderr()).contains("no key rotation is open");
  }

  @Test
  void usageErrorsAreExitTwoAndChangeNothing() {
    new RelayKeyStore(new SecureRandom()).load(DataDirectory.open(dir), true);
    for (String[] args :
        new String[][] {
          {"rotate", "--transition-days", "0"},
          {"rotate", "--transition-days", "731"},
          {"rotate", "--transition-days", "soon"},
          {"rotate", "--transition-days"},
          {"spin"}
        }) {
      assertThat(run(NOW, args)).as(String.join(" ", args)).isEqualTo(RelayMain.EXIT_CONFIG);
    }
    assertThat(DataDirectory.inspect(dir).successorPublicKey()).isEmpty();
  }

  @Test
  void aDataDirectoryThatWasNeverInitialisedIsExitThree() {
    assertThat(run(NOW, "rotate")).isEqualTo(RelayMain.EXIT_START);
    assertThat(stderr()).startsWith("cannot rotate the relay key: ");
  }
}
