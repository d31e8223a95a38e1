package org.sealpost.mailbox.rocksdb;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.SyncPolicy;

/**
 * Child JVM for the crash and fsync tests. Reports each completed operation on stdout, flushed,
 * before doing anything else:
 *
 * <pre>
 * Q idx recipientIdHex            queue created
 * A idx messageIdHex position n   append of envelope n of queue idx completed
 * k idx messageIdHex              ack about to be submitted
 * K idx messageIdHex              ack completed
 * </pre>
 *
 * Usage: {@code CrashChild dataDir keyFile load|sequential ALWAYS|NEVER threads ops}. In {@code
 * load} mode it runs until killed; in {@code sequential} mode it does {@code ops} append+ack pairs
 * on one thread and exits.
 */
public final class CrashChild {
  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);

  private CrashChild() {}

  static synchronized void report(String line) {
    OUT.print(line);
    OUT.print('\n');
    OUT.flush();
  }

  static byte[] envelope(int idx, long n, int size) {
    byte[] b = new byte[size];
    ThreadLocalRandom.current().nextBytes(b);
    byte[] head = (idx + ":" + n + ";").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path key = Path.of(args[1]);
    boolean load = args[2].equals("load");
    SyncPolicy sync = SyncPolicy.valueOf(args[3]);
    int threads = Integer.parseInt(args[4]);
    int ops = Integer.parseInt(args[5]);
    MailboxConfig config =
        MailboxConfig.builder(data, key).syncPolicy(sync).queueMessageQuota(64).build();
    RocksMailboxStore store = RocksMailboxStore.opener(config).open();
    HexFormat hex = HexFormat.of();
    SecureRandom random = new SecureRandom();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      byte[] a = new byte[32];
      random.nextBytes(a);
      QueueRecord q = store.createQueue(new QueueSecrets(a, a)).toCompletableFuture().join();
      int idx = t;
      report("Q " + idx + " " + hex.formatHex(q.recipientId()));
      workers[t] =
          new Thread(
              () -> {
                if (load) {
                  loadLoop(store, q, idx, hex);
                } else {
                  sequential(store, q, idx, ops, hex);
                }
              });
    }
    for (Thread w : workers) {
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    store.close();
  }

  private static void sequential(
      RocksMailboxStore store, QueueRecord q, int idx, int ops, HexFormat hex) {
    for (int n = 0; n < ops; n++) {
      Appended a = store.append(q.queueId(), envelope(idx, n, 256)).toCompletableFuture().join();
      String id = hex.formatHex(a.messageId().bytes());
      report("A " + idx + " " + id + " " + a.position() + " " + n);
      report("k " + idx + " " + id);
      store.ack(q.queueId(), a.messageId()).toCompletableFuture().join();
      report("K " + idx + " " + id);
    }
  }

  private static void loadLoop(RocksMailboxStore store, QueueRecord q, int idx, HexFormat hex) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long n = 0;
    while (true) {
      boolean ack = r.nextInt(100) < 45;
      if (!ack) {
        try {
          Appended a =
              store.append(q.queueId(), envelope(idx, n, 600)).toCompletableFuture().join();
          report(
              "A "
                  + idx
                  + " "
                  + hex.formatHex(a.messageId().bytes())
                  + " "
                  + a.position()
                  + " "
                  + n);
          n++;
          continue;
        } catch (java.util.concurrent.CompletionException e) {
          if (!(e.getCause() instanceof MailboxException m) || !m.isQuota()) {
            throw e;
          }
          n++; // refused: this n is never reported, so the parent expects it nowhere
        }
      }
      List<StoredEnvelope> head = store.readPending(q.queueId(), 0, 1).toCompletableFuture().join();
      if (!head.isEmpty()) {
        String id = hex.formatHex(head.get(0).messageId().bytes());
        report("k " + idx + " " + id);
        store.ack(q.queueId(), head.get(0).messageId()).toCompletableFuture().join();
        report("K " + idx + " " + id);
      }
    }
  }
}
