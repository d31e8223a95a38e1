package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Kills a child JVM that appends and acks under load with SIGKILL at random moments, then checks
 * the durability contract after reopening: every append the child saw complete is there exactly
 * once and in order, and nothing whose ack completed is back. Cycles: {@code
 * -Dsealpost.crash.cycles} (default 20).
 */
class CrashRecoveryIT {
  @TempDir Path tmp;

  /** Queue index in the running child → recipient ID (hex); indexes restart in every child. */
  private final Map<String, String> current = new HashMap<>();

  /** What the child reported about one queue. */
  static final class Expected {
    final List<String[]> appends = new ArrayList<>(); // {messageId, position, n}
    final Set<String> ackRequested = new HashSet<>();
    final Set<String> acked = new HashSet<>();
  }

  @Test
  void everyCompletedAppendSurvivesSigkillOnceAndInOrderAndNoCompletedAckComesBack()
      throws Exception {
    int cycles = Integer.getInteger("sealpost.crash.cycles", 20);
    long seed = Long.getLong("sealpost.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path data = tmp.resolve("data");
    Path key = tmp.resolve("master.key");
    Map<String, Expected> queues = new LinkedHashMap<>();
    long totalAppends = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      // a few kills land during start-up and recovery, most under load
      int killAfter = random.nextInt(10) == 0 ? random.nextInt(8) : 50 + random.nextInt(1500);
      ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(data, key, "load", "ALWAYS", 12, 0));
      pb.redirectError(tmp.resolve("child-" + cycle + ".err").toFile());
      Process child = pb.start();
      int lines = 0;
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        boolean killed = false;
        while ((line = in.readLine()) != null) {
          lines++;
          totalAppends += apply(queues, line);
          if (!killed && lines >= killAfter) {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
            // pipe, and lines already in it are completions the child reported
            child.toHandle().destroyForcibly();
            killed = true;
          }
        }
        if (!killed) {
          child.destroyForcibly();
        }
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      verify(data, key, queues, "cycle " + cycle + " seed " + seed);
      System.out.printf("crash cycle %d: killed after %d reports%n", cycle, lines);
    }
    assertThat(totalAppends).as("the children did real work").isGreaterThan(cycles * 20L);
  }

  private long apply(Map<String, Expected> queues, String line) {
    String[] f = line.split(" ");
    switch (f[0]) {
      case "Q" -> {
        queues.put(f[2], new Expected());
        current.put(f[1], f[2]);
      }
      case "A" -> {
        queues.get(current.get(f[1])).appends.add(new String[] {f[2], f[3], f[4]});
        return 1;
      }
      case "k" -> queues.get(current.get(f[1])).ackRequested.add(f[2]);
      case "K" -> queues.get(current.get(f[1])).acked.add(f[2]);
      default -> throw new AssertionError("unexpected child output");
    }
    return 0;
  }

  private static void verify(Path data, Path key, Map<String, Expected> queues, String where) {
    HexFormat hex = HexFormat.of();
    try (RocksMailboxStore store =
        RocksMailboxStore.opener(MailboxConfig.builder(data, key).queueMessageQuota(64).build())
            .open()) {
      for (Map.Entry<String, Expected> q : queues.entrySet()) {
        QueueRecord record =
            store
                .findByRecipientId(hex.parseHex(q.getKey()))
                .toCompletableFuture()
                .join()
                .orElseThrow(() -> new AssertionError(where + ": a created queue is missing"));
        List<StoredEnvelope> pending = new ArrayList<>();
        long after = 0;
        while (true) {
          List<StoredEnvelope> page =
              store.readPending(record.queueId(), after, 64).toCompletableFuture().join();
          if (page.isEmpty()) {
            break;
          }
          pending.addAll(page);
          after = page.get(page.size() - 1).position();
        }
        check(q.getValue(), pending, where);
      }
    }
  }

  private static void check(Expected e, List<StoredEnvelope> pending, String where) {
    HexFormat hex = HexFormat.of();
    Map<String, Long> positionOf = new HashMap<>();
    Map<String, Long> counterOf = new HashMap<>();
    Set<Long> counters = new HashSet<>();
    for (StoredEnvelope s : pending) {
      String id = hex.formatHex(s.messageId().bytes());
      assertThat(positionOf.put(id, s.position())).as(where + ": duplicate message id").isNull();
      String head = new String(s.envelope(), 0, 24, StandardCharsets.US_ASCII);
      long n = Long.parseLong(head.substring(head.indexOf(':') + 1, head.indexOf(';')));
      assertThat(counters.add(n)).as(where + ": an envelope stored twice").isTrue();
      counterOf.put(id, n);
    }
    long lastPosition = 0;
    long lastCounter = -1;
    Set<String> reported = new HashSet<>();
    for (String[] a : e.appends) {
      String id = a[0];
      reported.add(id);
      lastCounter = Long.parseLong(a[2]);
      if (e.acked.contains(id)) {
        assertThat(positionOf).as(where + ": an acked envelope came back").doesNotContainKey(id);
      } else if (!e.ackRequested.contains(id)) {
        assertThat(positionOf).as(where + ": a completed append is lost").containsKey(id);
      }
      if (positionOf.containsKey(id)) {
        assertThat(positionOf.get(id))
            .as(where + ": position changed")
            .isEqualTo(Long.parseLong(a[1]));
        assertThat(positionOf.get(id)).as(where + ": out of order").isGreaterThan(lastPosition);
        assertThat(counterOf.get(id)).as(where + ": wrong content").isEqualTo(lastCounter);
        lastPosition = positionOf.get(id);
      }
    }
    // the child had at most one append in flight per queue when it died
    long unreported = positionOf.keySet().stream().filter(id -> !reported.contains(id)).count();
    assertThat(unreported).as(where + ": unreported envelopes").isLessThanOrEqualTo(1);
    for (String id : positionOf.keySet()) {
      if (!reported.contains(id)) {
        assertThat(counterOf.get(id)).as(where + ": stray envelope").isGreaterThan(lastCounter);
        assertThat(positionOf.get(id)).as(where + ": stray position").isGreaterThan(lastPosition);
      }
    }
  }
}
