package org.sealpost.relay.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
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

/**
 * Generates the relay's X25519 static key on first start and loads it afterwards. The key file is
 * {@value #FILE_NAME} in the data directory: a PKCS#8 {@code PRIVATE KEY} PEM (readable with {@code
 * openssl pkey}), mode 0600; a key file open to group or others is refused.
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
    try {
      if (Files.exists(file)) {
        PrivateFiles.requireOwnerOnly(file);
        return read(file);
      }
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
      if (e instanceof RelayStartupException r) {
        throw r;
      }
      // the message names the file and the failure, never key bytes
      throw new RelayStartupException(
          StartupError.RELAY_KEY, "relay key " + file + ": " + e.getMessage(), e);
    }
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
    } catch (IOException | IllegalArgumentException e) {
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
