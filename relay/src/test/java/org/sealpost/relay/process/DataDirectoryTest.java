package org.sealpost.relay.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.StartupError;
import org.sealpost.relay.crypto.RelayKeyStore;

class DataDirectoryTest {
  @TempDir Path tmp;
  private final RelayKeyStore keys = new RelayKeyStore(new SecureRandom());

  private Path dir(String name, String mode) throws IOException {
    Path d = Files.createDirectory(tmp.resolve(name));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
    return d;
  }

  @Test
  void anAbsentDirectoryIsCreatedPrivateFreshAndMarked() throws IOException {
    Path data = tmp.resolve("a/b/data");
    DataDirectory d = DataDirectory.open(data);
    assertThat(d.fresh()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
    assertThat(d.relayPublicKey()).isEmpty();
    assertThat(data.resolve(DataDirectory.MARKER)).doesNotExist();
    d.recordRelayPublicKey("k");
    assertThat(Files.readString(data.resolve(DataDirectory.MARKER)))
        .contains("format=1")
        .contains("relay-public-key=k");
  }

  @Test
  void anEmptyDirectoryIsFresh() throws IOException {
    assertThat(DataDirectory.open(dir("empty", "rwx------")).fresh()).isTrue();
  }

  @Test
  void aForeignDirectoryIsRefusedWhateverItsModeAndLeftAlone() throws IOException {
    for (String mode : new String[] {"rwx------", "rwxr-xr-x"}) {
      Path foreign = dir("foreign" + mode.hashCode(), mode);
      Files.writeString(foreign.resolve("thesis.tex"), "x");
      assertThatThrownBy(() -> DataDirectory.open(foreign))
          .hasMessageContaining("not a Sealpost data directory")
          .hasMessageContaining(foreign.toString());
      assertThat(foreign.resolve(DataDirectory.MARKER)).doesNotExist();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(foreign)))
          .isEqualTo(mode);
    }
  }

  @Test
  void aDataDirectoryFromBeforeTheMarkerIsAdoptedAndItsKeyRecorded() throws IOException {
    Path legacy = dir("legacy", "rwx------");
    byte[] pub = keys.loadOrCreate(legacy).publicKey(); // as an earlier relay did
    DataDirectory d = DataDirectory.open(legacy);
    assertThat(d.fresh()).isFalse();
    assertThat(keys.load(d, false).publicKey()).isEqualTo(pub);
    assertThat(DataDirectory.open(legacy).relayPublicKey()).isPresent();
    Path storeOnly = dir("store-only", "rwx------");
    Files.createDirectory(storeOnly.resolve("store"));
    assertThat(DataDirectory.open(storeOnly).fresh()).isFalse();
  }

  @Test
  void aMarkerOfAnotherFormatIsRefused() throws IOException {
    Path data = dir("newer", "rwx------");
    PrivateFiles.write(data.resolve(DataDirectory.MARKER), "format=2\n".getBytes());
    assertThatThrownBy(() -> DataDirectory.open(data)).hasMessageContaining("format '2'");
  }

  @Test
  void aMissingKeyIsCreatedOnlyWhenAllowedAndAReplacedKeyIsRefused() throws IOException {
    Path data = tmp.resolve("data");
    byte[] first = keys.load(DataDirectory.open(data), true).publicKey();
    assertThat(keys.load(DataDirectory.open(data), false).publicKey()).isEqualTo(first);

    Path keyFile = data.resolve(RelayKeyStore.FILE_NAME);
    byte[] original = Files.readAllBytes(keyFile);
    Files.delete(keyFile);
    assertThatThrownBy(() -> keys.load(DataDirectory.open(data), false))
        .isInstanceOfSatisfying(
            RelayStartupException.class,
            e -> assertThat(e.error()).isEqualTo(StartupError.RELAY_KEY))
        .hasMessageContaining("is missing");
    assertThat(keyFile).doesNotExist();

    // another valid key in its place: refused, even when initialising
    keys.loadOrCreate(data);
    assertThatThrownBy(() -> keys.load(DataDirectory.open(data), true))
        .hasMessageContaining("damaged or was replaced");

    // initialising creates a missing key and records it
    Files.delete(keyFile);
    byte[] second = keys.load(DataDirectory.open(data), true).publicKey();
    assertThat(second).isNotEqualTo(first);
    assertThat(keys.load(DataDirectory.open(data), false).publicKey()).isEqualTo(second);
    assertThat(Files.readAllBytes(keyFile)).isNotEqualTo(original);
  }

  @Test
  void aTruncatedKeyFileIsRefused() throws IOException {
    Path data = tmp.resolve("data");
    keys.load(DataDirectory.open(data), true);
    Path keyFile = data.resolve(RelayKeyStore.FILE_NAME);
    String pem = Files.readString(keyFile);
    PrivateFiles.write(keyFile, pem.substring(0, pem.length() / 2).getBytes());
    assertThatThrownBy(() -> keys.load(DataDirectory.open(data), true))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining(keyFile.toString());
  }
}
