package org.sealpost.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineTest {
  private static final long MS = 1_000_000L;

  @Test
  void tailSplitsTheSlowMessagesAndCountsTheirWindows() {
    // 100 messages scheduled 10 ms apart, each sent at once, accepted after 2 ms, delivered 1 ms
    // before the Ok; messages 40 and 41 wait 300 ms for their Ok (a stall) and are delivered
    // 5 ms after it
    long base = 1_000 * MS;
    Timeline t = new Timeline(100);
    for (int i = 0; i < 100; i++) {
      long intended = base + i * 10 * MS;
      long sent = intended + MS / 2;
      t.sent(i, intended, sent);
      boolean stalled = i == 40 || i == 41;
      long ok = sent + (stalled ? 300 : 2) * MS;
      t.accepted(i, ok);
      t.delivered(i, stalled ? ok + 5 * MS : ok - MS);
    }
    Timeline.Tail tail = t.tail(0.98, 100);
    assertEquals(2, tail.messages());
    assertEquals(0.5, tail.waitMillis(), 1e-9);
    assertEquals(300, tail.acceptMillis(), 1e-9);
    assertEquals(5, tail.afterAcceptMillis(), 1e-9);
    assertEquals(0, tail.acceptedAfterDelivery());
    assertEquals(1, tail.windows()); // 400 and 410 ms after the first: one 100 ms window
    assertTrue(tail.describe().contains("p98"), tail.describe());
  }

  @Test
  void aSecondDeliveryKeepsTheFirstTime() {
    Timeline t = new Timeline(1);
    t.sent(0, 10 * MS, 10 * MS);
    t.delivered(0, 20 * MS);
    t.delivered(0, 90 * MS);
    assertEquals(10, t.tail(0.5, 100).thresholdMillis(), 1e-9);
  }

  @Test
  void csvHasTheOriginAndOneLinePerScheduledMessage(@TempDir Path dir) throws Exception {
    Timeline t = new Timeline(3);
    t.sent(0, 5 * MS, 6 * MS);
    t.accepted(0, 8 * MS);
    t.delivered(0, 9 * MS);
    t.sent(1, 7 * MS, 7 * MS); // never accepted nor delivered
    Path file = dir.resolve("t.csv");
    t.writeCsv(file);
    List<String> lines = Files.readAllLines(file);
    assertEquals("# origin_nanotime=" + 5 * MS, lines.get(0));
    assertEquals("index,intended_ms,sent_ms,accepted_ms,delivered_ms", lines.get(1));
    assertEquals("0,0.000,1.000,3.000,4.000", lines.get(2));
    assertEquals("1,2.000,2.000,,", lines.get(3));
    assertEquals(4, lines.size());
  }
}
