package org.sealpost.lab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.lab.trace.OperatorTrace;

/**
 * Reads the operator recorder's file into an {@link OperatorTrace}. A connection's address is the
 * user whose queue it created or subscribed (standing in for the source IP, which the recorder
 * cannot read: the relay's {@code Session} does not expose it); a sender ID is resolved to its
 * queue through the CreateQueue that returned both.
 */
public final class OperatorLogReader {
  private OperatorLogReader() {}

  /**
   * @param recipientIds hex recipient ID of each user's own queue (index = user)
   */
  public static OperatorTrace read(Path file, String[] recipientIds) throws IOException {
    Map<String, Integer> queueIndex = new HashMap<>();
    for (int u = 0; u < recipientIds.length; u++) {
      queueIndex.put(recipientIds[u], u);
    }
    Map<Long, Integer> connUser = new HashMap<>();
    Map<String, String> senderToRecipient = new HashMap<>();
    int[] holders = new int[recipientIds.length];
    Arrays.fill(holders, -1);
    List<String[]> sendLines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t");
      if (f.length < 5) {
        continue;
      }
      long conn = Long.parseLong(f[2]);
      switch (f[1]) {
        case "CREATE" -> {
          senderToRecipient.put(f[4], f[3]);
          bind(conn, f[3], queueIndex, connUser, holders);
        }
        case "AUTHORIZE" -> bind(conn, f[3], queueIndex, connUser, holders);
        case "SEND" -> sendLines.add(f);
        default -> {
          // OPEN, CLOSE, PUSH: kept in the file for researchers, not needed by the lookup
        }
      }
    }
    List<OperatorTrace.Send> sends = new ArrayList<>();
    for (String[] f : sendLines) {
      String recipient = senderToRecipient.get(f[3]);
      Integer queue = recipient == null ? null : queueIndex.get(recipient);
      sends.add(
          new OperatorTrace.Send(
              Long.parseLong(f[0]),
              connUser.getOrDefault(Long.parseLong(f[2]), -1),
              queue == null ? -1 : queue));
    }
    sends.sort(Comparator.comparingLong(OperatorTrace.Send::atMicros));
    return new OperatorTrace(List.copyOf(sends), holders);
  }

  private static void bind(
      long conn,
      String recipient,
      Map<String, Integer> queueIndex,
      Map<Long, Integer> connUser,
      int[] holders) {
    Integer q = queueIndex.get(recipient);
    if (q == null || conn < 0) {
      return;
    }
    // the queue's holder is the address of the connection that created or subscribed it
    connUser.putIfAbsent(conn, q);
    holders[q] = connUser.get(conn);
  }
}
