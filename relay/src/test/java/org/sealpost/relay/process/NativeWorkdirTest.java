package org.sealpost.relay.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Netty unpacks BoringSSL: a private directory in the cache, unless the operator chose. */
class NativeWorkdirTest {
  @TempDir Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty(NativeWorkdir.PROPERTY);
  }

  @Test
  void aPrivateDirectoryInTheCacheUnlessTheOperatorSetOne() throws Exception {
    Path dir = NativeWorkdir.apply(Optional.of(tmp)).orElseThrow();
    assertThat(dir).isEqualTo(tmp.resolve("netty-native"));
    assertThat(System.getProperty(NativeWorkdir.PROPERTY)).isEqualTo(dir.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");

    System.setProperty(NativeWorkdir.PROPERTY, "/operator/choice");
    assertThat(NativeWorkdir.apply(Optional.of(tmp))).isEmpty();
    assertThat(System.getProperty(NativeWorkdir.PROPERTY)).isEqualTo("/operator/choice");
  }

  @Test
  void withoutACacheNettyKeepsItsTemporaryDirectory() {
    assertThat(NativeWorkdir.apply(Optional.empty())).isEmpty();
    assertThat(System.getProperty(NativeWorkdir.PROPERTY)).isNull();
  }
}
