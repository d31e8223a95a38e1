package org.sealpost.relay.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.process.DataDirectory;

class RelayKeyRotationTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final LocalDate END = LocalDate.of(2031, 3, 1);

  @TempDir Path dir;

  private X25519KeyPair initialise() {
    return new RelayKeyStore(RANDOM).load(DataDirectory.open(dir), true);
  }

  @Test
  void rotateCreatesARecordedSuccessorThatLoadsBesideTheKey() {
    X25519KeyPair current = initialise();
    byte[] successor = RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);

    assertThat(successor).hasSize(32).isNotEqualTo(current.publicKey());
    assertThat(dir.resolve(RelayKeyRotation.FILE_NAME)).exists();
    DataDirectory reopened = DataDirectory.open(dir);
    X25519KeyPair again = new RelayKeyStore(RANDOM).load(reopened, false);
    assertThat(again.publicKey()).isEqualTo(current.publicKey());
    RelayKeySuccessor loaded = RelayKeyRotation.load(reopened, again).orElseThrow();
    assertThat(loaded.key().publicKey()).isEqualTo(successor);
    assertThat(loaded.transitionEnd()).isEqualTo(END);
    assertThat(loaded.transitionEndEpochSecond())
        .isEqualTo(END.atStartOfDay().toEpochSecond(ZoneOffset.UTC))
        .isEqualTo(1_930_089_600L);
  }

  @Test
  void aSecondRotateIsRefusedWhileOneIsOpen() {
    initialise();
    RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);
    assertThatThrownBy(() -> RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining("already open");
  }

  @Test
  void retireMakesTheSuccessorTheKeyAndDeletesTheOldOne() throws Exception {
    X25519KeyPair old = initialise();
    String oldPem = Files.readString(dir.resolve(RelayKeyStore.FILE_NAME));
    byte[] successor = RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);

    byte[] now = RelayKeyRotation.retire(DataDirectory.inspect(dir));

    assertThat(now).isEqualTo(successor);
    assertThat(dir.resolve(RelayKeyRotation.FILE_NAME)).doesNotExist();
    assertThat(Files.readString(dir.resolve(RelayKeyStore.FILE_NAME))).isNotEqualTo(oldPem);
    DataDirectory reopened = DataDirectory.open(dir);
    X25519KeyPair key = new RelayKeyStore(RANDOM).load(reopened, false);
    assertThat(key.publicKey()).isEqualTo(successor).isNotEqualTo(old.publicKey());
    assertThat(RelayKeyRotation.load(reopened, key)).isEmpty();
    assertThat(reopened.successorPublicKey()).isEmpty();
    assertThat(reopened.transitionEnd()).isEmpty();
    // no file of the data directory holds the old key any more
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).doesNotContain(oldPem.strip());
      }
    }
  }

  @Test
  void retireWithoutARotationIsRefused() {
    initialise();
    assertThatThrownBy(() -> RelayKeyRotation.retire(DataDirectory.inspect(dir)))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining("no key rotation is open");
  }

  @Test
  void aRetirementInterruptedAfterTheKeyFileWasReplacedIsFinishedAtTheNextLoad() throws Exception {
    initialise();
    byte[] successor = RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);
    // the crash: the key file already holds the successor, the marker still names the old key
    Files.copy(
        dir.resolve(RelayKeyRotation.FILE_NAME),
        dir.resolve(RelayKeyStore.FILE_NAME),
        StandardCopyOption.REPLACE_EXISTING);

    assertThat(RelayKeyStore.publicKeyOf(DataDirectory.inspect(dir))).isEqualTo(successor);
    DataDirectory reopened = DataDirectory.open(dir);
    X25519KeyPair key = new RelayKeyStore(RANDOM).load(reopened, false);

    assertThat(key.publicKey()).isEqualTo(successor);
    assertThat(RelayKeyRotation.load(reopened, key)).isEmpty();
    assertThat(dir.resolve(RelayKeyRotation.FILE_NAME)).doesNotExist();
    assertThat(DataDirectory.inspect(dir).successorPublicKey()).isEmpty();
  }

  @Test
  void aMissingOrReplacedSuccessorFileIsRefusedNeverRegenerated() throws Exception {
    X25519KeyPair current = initialise();
    RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);
    Path file = dir.resolve(RelayKeyRotation.FILE_NAME);
    Path saved = dir.resolveSibling(dir.getFileName() + ".saved");
    Files.move(file, saved);
    assertThatThrownBy(() -> RelayKeyRotation.load(DataDirectory.open(dir), current))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining("missing while a key rotation is open");

    new RelayKeyStore(RANDOM).create(file); // another key under the successor's name
    assertThatThrownBy(() -> RelayKeyRotation.load(DataDirectory.open(dir), current))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining("not the key this data directory was initialised with");
    Files.move(saved, file, StandardCopyOption.REPLACE_EXISTING);
    assertThat(RelayKeyRotation.load(DataDirectory.open(dir), current)).isPresent();
  }

  @Test
  void anUnannouncedSuccessorFileIsRefused() {
    X25519KeyPair current = initialise();
    new RelayKeyStore(RANDOM).create(dir.resolve(RelayKeyRotation.FILE_NAME));
    assertThatThrownBy(() -> RelayKeyRotation.load(DataDirectory.open(dir), current))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining("never announced");
    assertThat(dir.resolve(RelayKeyRotation.FILE_NAME)).exists();
  }

  @Test
  void errorMessagesNeverNameKeys() {
    X25519KeyPair current = initialise();
    byte[] successor = RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM);
    String encoded = RelayKeyStore.encode(successor);
    assertThatThrownBy(() -> RelayKeyRotation.rotate(DataDirectory.inspect(dir), END, RANDOM))
        .message()
        .doesNotContain(encoded)
        .doesNotContain(RelayKeyStore.encode(current.publicKey()));
  }
}
