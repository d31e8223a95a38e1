package org.sealpost.relay.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.process.DataDirectory;

class CheckToolTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(Path data, String... more) {
    List<String> args = new ArrayList<>(List.of("--data-dir", data.toString()));
    args.addAll(List.of(more));
    return new CheckTool(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args, Map.of());
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static Path initialise(Path dir) {
    new RelayKeyStore(new SecureRandom()).load(DataDirectory.open(dir), true);
    return dir;
  }

  @Test
  void aFreshDirectoryIsValidAndNotCreated() {
    Path data = tmp.resolve("new");
    assertThat(check(data)).as(stderr()).isZero();
    assertThat(stdout()).contains("initialised (with a new relay key) at first start", "ok:");
    assertThat(data).doesNotExist();
  }

  @Test
  void anInitialisedDirectoryIsValidAndItsAddressShown() {
    Path data = initialise(tmp.resolve("data"));
    assertThat(check(data, "--public-host", "relay.example.org", "--tls-enabled=false"))
        .as(stderr())
        .isZero();
    assertThat(stdout()).contains("data directory", "relay address: sealpost+ws://");
  }

  @Test
  void aBadSettingIsAConfigurationError() {
    assertThat(check(tmp.resolve("data"), "--listen-port", "99999")).isEqualTo(2);
    assertThat(stderr()).contains("listen.port (from flag --listen-port)");
  }

  @Test
  void aDamagedRelayKeyIsWhatAStartWouldRefuse() throws Exception {
    Path data = initialise(tmp.resolve("data"));
    Path key = data.resolve(RelayKeyStore.FILE_NAME);
    String pem = Files.readString(key);
    PrivateFiles.write(key, pem.replace(pem.substring(40, 44), "AAAA").getBytes());
    assertThat(check(data)).isEqualTo(3);
    assertThat(stderr()).contains("cannot start: relay key");
  }

  // issue 12: relay-key rotation
  @Test
  void anOpenRotationIsShownAndAMissingSuccessorIsWhatAStartWouldRefuse() throws Exception {
    Path data = initialise(tmp.resolve("data"));
    RelayKeyRotation.rotate(
        DataDirectory.inspect(data), LocalDate.of(2031, 3, 1), new SecureRandom());
    assertThat(check(data)).as(stderr()).isZero();
    assertThat(stdout()).contains("relay key rotation: open until 2031-03-01");

    Files.delete(data.resolve(RelayKeyRotation.FILE_NAME));
    assertThat(check(data)).isEqualTo(3);
    assertThat(stderr()).contains("missing while a key rotation is open");
  }

  @Test
  void aForeignDirectoryIsRefused() throws Exception {
    Path data = Files.createDirectory(tmp.resolve("home"));
    Files.writeString(data.resolve("notes.txt"), "mine");
    assertThat(check(data)).isEqualTo(3);
    assertThat(stderr()).contains("not a Sealpost data directory");
  }

  @Test
  void aStoreWithoutItsMasterKeyIsRefused() throws Exception {
    Path data = initialise(tmp.resolve("data"));
    Files.createDirectory(data.resolve("store"));
    assertThat(check(data, "--tls-enabled=false")).isEqualTo(3);
    assertThat(stderr()).contains("store.key (the store's master key) is missing");
  }

  @Test
  void aStoreLeftOpenToOthersByAnEarlierBuildIsNotedNotRefused() throws Exception {
    Path data = initialise(tmp.resolve("data"));
    Path store = Files.createDirectory(data.resolve("store"));
    Path key = Files.write(data.resolve("store.key"), new byte[32]);
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(check(data, "--tls-enabled=false")).as(stderr()).isZero();
    assertThat(stdout())
        .contains(store + ": open to group or others (rwxr-xr-x); the relay restricts it")
        .contains(key + ": open to group or others (rw-r--r--)")
        .contains("ok: the relay would start");
  }

  @Test
  void aCorruptTlsKeyIsNamed() throws Exception {
    Path data = initialise(tmp.resolve("data"));
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAA\n");
    Path key = Files.writeString(tmp.resolve("key.pem"), "garbage");
    assertThat(check(data, "--tls-cert", cert.toString(), "--tls-key", key.toString()))
        .isEqualTo(3);
    assertThat(stderr()).contains("cannot start:", "cert.pem");
  }
}
