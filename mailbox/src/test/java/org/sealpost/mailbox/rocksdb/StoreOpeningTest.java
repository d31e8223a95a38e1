package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxException.OpenFailure;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;

/** Opening a data directory: every refusal names its cause and changes nothing. */
class StoreOpeningTest {
  @TempDir Path tmp;

  private Path dataDir() {
    return tmp.resolve("store");
  }

  private Path keyFile() {
    return tmp.resolve("store.key");
  }

  private RocksMailboxStore open(UnaryOperator<MailboxConfig.Builder> tweak) {
    return RocksMailboxStore.opener(
            tweak.apply(MailboxConfig.builder(dataDir(), keyFile())).build())
        .open();
  }

  private RocksMailboxStore open() {
    return open(b -> b);
  }

  private static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Opens expecting a refusal; checks the message says why and names no path. */
  private OpenFailure refusal(UnaryOperator<MailboxConfig.Builder> tweak) {
    try {
      open(tweak).close();
    } catch (MailboxException e) {
      assertThat(e.openFailure()).as("an open failure names its cause").isPresent();
      OpenFailure f = e.openFailure().orElseThrow();
      assertThat(e.code()).isEqualTo(f.code());
      assertThat(e.getMessage()).contains(f.description()).doesNotContain(tmp.toString());
      assertThat(e.getMessage()).doesNotContain("\n");
      return f;
    }
    throw new AssertionError("open should fail");
  }

  private OpenFailure refusal() {
    return refusal(b -> b);
  }

  /** A store with a queue and envelopes, some still only in the WAL when it closed. */
  private void makeStore() throws Exception {
    try (RocksMailboxStore s = open()) {
      QueueRecord q = await(s.createQueue(new QueueSecrets(new byte[32], new byte[32])));
      for (int i = 0; i < 20; i++) {
        await(s.append(q.queueId(), new byte[] {(byte) i, 1, 2, 3}));
      }
    }
  }

  /** Every file under {@code root}: name → size, modification time, SHA-256. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        String hash;
        try {
          hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new AssertionError(e);
        }
        files.put(
            root.relativize(p).toString(),
            bytes.length + " " + Files.getLastModifiedTime(p).toMillis() + " " + hash);
      }
    }
    return files;
  }

  // ---- issue 16.6: a failed start does not change the store ----

  @Test
  void aWrongKeyIsRefusedBeforeAnyFileOfTheStoreChanges() throws Exception {
    makeStore();
    byte[] right = Files.readAllBytes(keyFile());
    byte[] wrong = new byte[32];
    new SecureRandom().nextBytes(wrong);
    Files.write(keyFile(), wrong);
    Map<String, String> before = snapshot(dataDir());

    assertThat(refusal()).isEqualTo(OpenFailure.KEY_WRONG);

    assertThat(snapshot(dataDir())).isEqualTo(before);
    Files.write(keyFile(), right);
    try (RocksMailboxStore s = open()) {
      assertThat(await(s.stats()).envelopes()).isEqualTo(20);
    }
  }

  @Test
  void everyKeyProblemIsRefusedBeforeAnyFileOfTheStoreChanges() throws Exception {
    makeStore();
    Map<String, String> before = snapshot(dataDir());
    byte[] right = Files.readAllBytes(keyFile());

    Files.write(keyFile(), new byte[16]);
    assertThat(refusal()).isEqualTo(OpenFailure.KEY_TRUNCATED);
    Files.delete(keyFile());
    assertThat(refusal()).isEqualTo(OpenFailure.KEY_MISSING);
    assertThat(Files.exists(keyFile())).as("no new key for an existing store").isFalse();
    Files.createDirectory(keyFile());
    assertThat(refusal()).isEqualTo(OpenFailure.KEY_UNREADABLE);
    Files.delete(keyFile());

    assertThat(snapshot(dataDir())).isEqualTo(before);
    Files.write(keyFile(), right);
    open().close();
  }

  // ---- issue 17.4: every open failure names its cause ----

  @Test
  void aStoreInUseIsRefusedAsInUse() throws Exception {
    try (RocksMailboxStore first = open()) {
      assertThat(refusal()).isEqualTo(OpenFailure.IN_USE);
      assertThat(await(first.createQueue(new QueueSecrets(new byte[32], new byte[32]))))
          .isNotNull();
    }
  }

  @Test
  void aDataDirectoryPathThatIsAFileIsRefused() throws Exception {
    Files.writeString(dataDir(), "x");
    assertThat(refusal()).isEqualTo(OpenFailure.NOT_A_DIRECTORY);
    assertThat(Files.exists(keyFile())).isFalse();
  }

  @Test
  void foreignDirectoriesAreRefusedAsForeign() throws Exception {
    Files.createDirectories(dataDir());
    Files.writeString(dataDir().resolve("notes.txt"), "not a database");
    assertThat(refusal()).isEqualTo(OpenFailure.FOREIGN);
    Files.delete(dataDir().resolve("notes.txt"));

    // a RocksDB database, but not ours (only the default column family)
    NativeLibrary.load();
    try (Options o = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(o, dataDir().toString())) {
      db.put("k".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[1]);
    }
    Files.write(keyFile(), new byte[32]);
    assertThat(refusal()).isEqualTo(OpenFailure.FOREIGN);
  }

  @Test
  void damagedFilesAreRefusedAsDamaged() throws Exception {
    makeStore();
    // (a garbled MANIFEST reads, for RocksDB, as a database with only the default family: that
    // is refused as FOREIGN, under the same CORRUPT code)
    // CURRENT naming a MANIFEST that is not there
    Files.writeString(dataDir().resolve("CURRENT"), "MANIFEST-999999\n");
    assertThat(refusal()).isEqualTo(OpenFailure.DAMAGED);
  }

  @Test
  void anExhaustedEpochCounterIsRefused() throws Exception {
    try (RocksMailboxStore s = open()) {
      byte[] epoch = new byte[8];
      KeyCodec.putLong(epoch, 0, (1L << 23) - 1);
      s.writer()
          .mutations()
          .engine()
          .putForTest(
              RocksEngine.Family.META,
              "epoch".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              epoch);
    }
    assertThat(refusal()).isEqualTo(OpenFailure.EPOCHS_EXHAUSTED);
  }

  @Test
  void anUnwritableDataDirectoryIsRefusedAsNotWritable() throws Exception {
    // the check itself (tests run as root, for whom permission bits allow everything)
    assertThatThrownBy(() -> StoreDirectory.requireWritable(dataDir(), false))
        .isInstanceOfSatisfying(
            MailboxException.class,
            e -> assertThat(e.openFailure()).contains(OpenFailure.NOT_WRITABLE));
    StoreDirectory.requireWritable(dataDir(), true);

    // and end to end where the filesystem can make a directory immutable even for root
    makeStore();
    Assumptions.assumeTrue(chattr("+i", dataDir()), "chattr +i not available");
    try {
      assertThat(refusal()).isEqualTo(OpenFailure.NOT_WRITABLE);
    } finally {
      chattr("-i", dataDir());
    }
    open().close();
  }

  private static boolean chattr(String flag, Path p) {
    try {
      Process proc = new ProcessBuilder(List.of("chattr", flag, p.toString())).start();
      return proc.waitFor(10, TimeUnit.SECONDS) && proc.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- issue 17.3: a deleted store is not silently replaced ----

  @Test
  void aDeletedStoreBesideItsKeyIsNotReplacedByAnEmptyOne() throws Exception {
    makeStore();
    byte[] key = Files.readAllBytes(keyFile());
    try (Stream<Path> s = Files.walk(dataDir())) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }

    assertThat(refusal()).isEqualTo(OpenFailure.STORE_MISSING);

    assertThat(Files.exists(dataDir())).as("no empty store was made").isFalse();
    assertThat(Files.readAllBytes(keyFile())).isEqualTo(key);
    // the documented way out: move the key away, and a new, empty store starts
    Files.move(keyFile(), tmp.resolve("store.key.old"));
    try (RocksMailboxStore s = open()) {
      assertThat(await(s.stats()).queues()).isZero();
    }
  }

  @Test
  void withoutCreateIfMissingNothingIsCreated() throws Exception {
    assertThat(refusal(b -> b.createIfMissing(false))).isEqualTo(OpenFailure.NOT_INITIALISED);
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).isEmpty();
    }
    makeStore();
    // an existing store opens whatever the flag says
    open(b -> b.createIfMissing(false)).close();
  }

  @Test
  void anInterruptedCreationIsResumedWithItsKey() throws Exception {
    // a crash after the key was written and before the new store was renamed into place
    Files.createDirectories(StoreDirectory.creatingDir(dataDir()));
    Files.writeString(StoreDirectory.creatingDir(dataDir()).resolve("000001.log"), "partial");
    byte[] key = MasterKeyFile.create(keyFile(), new SecureRandom());

    try (RocksMailboxStore s = open()) {
      assertThat(await(s.stats()).queues()).isZero();
    }
    assertThat(Files.readAllBytes(keyFile())).isEqualTo(key);
    assertThat(Files.exists(StoreDirectory.creatingDir(dataDir()))).isFalse();
  }

  // ---- the store's directory is its owner's alone ----

  @Test
  void aNewStoreIsItsOwnersAloneWhateverTheUmask() throws Exception {
    Assumptions.assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
    makeStore(); // this JVM's umask is the usual 022, which RocksDB's own mkdir would keep
    assertThat(mode(dataDir())).isEqualTo("rwx------");
    assertThat(mode(keyFile())).isEqualTo("rw-------");
  }

  @Test
  void anOlderStoreOpenToOthersIsRestrictedWhenOpenedAndNotWhenRefused() throws Exception {
    Assumptions.assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
    makeStore();
    // as a build before 2026-12-08 left it under umask 022
    Files.setPosixFilePermissions(dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));
    byte[] right = Files.readAllBytes(keyFile());
    Files.write(keyFile(), new byte[32]);

    assertThat(refusal()).isEqualTo(OpenFailure.KEY_WRONG);
    assertThat(mode(dataDir())).as("a refused open changes nothing").isEqualTo("rwxr-xr-x");

    Files.write(keyFile(), right);
    open().close();
    assertThat(mode(dataDir())).isEqualTo("rwx------");
    assertThat(mode(keyFile())).isEqualTo("rw-------");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
