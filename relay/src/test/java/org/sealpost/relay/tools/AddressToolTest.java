package org.sealpost.relay.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.process.DataDirectory;

class AddressToolTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new AddressTool(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(List.of(args), Map.of());
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A data directory initialised the way a first start does it; returns the relay public key. */
  private byte[] initialise(Path dir) {
    return new RelayKeyStore(new SecureRandom()).load(DataDirectory.open(dir), true).publicKey();
  }

  private static List<String> listing(Path dir) throws IOException {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        entries.add(p.getFileName() + " " + Files.getLastModifiedTime(p) + " " + Files.size(p));
      }
    }
    return entries;
  }

  @Test
  void printsThePublicPortAndSchemeOfAProxyInFrontAndWritesNothing() throws Exception {
    Path data = tmp.resolve("data");
    byte[] key = initialise(data);
    List<String> before = listing(data);

    int code =
        run(
            "--data-dir", data.toString(),
            "--tls-enabled", "false",
            "--listen-port", "8080",
            "--public-host", "relay.example.org",
            "--public-port", "443",
            "--public-scheme", "sealpost");

    assertThat(code).as(stderr()).isZero();
    RelayAddress address = RelayAddress.parse(stdout().strip());
    assertThat(address.transport()).isEqualTo(Transport.TLS);
    assertThat(address.host()).isEqualTo("relay.example.org");
    assertThat(address.port()).isEqualTo(443);
    assertThat(address.relayKey()).isEqualTo(key);
    assertThat(stdout().lines()).hasSize(1);
    assertThat(listing(data)).isEqualTo(before);
  }

  @Test
  void withoutPublicSettingsTheListenerPortAndTlsSettingAreUsed() throws Exception {
    Path data = tmp.resolve("data");
    initialise(data);

    assertThat(
            run(
                "--data-dir",
                data.toString(),
                "--tls-enabled=false",
                "--listen-port",
                "8080",
                "--public-host",
                "relay.example.org"))
        .isZero();
    RelayAddress address = RelayAddress.parse(stdout().strip());
    assertThat(address.transport()).isEqualTo(Transport.PLAIN);
    assertThat(address.port()).isEqualTo(8080);
  }

  @Test
  void warnsWhenThePublicHostIsLocalhostOnAListenerOpenToOthers() throws Exception {
    Path data = tmp.resolve("data");
    initialise(data);

    assertThat(run("--data-dir", data.toString())).isZero();
    assertThat(stdout()).contains("@localhost:8443");
    assertThat(stderr()).contains("warning: public-host is localhost");
  }

  @Test
  void anAbsentDataDirectoryIsReportedAndNotCreated() {
    Path data = tmp.resolve("absent");

    assertThat(run("--data-dir", data.toString(), "--public-host", "relay.example.org"))
        .isEqualTo(3);
    assertThat(stderr()).contains("does not exist");
    assertThat(stdout()).isEmpty();
    assertThat(data).doesNotExist();
  }

  @Test
  void aRelayKeyThatIsNotTheRecordedOneIsRefused() throws Exception {
    Path data = tmp.resolve("data");
    initialise(data);
    Path other = tmp.resolve("other");
    initialise(other);
    Files.copy(
        other.resolve(RelayKeyStore.FILE_NAME),
        data.resolve(RelayKeyStore.FILE_NAME),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(run("--data-dir", data.toString())).isEqualTo(3);
    assertThat(stderr()).contains("not the key this data directory was initialised with");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void anyFreePortWithoutAPublicPortHasNoAddressYet() {
    Path data = tmp.resolve("data");
    initialise(data);

    assertThat(run("--data-dir", data.toString(), "--listen-port", "0")).isEqualTo(2);
    assertThat(stderr()).contains("public.port");
  }

  @Test
  void anUnknownSchemeIsAConfigurationError() {
    Path data = tmp.resolve("data");
    initialise(data);

    assertThat(run("--data-dir", data.toString(), "--public-scheme", "https")).isEqualTo(2);
    assertThat(stderr()).contains("public.scheme (from flag --public-scheme)", "got 'https'");
  }
}
