package org.sealpost.lab.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sealpost.lab.trace.LabTrace;
import org.sealpost.lab.trace.Message;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * Writes a run's network view and ground truth next to the operator's notes, for re-analysis:
 * {@code observer.tsv} ({@code <µs> <user> up|down|open|close}) and, apart, {@code truth.tsv}
 * ({@code <id> <sender> <recipient> <sent µs> <delivered µs or -1> <recipient online 0|1>}).
 */
final class TraceFiles {
  private TraceFiles() {}

  static void write(LabTrace trace, Path dir) throws IOException {
    ObserverTrace o = trace.observer();
    try (BufferedWriter w =
        Files.newBufferedWriter(dir.resolve("observer.tsv"), StandardCharsets.UTF_8)) {
      for (int u = 0; u < trace.users(); u++) {
        lines(w, o.up(u), u, "up");
        lines(w, o.down(u), u, "down");
        lines(w, o.opens(u), u, "open");
        lines(w, o.closes(u), u, "close");
      }
    }
    try (BufferedWriter w =
        Files.newBufferedWriter(dir.resolve("truth.tsv"), StandardCharsets.UTF_8)) {
      for (Message m : trace.truth()) {
        w.write(
            m.id()
                + "\t"
                + m.sender()
                + "\t"
                + m.recipient()
                + "\t"
                + m.sentMicros()
                + "\t"
                + m.deliveredMicros()
                + "\t"
                + (m.recipientOnline() ? 1 : 0));
        w.newLine();
      }
    }
  }

  private static void lines(BufferedWriter w, long[] times, int user, String kind)
      throws IOException {
    for (long t : times) {
      w.write(t + "\t" + user + "\t" + kind);
      w.newLine();
    }
  }
}
