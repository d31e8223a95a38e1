package org.sealpost.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.sealpost.client.Keystore;
import org.sealpost.client.RelayKeyChange;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.MailboxAddress;

/**
 * issue 12: what the CLI does when a relay announces a successor key (protocol §4.2.1): the
 * keystore's mailboxes and first relay move to it and are saved, and one line tells the user,
 * naming the relay's host but no key. The keystore is written on a thread of its own, never on the
 * client's event loop; {@link #close()} waits for it, so a one-shot command exits only once saved.
 */
final class RelayKeyNotices implements AutoCloseable {
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sealpost-keystore-writer");
            t.setDaemon(true);
            return t;
          });
  private final PrintWriter err;

  private RelayKeyNotices(PrintWriter err) {
    this.err = err;
  }

  /** Keeps {@code keystore} in step with the relay key changes {@code client} learns. */
  static RelayKeyNotices track(SealpostClient client, Keystore keystore, PrintWriter err) {
    RelayKeyNotices notices = new RelayKeyNotices(err);
    client.onRelayKeyChange(
        change -> notices.writer.execute(() -> notices.store(change, keystore)));
    return notices;
  }

  /**
   * For {@code send}: the contact's address is not stored, so the user is shown the updated one (a
   * mailbox address, to keep like the one given).
   */
  static RelayKeyNotices trackSend(SealpostClient client, MailboxAddress to, PrintWriter err) {
    RelayKeyNotices notices = new RelayKeyNotices(err);
    client.onRelayKeyChange(
        change ->
            notices.later(
                () -> {
                  if (change.applies(to.relay())) {
                    notices.say(
                        change,
                        "the address you sent to works until then; its updated form: "
                            + change.apply(to).format());
                  }
                }));
    return notices;
  }

  private void later(Runnable task) {
    try {
      writer.execute(task);
    } catch (RejectedExecutionException e) {
      // the command is over: the next run learns the successor again
    }
  }

  private void store(RelayKeyChange change, Keystore keystore) {
    int changed = keystore.apply(change);
    if (changed == 0) {
      return;
    }
    keystore.save();
    say(
        change,
        changed
            + " keystore "
            + (changed == 1 ? "entry" : "entries")
            + " updated; hand out the new addresses ('sealpost mailbox address NAME')");
  }

  private void say(RelayKeyChange change, String what) {
    LocalDate end = LocalDate.ofInstant(change.transitionEnd(), ZoneOffset.UTC);
    synchronized (err) {
      err.println(
          "note: relay "
              + change.previous().authority()
              + " changed its key (the old one is served until "
              + end
              + "): "
              + what);
      err.flush();
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
