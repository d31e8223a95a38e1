package org.sealpost.relay.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.StartupError;
import org.sealpost.relay.process.DataDirectory;

/**
 * Relay-key rotation (protocol §4.2.1, operations "Rotating the relay key"): {@link #rotate} makes
 * a successor key {@value #FILE_NAME} next to the current key and records its public half and the
 * announced end in the data directory's marker; a relay started on the directory serves both keys
 * and announces the successor; {@link #retire} makes the successor the key and deletes the old one.
 *
 * <p>Crash safety of {@link #retire}: the key file is replaced atomically by the successor's, then
 * the marker is rewritten, then the successor file is deleted. A crash between the first two steps
 * leaves a key file that matches the recorded successor, which {@link RelayKeyStore} accepts and
 * {@link #finishRetirement} completes; after the second, a leftover successor file equal to the key
 * is deleted at the next load.
 */
public final class RelayKeyRotation {
  /** The successor key file inside the data directory (same PEM format as the key file). */
  public static final String FILE_NAME = "relay-key.next.pem";

  private RelayKeyRotation() {}

  /**
   * The announced successor of an initialised data directory, checked against the marker; empty
   * when no rotation is open. Removes a successor file left over by an interrupted retirement.
   *
   * @param current the loaded current key
   * @throws RelayStartupException RELAY_KEY if the successor file is missing, damaged or not the
   *     recorded one
   */
  public static Optional<RelayKeySuccessor> load(DataDirectory dataDir, X25519KeyPair current) {
    Path file = dataDir.path().resolve(FILE_NAME);
    Optional<String> recorded = dataDir.successorPublicKey();
    if (recorded.isEmpty()) {
      if (Files.exists(file)) {
        X25519KeyPair leftover = RelayKeyStore.readChecked(file);
        boolean sameAsCurrent =
            RelayKeyStore.encode(leftover.publicKey())
                .equals(RelayKeyStore.encode(current.publicKey()));
        leftover.destroy();
        if (!sameAsCurrent) {
          throw new RelayStartupException(
              StartupError.RELAY_KEY,
              "successor key "
                  + file
                  + " is not recorded in "
                  + DataDirectory.MARKER
                  + ": it was never announced; delete it, or run 'sealpost relay key rotate'"
                  + " to announce a new successor");
        }
        delete(file); // the retirement finished but for this copy of the key
      }
      return Optional.empty();
    }
    return Optional.of(readRecorded(dataDir, recorded.get()));
  }

  /**
   * Checks an open rotation without writing anything ({@code relay --check}): the recorded
   * successor file must be present, readable and the recorded key.
   *
   * @return the announced end, or empty when no rotation is open
   * @throws RelayStartupException RELAY_KEY naming what is wrong
   */
  public static Optional<LocalDate> check(DataDirectory dataDir) {
    Optional<String> recorded = dataDir.successorPublicKey();
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    RelayKeySuccessor successor = readRecorded(dataDir, recorded.get());
    successor.key().destroy();
    return Optional.of(successor.transitionEnd());
  }

  private static RelayKeySuccessor readRecorded(DataDirectory dataDir, String recorded) {
    Path file = dataDir.path().resolve(FILE_NAME);
    if (!Files.exists(file)) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY,
          "successor key "
              + file
              + " is missing while a key rotation is open (see "
              + DataDirectory.MARKER
              + "): restore it from a backup; clients that moved to it cannot connect without it");
    }
    X25519KeyPair key = RelayKeyStore.readChecked(file);
    if (!recorded.equals(RelayKeyStore.encode(key.publicKey()))) {
      key.destroy();
      throw RelayKeyStore.notRecorded(file);
    }
    LocalDate end =
        dataDir
            .transitionEnd()
            .orElseThrow(
                () ->
                    new RelayStartupException(
                        StartupError.RELAY_KEY,
                        DataDirectory.MARKER + " records a successor key but no transition end"));
    return new RelayKeySuccessor(key, end);
  }

  /**
   * Creates the successor key and records it with the announced end of the transition.
   *
   * @return the successor's public key
   * @throws RelayStartupException RELAY_KEY if a rotation is already open or a file cannot be
   *     written
   */
  public static byte[] rotate(DataDirectory dataDir, LocalDate end, SecureRandom random) {
    RelayKeyStore.publicKeyOf(dataDir); // the current key must be present and the recorded one
    if (dataDir.successorPublicKey().isPresent()) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY,
          "a key rotation is already open (until "
              + dataDir.transitionEnd().map(LocalDate::toString).orElse("?")
              + "): retire the old key first ('sealpost relay key retire')");
    }
    // a file without a record was made by a rotation that crashed before announcing anything:
    // no client can know it, so it is replaced
    X25519KeyPair key = new RelayKeyStore(random).create(dataDir.path().resolve(FILE_NAME));
    byte[] publicKey = key.publicKey();
    key.destroy();
    dataDir.recordSuccessor(RelayKeyStore.encode(publicKey), end);
    return publicKey;
  }

  /**
   * Ends the open rotation: the successor becomes the relay key; the old key file is replaced and
   * the successor file deleted.
   *
   * @return the relay's public key from now on
   * @throws RelayStartupException RELAY_KEY if no rotation is open or a file is missing or damaged
   */
  public static byte[] retire(DataDirectory dataDir) {
    if (dataDir.successorPublicKey().isEmpty()) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY,
          "no key rotation is open: start one with 'sealpost relay key rotate'");
    }
    Path keyFile = dataDir.path().resolve(RelayKeyStore.FILE_NAME);
    Path file = dataDir.path().resolve(FILE_NAME);
    byte[] publicKey;
    try {
      byte[] current = RelayKeyStore.publicKeyOf(dataDir);
      RelayKeySuccessor successor = readRecorded(dataDir, dataDir.successorPublicKey().get());
      publicKey = successor.key().publicKey();
      successor.key().destroy();
      if (!RelayKeyStore.encode(current).equals(RelayKeyStore.encode(publicKey))) {
        byte[] pem = PrivateFiles.read(file);
        try {
          PrivateFiles.write(keyFile, pem); // atomic: the old key's file is unlinked
        } finally {
          Arrays.fill(pem, (byte) 0);
        }
      }
    } catch (IOException e) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY, "relay key " + keyFile + ": " + e.getMessage(), e);
    }
    dataDir.recordRetirement();
    delete(file);
    return publicKey;
  }

  /**
   * Completes a retirement that stopped after the key file was replaced: {@code actual}, the key
   * file's public key, is the recorded successor.
   *
   * @return whether there was such a retirement to finish
   */
  static boolean finishRetirement(DataDirectory dataDir, String actual) {
    if (dataDir.successorPublicKey().filter(actual::equals).isEmpty()) {
      return false;
    }
    dataDir.recordRetirement();
    delete(dataDir.path().resolve(FILE_NAME));
    return true;
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY, "cannot delete " + file + ": " + e.getMessage(), e);
    }
  }
}
