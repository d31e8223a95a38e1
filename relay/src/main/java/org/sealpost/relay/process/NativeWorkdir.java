package org.sealpost.relay.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.sealpost.mailbox.rocksdb.NativeLibrary;

/**
 * Where Netty unpacks BoringSSL's native library (netty-tcnative) before loading it: by default the
 * JVM's temporary directory, which hardened hosts mount {@code noexec}; there the library does not
 * load and {@code tls.engine=auto} quietly serves TLS with the JDK's engine, at about twice the CPU
 * per session. Unless the operator set {@value #PROPERTY}, it is a private directory beside
 * RocksDB's cached library ({@link NativeLibrary#cacheBase()}), which the relay loads native code
 * from anyway. Netty deletes its copy once loaded. Must run before Netty's loader class is first
 * used, which reads the property once.
 */
public final class NativeWorkdir {
  /** Netty's setting for the directory its native libraries are unpacked into. */
  public static final String PROPERTY = "io.netty.native.workdir";

  static final String SUBDIRECTORY = "netty-native";

  private NativeWorkdir() {}

  /** Sets {@value #PROPERTY} when unset and a cache directory is usable; returns what it set. */
  public static Optional<Path> apply() {
    return apply(NativeLibrary.cacheBase());
  }

  static Optional<Path> apply(Optional<Path> cacheBase) {
    if (System.getProperty(PROPERTY) != null || cacheBase.isEmpty()) {
      return Optional.empty();
    }
    Path dir = cacheBase.get().resolve(SUBDIRECTORY);
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      return Optional.empty(); // Netty keeps the temporary directory
    }
    System.setProperty(PROPERTY, dir.toString());
    return Optional.of(dir);
  }
}
