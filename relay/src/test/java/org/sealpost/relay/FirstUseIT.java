package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's first log line cannot break logging for good (issue 13: in a 10,000-client reconnect
 * storm the relay's event loops and its acceptor died one after the other with "Could not
 * initialize class java.util.logging.LogRecord", and the relay stopped serving). A class whose
 * initialisation fails — here because it was first used on a thread with no stack left — stays
 * failed, so every later log call throws an {@code Error} in whatever thread logs. Each case runs
 * in a fresh JVM ({@link Probe}), where nothing has logged yet.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstUseIT {

  private static String probe(boolean preload) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xss512k",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Probe.class.getName(),
                    preload ? "preload" : "none"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void aFirstLogWithoutStackLeftBreaksLoggingForGoodUnlessTheRelayLoggedOnceAtStart()
      throws Exception {
    // the control: the mechanism the storm ran into, in a JVM that did not preload
    assertThat(probe(false)).contains("after: NoClassDefFoundError");
    // what RelayMain does before it listens
    assertThat(probe(true)).contains("after: ok");
  }

  /**
   * In a fresh JVM: optionally {@link FirstUse#preload()}, then a thread that runs out of stack
   * and, on the way back up, makes a log record at every frame until one is made or the attempt
   * fails other than for want of stack; then makes one more from the main thread and prints how
   * that went. (Without the preload the class that fails is {@code Level}, which the record names
   * first; in the relay, whose {@code LogGuard} had used {@code Level} at start, it was {@code
   * LogRecord}.)
   */
  static final class Probe {
    private static boolean settled;

    private Probe() {}

    private static void down() {
      try {
        down();
      } catch (StackOverflowError e) {
        // the bottom: log on the way back up
      }
      if (!settled) {
        try {
          new java.util.logging.LogRecord(Level.WARNING, "deep"); // what a log call makes first
          settled = true;
        } catch (StackOverflowError e) {
          // not enough stack yet: one frame up
        } catch (Throwable t) {
          settled = true;
        }
      }
    }

    public static void main(String[] args) throws Exception {
      if (args[0].equals("preload")) {
        FirstUse.preload();
      }
      Thread t = new Thread(Probe::down, "no-stack-left");
      t.start();
      t.join();
      String after;
      try {
        new java.util.logging.LogRecord(Level.WARNING, "after");
        after = "ok";
      } catch (Throwable e) {
        after = e.getClass().getSimpleName();
      }
      System.out.println("after: " + after);
    }
  }
}
