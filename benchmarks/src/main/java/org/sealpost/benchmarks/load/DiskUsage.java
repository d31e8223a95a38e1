package org.sealpost.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Bytes in the regular files under a directory, as {@code du} would count them (apparent size). */
public final class DiskUsage {
  private DiskUsage() {}

  /** A file deleted while walking (RocksDB compacts meanwhile) counts as empty. */
  public static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
