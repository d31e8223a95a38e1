package org.sealpost.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HexFormat;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.proto.files.PrivateFiles;

/**
 * Where {@code receive --save DIR} puts messages: one new file per message, mode 0600, synced
 * before the message is acknowledged. The name is made here, never taken from the sender (the
 * content carries no name, protocol §7.3): {@code MAILBOX-yyyyMMdd-HHmmss-ID}, with the mailbox's
 * local name reduced to safe characters and ID the first 4 bytes of the envelope ID in hex. An
 * existing file is never replaced or followed (a symbolic link in its place included): the next
 * free {@code -2}, {@code -3} ... suffix is taken instead.
 */
final class MessageFiles {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final int MAX_SUFFIX = 10_000;
  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path dir;
  private final Clock clock;

  private MessageFiles(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** The directory, created (0700) if absent; it must be a directory. */
  static MessageFiles in(Path dir, Clock clock) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        PrivateFiles.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new CliException(
          "cannot create " + dir + " (" + e.getClass().getSimpleName() + ")", Failures.FAILED);
    }
    if (!Files.isDirectory(dir)) {
      throw new CliException(dir + " is not a directory", Failures.USAGE);
    }
    return new MessageFiles(dir.toAbsolutePath().normalize(), clock);
  }

  /** Writes the message's content to a new file and returns it. */
  Path save(String mailbox, ReceivedMessage message) {
    String base =
        safe(mailbox)
            + "-"
            + STAMP.format(clock.instant())
            + "-"
            + HexFormat.of().formatHex(message.envelopeId(), 0, 4);
    for (int n = 1; n <= MAX_SUFFIX; n++) {
      Path file = inside(n == 1 ? base : base + "-" + n);
      try {
        write(file, message.content());
        return file;
      } catch (FileAlreadyExistsException e) {
        // taken (or a link put there): never overwrite, try the next name
      } catch (IOException e) {
        throw new CliException(
            "cannot save a message in "
                + dir
                + " ("
                + e.getClass().getSimpleName()
                + "); it stays on the relay",
            Failures.FAILED);
      }
    }
    throw new CliException("no free file name in " + dir, Failures.FAILED);
  }

  /** Letters, digits, '_' and '-' only, so a name can neither climb out nor hide (".", ".."). */
  static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_-]", "_");
    return s.isEmpty() ? "message" : s.substring(0, Math.min(s.length(), 64));
  }

  private Path inside(String name) {
    Path file = dir.resolve(name).normalize();
    if (!dir.equals(file.getParent())) {
      throw new IllegalStateException("file name escapes the directory");
    }
    return file;
  }

  private static void write(Path file, byte[] content) throws IOException {
    var options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (FileChannel ch =
        PrivateFiles.posix(file.getParent())
            ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : FileChannel.open(file, options)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }
}
