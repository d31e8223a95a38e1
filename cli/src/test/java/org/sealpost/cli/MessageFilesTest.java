package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ReceivedMessage;

class MessageFilesTest {
  @TempDir Path tmp;

  private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T12:30:45Z"), ZoneOffset.UTC);

  private static ReceivedMessage message(String content) {
    byte[] id = new byte[16];
    id[0] = (byte) 0xab;
    id[3] = 0x01;
    return new ReceivedMessage(null, new byte[32], content.getBytes(StandardCharsets.UTF_8), id);
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void namesComeFromTheReceiverAndStayInsideTheDirectory() throws Exception {
    Path dir = tmp.resolve("in");
    MessageFiles files = MessageFiles.in(dir, clock);

    Path saved = files.save("..", message("x"));
    Path other = files.save("../../etc/passwd", message("y"));

    assertThat(saved.getParent()).isEqualTo(dir.toAbsolutePath());
    assertThat(saved.getFileName().toString()).isEqualTo("__-20261205-123045-ab000001");
    assertThat(other.getParent()).isEqualTo(dir.toAbsolutePath());
    assertThat(other.getFileName().toString()).startsWith("______etc_passwd-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(saved)).isEqualTo("x");
    assertThat(count(tmp)).isEqualTo(1);
  }

  @Test
  void anExistingFileOrALinkAtTheNameIsNeverWrittenThrough() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("in"));
    Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
    String name = "inbox-20261205-123045-ab000001";
    Files.createSymbolicLink(dir.resolve(name), victim);
    Files.writeString(dir.resolve(name + "-2"), "older");

    Path saved = MessageFiles.in(dir, clock).save("inbox", message("new"));

    assertThat(saved.getFileName().toString()).isEqualTo(name + "-3");
    assertThat(Files.readString(saved)).isEqualTo("new");
    assertThat(Files.readString(victim)).isEqualTo("keep me");
    assertThat(Files.readString(dir.resolve(name + "-2"))).isEqualTo("older");
  }

  @Test
  void aFileInsteadOfADirectoryIsAUsageError() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "");
    assertThatThrownBy(() -> MessageFiles.in(file, clock))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Failures.USAGE));
  }
}
