package org.sealpost.relay.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.process.DataDirectory;
import org.sealpost.relay.queue.ClusterBackend;

/**
 * Makes a snapshot of a data directory that is itself a data directory: the marker, the relay key,
 * and the store's master key with a RocksDB checkpoint of the store (a cluster node: of each of its
 * shard stores), so that a relay started on a copy of it serves everything the stores held at that
 * moment under the same relay address.
 *
 * <p>The running relay stages the snapshot inside its own data directory ({@value #STAGING}): on
 * the same file system the checkpoint hard-links the store's SST files instead of copying them, and
 * under the systemd unit the data directory is the only place the relay may write. The backup tool
 * copies it out and deletes it; a relay deletes a leftover at start and before the next snapshot,
 * because its hard links keep deleted envelopes' files alive.
 */
public final class Snapshots {
  /** The staging directory inside the data directory. */
  public static final String STAGING = "backup-staging";

  /** The store's master key, beside the store (a cluster node has one in each shard directory). */
  private static final String STORE_KEY = "store.key";

  /** The store directory (a cluster node has one in each shard directory). */
  private static final String STORE = "store";

  private Snapshots() {}

  /**
   * Writes a fresh snapshot of a single relay's data directory to {@code dataDir/backup-staging}
   * (replacing a previous one) while the store serves: the relay's files, {@code store.key} and a
   * checkpoint of the store in {@code store/}. Blocking.
   *
   * @return the staging directory
   */
  public static Path stage(Path dataDir, MailboxStore store) throws IOException {
    Path staging = startStaging(dataDir);
    copyFile(dataDir.resolve(STORE_KEY), staging.resolve(STORE_KEY));
    store.checkpoint(staging.resolve(STORE));
    syncDirectory(staging);
    return staging;
  }

  /**
   * Writes a fresh snapshot of a cluster node's data directory to {@code dataDir/backup-staging}
   * (replacing a previous one) while its shards serve: the relay's files and, for each of {@code
   * shards}, its shard directory ({@link ClusterBackend#shardDir}) with the shard marker, its
   * {@code store.key} and a checkpoint of its store. A node has no store of its own, so there is
   * none at the top. Each shard is checkpointed at its own moment, one after the other. Blocking.
   *
   * @param shards the node's open shard stores by shard number
   * @return the staging directory
   */
  public static Path stageShards(Path dataDir, Map<Integer, MailboxStore> shards)
      throws IOException {
    Path staging = startStaging(dataDir);
    for (Map.Entry<Integer, MailboxStore> shard : new TreeMap<>(shards).entrySet()) {
      Path from = ClusterBackend.shardDir(dataDir, shard.getKey());
      Path to = ClusterBackend.shardDir(staging, shard.getKey());
      PrivateFiles.createDirectories(to);
      copyFile(from.resolve(ClusterBackend.SHARD_MARKER), to.resolve(ClusterBackend.SHARD_MARKER));
      copyFile(from.resolve(STORE_KEY), to.resolve(STORE_KEY));
      shard.getValue().checkpoint(to.resolve(STORE));
      syncDirectory(to);
    }
    if (!shards.isEmpty()) {
      syncDirectory(ClusterBackend.shardsDir(staging));
    }
    syncDirectory(staging);
    return staging;
  }

  /**
   * Replaces the staging directory by one holding the files every data directory needs besides its
   * stores: the marker and the relay key, and during a key rotation its successor.
   */
  private static Path startStaging(Path dataDir) throws IOException {
    Path staging = dataDir.resolve(STAGING);
    deleteTree(staging);
    PrivateFiles.createDirectories(staging);
    for (String name : List.of(DataDirectory.MARKER, RelayKeyStore.FILE_NAME)) {
      copyFile(dataDir.resolve(name), staging.resolve(name));
    }
    // issue 12: during a key rotation the successor key belongs to the data directory too
    Path successor = dataDir.resolve(RelayKeyRotation.FILE_NAME);
    if (Files.exists(successor)) {
      copyFile(successor, staging.resolve(RelayKeyRotation.FILE_NAME));
    }
    return staging;
  }

  /**
   * Copies a snapshot (or any tree) to {@code target}, which must not exist or be empty:
   * directories 0700, files 0600, each file synced.
   */
  public static long copyTree(Path source, Path target) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(target + " is not empty");
        }
      }
    }
    PrivateFiles.createDirectories(target);
    long[] bytes = {0};
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            PrivateFiles.createDirectories(target.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!attrs.isRegularFile()) {
              throw new IOException(file + " is not a regular file");
            }
            copyFile(file, target.resolve(source.relativize(file).toString()));
            bytes[0] += attrs.size();
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            syncDirectory(target.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }
        });
    return bytes[0];
  }

  /** Deletes a tree if it exists (links are deleted, never followed). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void copyFile(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    if (PrivateFiles.posix(to)) {
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
    }
    try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the files themselves are synced
    }
  }
}
