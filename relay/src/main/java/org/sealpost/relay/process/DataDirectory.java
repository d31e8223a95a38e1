package org.sealpost.relay.process;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.sealpost.proto.files.PrivateFiles;

/**
 * Decides whether a directory may be used as the relay's data directory, and records that it is
 * one. An initialised data directory holds {@value #MARKER}: its format version and the public half
 * of the relay key, which is how a damaged key file is told from a good one.
 *
 * <ul>
 *   <li>absent or empty: initialised (the first start on a fresh machine);
 *   <li>holding the marker: a Sealpost data directory of a format this relay understands;
 *   <li>holding a relay key, a store key or a store but no marker: a data directory made before the
 *       marker existed; it is adopted (the marker is written);
 *   <li>anything else: refused, whatever its mode, so that a typo in {@code data-dir} never turns a
 *       home directory into a data directory.
 * </ul>
 */
public final class DataDirectory {
  /** The marker file's name inside the data directory. */
  public static final String MARKER = "sealpost-data.properties";

  /** The data directory format this relay writes and reads. */
  public static final int FORMAT = 1;

  private static final String FORMAT_KEY = "format";
  private static final String PUBLIC_KEY = "relay-public-key";

  /** Files whose presence, without a marker, shows a data directory made by an earlier relay. */
  private static final String[] LEGACY_FILES = {"relay-key.pem", "store.key", "store"};

  private final Path dir;
  private final boolean fresh;
  private final Properties marker;

  private DataDirectory(Path dir, boolean fresh, Properties marker) {
    this.dir = dir;
    this.fresh = fresh;
    this.marker = marker;
  }

  /**
   * Opens {@code dir} as a data directory, creating it (mode 0700) if it does not exist.
   *
   * @throws DataDirectoryException naming the directory and what is wrong with it
   */
  public static DataDirectory open(Path dir) {
    try {
      boolean existed = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
      if (existed && !Files.isDirectory(dir)) {
        throw new DataDirectoryException("data directory " + dir + " is not a directory");
      }
      Path markerFile = dir.resolve(MARKER);
      if (existed && !Files.exists(markerFile) && !isEmpty(dir) && !isLegacy(dir)) {
        throw new DataDirectoryException(
            "data directory "
                + dir
                + " is not empty and is not a Sealpost data directory (it has no "
                + MARKER
                + "); name an empty or new directory");
      }
      PrivateFiles.ensurePrivateDirectory(dir);
      if (Files.exists(markerFile)) {
        PrivateFiles.requireOwnerOnly(markerFile);
        return new DataDirectory(dir, false, readMarker(markerFile));
      }
      boolean fresh = isEmpty(dir);
      Properties props = new Properties();
      props.setProperty(FORMAT_KEY, String.valueOf(FORMAT));
      DataDirectory d = new DataDirectory(dir, fresh, props);
      if (!fresh) {
        d.writeMarker(); // adopted
      }
      // a fresh directory is marked with its relay key: a crash before that leaves it empty
      return d;
    } catch (IOException e) {
      throw new DataDirectoryException("data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an existing, initialised data directory without creating or writing anything (tools such
   * as {@code sealpost relay address} and {@code --check}).
   *
   * @throws DataDirectoryException if it is absent, empty, foreign, open to others or of another
   *     format
   */
  public static DataDirectory inspect(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        throw new DataDirectoryException(
            "data directory " + dir + " does not exist: start the relay once to initialise it");
      }
      if (isEmpty(dir)) {
        throw new DataDirectoryException(
            "data directory " + dir + " is empty: start the relay once to initialise it");
      }
      Path markerFile = dir.resolve(MARKER);
      if (!Files.exists(markerFile) && !isLegacy(dir)) {
        throw new DataDirectoryException(
            "data directory "
                + dir
                + " is not a Sealpost data directory (it has no "
                + MARKER
                + ")");
      }
      PrivateFiles.requireOwnerOnly(dir);
      if (Files.exists(markerFile)) {
        PrivateFiles.requireOwnerOnly(markerFile);
        return new DataDirectory(dir, false, readMarker(markerFile));
      }
      Properties props = new Properties();
      props.setProperty(FORMAT_KEY, String.valueOf(FORMAT));
      return new DataDirectory(dir, false, props);
    } catch (IOException e) {
      throw new DataDirectoryException("data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static boolean isLegacy(Path dir) {
    for (String name : LEGACY_FILES) {
      if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return true;
      }
    }
    return false;
  }

  private static Properties readMarker(Path file) throws IOException {
    Properties props = new Properties();
    try {
      props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      throw new DataDirectoryException(file + " cannot be parsed");
    }
    String format = props.getProperty(FORMAT_KEY, "").trim();
    if (!format.equals(String.valueOf(FORMAT))) {
      throw new DataDirectoryException(
          file
              + " has format '"
              + format
              + "', this relay reads format "
              + FORMAT
              + " (a newer relay made it, or it is damaged)");
    }
    return props;
  }

  private void writeMarker() throws IOException {
    StringWriter out = new StringWriter();
    out.write("# Sealpost relay data directory. Do not edit; do not delete.\n");
    for (String key : marker.stringPropertyNames().stream().sorted().toList()) {
      out.write(key + "=" + marker.getProperty(key) + "\n");
    }
    PrivateFiles.write(dir.resolve(MARKER), out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** Whether the directory was absent or empty: everything in it may be created. */
  public boolean fresh() {
    return fresh;
  }

  /**
   * The relay's public key recorded at initialisation (base64url, no padding), if any: absent in a
   * fresh directory and in one adopted from before the marker existed, until {@link
   * #recordRelayPublicKey} is called.
   */
  public Optional<String> relayPublicKey() {
    return Optional.ofNullable(marker.getProperty(PUBLIC_KEY));
  }

  /** Records the relay's public key (base64url) so that later starts can check the key file. */
  public void recordRelayPublicKey(String publicKey) {
    marker.setProperty(PUBLIC_KEY, publicKey);
    try {
      writeMarker();
    } catch (IOException e) {
      throw new DataDirectoryException("data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  // issue 12: relay-key rotation. The successor's public key and the announced end of the
  // transition live in the marker next to the current key's, so that a damaged or replaced
  // successor file is refused like a damaged key file.
  private static final String SUCCESSOR_KEY = "relay-successor-public-key";
  private static final String TRANSITION_END = "relay-transition-end";

  /** The successor key recorded by {@code relay key rotate} (base64url), if a rotation is open. */
  public Optional<String> successorPublicKey() {
    return Optional.ofNullable(marker.getProperty(SUCCESSOR_KEY));
  }

  /** The announced end of the open rotation (a UTC date), if any. */
  public Optional<LocalDate> transitionEnd() {
    String end = marker.getProperty(TRANSITION_END);
    if (end == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(end.trim()));
    } catch (DateTimeParseException e) {
      throw new DataDirectoryException(
          dir.resolve(MARKER) + ": " + TRANSITION_END + " is not a date (YYYY-MM-DD)");
    }
  }

  /** Records an open rotation: the successor's public key and the announced end. */
  public void recordSuccessor(String publicKey, LocalDate end) {
    marker.setProperty(SUCCESSOR_KEY, publicKey);
    marker.setProperty(TRANSITION_END, end.toString());
    rewrite();
  }

  /** Closes a rotation: the successor becomes the recorded relay key. */
  public void recordRetirement() {
    String successor = marker.getProperty(SUCCESSOR_KEY);
    if (successor == null) {
      throw new IllegalStateException("no rotation is open");
    }
    marker.setProperty(PUBLIC_KEY, successor);
    marker.remove(SUCCESSOR_KEY);
    marker.remove(TRANSITION_END);
    rewrite();
  }

  private void rewrite() {
    try {
      writeMarker();
    } catch (IOException e) {
      throw new DataDirectoryException("data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The data directory cannot be used; the message names it and the reason. */
  public static final class DataDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataDirectoryException(String message) {
      super(message);
    }

    DataDirectoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
