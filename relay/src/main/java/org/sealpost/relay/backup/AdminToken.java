package org.sealpost.relay.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.sealpost.proto.files.PrivateFiles;

/**
 * The secret that admin requests able to change something ({@code POST /backup}) must present. The
 * admin port is plain HTTP on loopback, open to every local user; the token is written at each
 * start to {@value #FILE_NAME} (0600) in the data directory, so only who may read the data
 * directory (the relay's user, root) can ask for a snapshot of it.
 */
public final class AdminToken {
  /** The token file's name inside the data directory. */
  public static final String FILE_NAME = "admin-token";

  private final byte[] value;

  private AdminToken(byte[] value) {
    this.value = value;
  }

  /** A new random token, written to the data directory (replacing the previous one). */
  public static AdminToken create(Path dataDir, SecureRandom random) throws IOException {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    byte[] text = Base64.getUrlEncoder().withoutPadding().encode(raw);
    PrivateFiles.write(dataDir.resolve(FILE_NAME), text);
    return new AdminToken(text);
  }

  /** The token of a running relay, read from its data directory (by the backup tool). */
  public static String read(Path dataDir) throws IOException {
    return new String(PrivateFiles.read(dataDir.resolve(FILE_NAME)), StandardCharsets.US_ASCII)
        .strip();
  }

  /** Whether {@code presented} is the token, compared in constant time. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
  }
}
