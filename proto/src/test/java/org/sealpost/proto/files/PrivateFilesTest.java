package org.sealpost.proto.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PrivateFilesTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeCreatesAnOwnerOnlyFileWithTheContentAndNothingElse() throws IOException {
    Path file = tmp.resolve("secret.key");
    byte[] content = new byte[3 << 20]; // several write() calls
    new Random(1).nextBytes(content);

    PrivateFiles.write(file, content);

    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    assertThat(PrivateFiles.read(file)).isEqualTo(content);
    assertThat(names()).containsExactly("secret.key");
  }

  @Test
  void writeReplacesAnExistingFileAndItsLooseMode() throws IOException {
    Path file = tmp.resolve("secret.key");
    Files.write(file, utf8("old, world-readable"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    PrivateFiles.write(file, utf8("new"));

    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(names()).containsExactly("secret.key");
  }

  @Test
  void aCrashBetweenTheTempWriteAndTheRenameLeavesTheOldFile() throws IOException {
    Path file = tmp.resolve("keystore.json");
    PrivateFiles.write(file, utf8("old"));

    assertThatThrownBy(
            () ->
                PrivateFiles.write(
                    file,
                    utf8("new"),
                    () -> {
                      // the moment of the crash: the new bytes are synced in a private temp file,
                      // the target still holds the old ones
                      List<String> names = names();
                      assertThat(names).hasSize(2).contains("keystore.json");
                      Path temp =
                          tmp.resolve(
                              names.stream().filter(n -> n.endsWith(".tmp")).findFirst().get());
                      assertThat(temp.getFileName().toString()).startsWith(".keystore.json.");
                      assertThat(mode(temp)).isEqualTo("rw-------");
                      assertThat(Files.readString(temp)).isEqualTo("new");
                      assertThat(Files.readString(file)).isEqualTo("old");
                      throw new IOException("simulated crash");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("simulated crash");

    assertThat(Files.readString(file)).isEqualTo("old");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(names()).containsExactly("keystore.json"); // the failed write cleaned up
  }

  @ParameterizedTest
  @EnumSource(
      value = PosixFilePermission.class,
      names = {"GROUP_.*", "OTHERS_.*"},
      mode = EnumSource.Mode.MATCH_ANY)
  void readRefusesAFileWithAnyGroupOrOtherBit(PosixFilePermission bit) throws IOException {
    Path file = tmp.resolve("secret.key");
    PrivateFiles.write(file, utf8("do-not-echo-me"));
    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, bit);
    Files.setPosixFilePermissions(file, perms);

    assertThat(PrivateFiles.isOwnerOnly(file)).isFalse();
    assertThatThrownBy(() -> PrivateFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("chmod 600")
        .hasMessageNotContaining("do-not-echo-me");
  }

  @Test
  void readAcceptsOwnerOnlyModes() throws IOException {
    Path file = tmp.resolve("secret.key");
    PrivateFiles.write(file, utf8("k"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

    assertThat(PrivateFiles.isOwnerOnly(file)).isTrue();
    assertThat(PrivateFiles.read(file)).isEqualTo(utf8("k"));
  }

  @Test
  void createDirectoriesMakesEveryMissingDirectory0700AndLeavesExistingOnesAlone()
      throws IOException {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path inner = tmp.resolve("a").resolve("b");

    PrivateFiles.createDirectories(inner);
    PrivateFiles.createDirectories(inner); // idempotent

    assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(inner)).isEqualTo("rwx------");
    assertThat(mode(tmp)).isEqualTo("rwxr-xr-x");
  }

  @Test
  void ensurePrivateDirectoryCreatesOneAndRefusesOneOpenToOthers() throws IOException {
    Path data = tmp.resolve("data");
    PrivateFiles.ensurePrivateDirectory(data);
    assertThat(mode(data)).isEqualTo("rwx------");

    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
    assertThatThrownBy(() -> PrivateFiles.ensurePrivateDirectory(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("chmod 700");

    Path plainFile = tmp.resolve("file");
    Files.writeString(plainFile, "x");
    assertThatThrownBy(() -> PrivateFiles.ensurePrivateDirectory(plainFile))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a directory");
  }
}
