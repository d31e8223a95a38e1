package org.sealpost.relay.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.StartupError;
import org.sealpost.relay.process.DataDirectory;

/**
 * Generates the relay's X25519 static key on first start and loads it afterwards. The key file is
 * {@value #FILE_NAME} in the data directory: a PKCS#8 {@code PRIVATE KEY} PEM (readable with {@code
 * openssl pkey}), mode 0600; a key file open to group or others is refused. Its public half is
 * recorded in the data directory's marker ({@link DataDirectory}), so that a damaged key file is
 * refused rather than silently read as another key.
 */
public final class RelayKeyStore {
  /** The key file's name inside the data directory. */
  public static final String FILE_NAME = "relay-key.pem";

  private static final String PEM_TYPE = "PRIVATE KEY";

  private final SecureRandom random;

  public RelayKeyStore(SecureRandom random) {
    this.random = random;
  }

  /** Loads {@code dataDir/relay-key.pem}, generating it first if it does not exist. */
  public X25519KeyPair loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return readChecked(file);
    }
    return create(file);
  }

  /**
   * Loads the relay key of an opened data directory, checked against the public key recorded in its
   * marker; a key file that does not match is damaged or replaced, and is refused, never
   * regenerated. A missing key file is created only when {@code mayCreate} (a fresh directory, or
   * {@code data-dir.initialise}); the public key is recorded whenever the marker has none.
   */
  public X25519KeyPair load(DataDirectory dataDir, boolean mayCreate) {
    Path file = dataDir.path().resolve(FILE_NAME);
    X25519KeyPair key;
    if (Files.exists(file)) {
      key = readChecked(file);
      String actual = encode(key.publicKey());
      Optional<String> recorded = dataDir.relayPublicKey();
      // issue 12: a retirement interrupted after the key file was replaced is finished here
      if (recorded.isPresent()
          && !recorded.get().equals(actual)
          && !RelayKeyRotation.finishRetirement(dataDir, actual)) {
        throw notRecorded(file);
      }
      if (recorded.isEmpty()) {
        dataDir.recordRelayPublicKey(actual);
      }
      return key;
    }
    if (!mayCreate) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY,
          "relay key "
              + file
              + " is missing from an initialised data directory: restore it from a backup, or"
              + " start once with --"
              + "data-dir-initialise to create a new relay key (the relay address changes)");
    }
    key = create(file);
    dataDir.recordRelayPublicKey(encode(key.publicKey()));
    return key;
  }

  /**
   * The public key of an initialised data directory's relay key, read without creating or writing
   * anything, and checked against the marker like {@link #load}.
   *
   * @throws RelayStartupException if the key file is missing, unreadable, damaged or not the one
   *     recorded in the marker
   */
  public static byte[] publicKeyOf(DataDirectory dataDir) {
    Path file = dataDir.path().resolve(FILE_NAME);
    if (!Files.exists(file)) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY,
          "relay key " + file + " is missing from the data directory: restore it from a backup");
    }
    X25519KeyPair key = readChecked(file);
    byte[] publicKey = key.publicKey();
    key.destroy();
    Optional<String> recorded = dataDir.relayPublicKey();
    String actual = encode(publicKey);
    // issue 12: after an interrupted retirement the key file already holds the successor
    boolean retiring = dataDir.successorPublicKey().filter(actual::equals).isPresent();
    if (recorded.isPresent() && !recorded.get().equals(actual) && !retiring) {
      throw notRecorded(file);
    }
    return publicKey;
  }

  static RelayStartupException notRecorded(Path file) {
    return new RelayStartupException(
        StartupError.RELAY_KEY,
        "relay key "
            + file
            + " is not the key this data directory was initialised with (see "
            + DataDirectory.MARKER
            + "): the file is damaged or was replaced; restore it from a backup");
  }

  static String encode(byte[] publicKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey);
  }

  static X25519KeyPair readChecked(Path file) {
    try {
      PrivateFiles.requireOwnerOnly(file);
      return read(file);
    } catch (IOException | RuntimeException e) {
      throw failure(file, e);
    }
  }

  X25519KeyPair create(Path file) {
    try {
      X25519PrivateKeyParameters key = new X25519PrivateKeyParameters(random);
      byte[] der = PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded();
      StringWriter pem = new StringWriter();
      try (PemWriter w = new PemWriter(pem)) {
        w.writeObject(new PemObject(PEM_TYPE, der));
      }
      Arrays.fill(der, (byte) 0);
      PrivateFiles.write(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
      return toStaticKey(key);
    } catch (IOException | RuntimeException e) {
      throw failure(file, e);
    }
  }

  private static RelayStartupException failure(Path file, Exception e) {
    if (e instanceof RelayStartupException r) {
      return r;
    }
    // the message names the file and the failure, never key bytes
    return new RelayStartupException(
        StartupError.RELAY_KEY, "relay key " + file + ": " + e.getMessage(), e);
  }

  private static X25519KeyPair read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    PemObject pem;
    try (PemReader r = new PemReader(new StringReader(text))) {
      pem = r.readPemObject();
    }
    if (pem == null || !PEM_TYPE.equals(pem.getType())) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY, "relay key " + file + " is not a PEM " + PEM_TYPE);
    }
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pem.getContent()));
    } catch (IOException | RuntimeException e) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY, "relay key " + file + " cannot be parsed", e);
    } finally {
      Arrays.fill(pem.getContent(), (byte) 0);
    }
    if (!(key instanceof X25519PrivateKeyParameters x)) {
      throw new RelayStartupException(
          StartupError.RELAY_KEY, "relay key " + file + " is not an X25519 key");
    }
    return toStaticKey(x);
  }

  private static X25519KeyPair toStaticKey(X25519PrivateKeyParameters key) {
    byte[] encoded = key.getEncoded();
    try {
      return X25519KeyPair.fromPrivateKey(encoded); // the one copy the relay keeps
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }
}
