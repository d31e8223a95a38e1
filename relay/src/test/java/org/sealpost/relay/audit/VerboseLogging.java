package org.sealpost.relay.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The most verbose logging an operator could configure for a relay child JVM: java.util.logging at
 * ALL, to the console and to {@code relay-<n>.log} files in a directory, so that a privacy audit
 * sees every line any logger would write.
 */
public final class VerboseLogging {
  private VerboseLogging() {}

  /**
   * Creates {@code logDir}, writes a logging configuration beside it ({@code
   * <logDir>.logging.properties}) and returns the JVM flag that loads it.
   */
  public static List<String> jvmFlags(Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Path file = logDir.resolveSibling(logDir.getFileName() + ".logging.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "handlers=java.util.logging.ConsoleHandler,java.util.logging.FileHandler",
            ".level=ALL",
            "java.util.logging.ConsoleHandler.level=ALL",
            "java.util.logging.FileHandler.level=ALL",
            "java.util.logging.FileHandler.pattern=" + logDir.resolve("relay-%u.log"),
            "java.util.logging.FileHandler.formatter=java.util.logging.SimpleFormatter",
            ""));
    return List.of("-Djava.util.logging.config.file=" + file);
  }
}
