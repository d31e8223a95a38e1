package org.sealpost.lab.run;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.lab.model.Population;
import org.sealpost.lab.operator.OperatorLog;
import org.sealpost.lab.trace.Message;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * Plays a {@link Population}'s schedule against the relay with the client library: one dedicated
 * connection per user (through the observer proxy, from the user's own address), a mailbox each,
 * subscribed while the user is online, closed while offline. Each message's content is its lab
 * message ID (sealed: the relay never sees it), which is how the ground truth learns when it
 * arrived.
 */
public final class PopulationDriver {
  private static final int SETUP_WAVE = 40;
  private static final int SETUP_ATTEMPTS = 3;

  private final SealpostClient client;
  private final Population population;
  private final RelayAddress[] addresses;
  private final Mailbox[] mailboxes;
  private final X25519KeyPair[] identities;
  private final boolean[] online;
  private final List<CompletableFuture<RelayConnection>> connections = new ArrayList<>();
  private final ConcurrentHashMap<Long, Long> delivered = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile Throwable firstFailure;
  private final ExecutorService closer = Executors.newSingleThreadExecutor(r -> daemon(r));

  public PopulationDriver(SealpostClient client, Population population, RelayAddress[] addresses) {
    this.client = client;
    this.population = population;
    this.addresses = addresses.clone();
    int n = population.users();
    this.mailboxes = new Mailbox[n];
    this.identities = new X25519KeyPair[n];
    this.online = new boolean[n];
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "lab-driver-close");
    t.setDaemon(true);
    return t;
  }

  /** Connects every user, creates its mailbox, subscribes the users online at start. */
  public void setUp() {
    int n = population.users();
    for (int u = 0; u < n; u++) {
      identities[u] = client.newIdentity();
      connections.add(null);
    }
    // in waves: hundreds of simultaneous TLS + Noise handshakes on a busy 2-core machine can
    // outlast the relay's handshake deadline; a user whose connection fails is tried again
    for (int from = 0; from < n; from += SETUP_WAVE) {
      int to = Math.min(n, from + SETUP_WAVE);
      for (int attempt = 1; ; attempt++) {
        List<Integer> missing = new ArrayList<>();
        for (int u = from; u < to; u++) {
          if (mailboxes[u] == null) {
            missing.add(u);
          }
        }
        if (missing.isEmpty()) {
          break;
        }
        if (attempt > SETUP_ATTEMPTS) {
          throw new LabException(
              missing.size()
                  + " users could not connect and create their mailbox after "
                  + SETUP_ATTEMPTS
                  + " attempts (an overloaded machine?)");
        }
        List<CompletableFuture<?>> wave = new ArrayList<>();
        for (int u : missing) {
          CompletableFuture<RelayConnection> c = client.connect(addresses[u]).toCompletableFuture();
          connections.set(u, c);
          wave.add(
              c.thenCompose(conn -> conn.createMailbox())
                  .thenAccept(mb -> mailboxes[u] = mb)
                  .exceptionally(e -> null)
                  .toCompletableFuture());
        }
        CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new))
            .orTimeout(120, TimeUnit.SECONDS)
            .join();
      }
    }
    List<CompletableFuture<Void>> subscribed = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      if (population.onlineAtStart(u)) {
        online[u] = true;
        int user = u;
        subscribed.add(
            connections.get(u).join().subscribe(mailboxes[u], handler(user)).toCompletableFuture());
      } else {
        RelayConnection c = connections.get(u).join();
        c.close();
      }
    }
    CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new))
        .orTimeout(120, TimeUnit.SECONDS)
        .join();
  }

  /** The recipient IDs of the users' queues (hex), for resolving the operator's view. */
  public String[] recipientIds() {
    String[] out = new String[mailboxes.length];
    for (int u = 0; u < out.length; u++) {
      out[u] = HexFormat.of().formatHex(mailboxes[u].recipientId());
    }
    return out;
  }

  private MessageHandler handler(int user) {
    return new MessageHandler() {
      @Override
      public void onMessage(ReceivedMessage m) {
        long id = ByteBuffer.wrap(m.content()).getLong();
        delivered.putIfAbsent(id, OperatorLog.nowMicros());
      }
    };
  }

  /**
   * Runs the schedule from now; returns the messages (ground truth) once the last event has run and
   * {@code drainMicros} more have passed for late deliveries.
   *
   * @param progress told the elapsed schedule time in microseconds, now and then
   */
  public List<Message> run(long drainMicros, LongConsumer progress) {
    long origin = OperatorLog.nowMicros();
    List<long[]> sent = new ArrayList<>(); // id, sender, recipient, sentMicros, recipientOnline
    long next = 0;
    long lastReport = 0;
    for (Population.Event e : population.events()) {
      waitUntil(origin + e.atMicros());
      int u = e.user();
      switch (e.kind()) {
        case ONLINE -> {
          online[u] = true;
          connections.set(
              u,
              client
                  .connect(addresses[u])
                  .thenCompose(c -> c.subscribe(mailboxes[u], handler(u)).thenApply(v -> c))
                  .toCompletableFuture());
        }
        case OFFLINE -> {
          online[u] = false;
          connections.get(u).thenAcceptAsync(RelayConnection::close, closer);
        }
        case SEND -> {
          long id = next++;
          byte[] content = ByteBuffer.allocate(Long.BYTES).putLong(id).array();
          long at = OperatorLog.nowMicros();
          sent.add(new long[] {id, u, e.recipient(), at, online[e.recipient()] ? 1 : 0});
          connections
              .get(u)
              .thenCompose(c -> c.send(addressVia(u, e.recipient()), content, identities[u]))
              .whenComplete(
                  (v, failure) -> {
                    if (failure != null && failures.getAndIncrement() == 0) {
                      firstFailure = failure;
                    }
                  });
        }
      }
      if (e.atMicros() - lastReport > 1_000_000) {
        lastReport = e.atMicros();
        progress.accept(e.atMicros());
      }
    }
    waitUntil(origin + (long) (population.params().seconds() * 1e6));
    progress.accept((long) (population.params().seconds() * 1e6));
    LockSupport.parkNanos(drainMicros * 1_000);
    List<Message> out = new ArrayList<>(sent.size());
    for (long[] s : sent) {
      Long d = delivered.get(s[0]);
      out.add(new Message(s[0], (int) s[1], (int) s[2], s[3], d == null ? -1 : d, s[4] == 1));
    }
    return out;
  }

  /**
   * The recipient's mailbox address as the sender's client knows it: the same relay, reached
   * through the sender's own proxy port (each user has one).
   */
  private MailboxAddress addressVia(int sender, int recipient) {
    Mailbox mb = mailboxes[recipient];
    try {
      return MailboxAddress.of(
          addresses[sender],
          mb.senderId(),
          mb.sealingKey().publicKey(),
          mb.sendToken().orElse(null));
    } catch (AddressException e) {
      throw new IllegalStateException("a mailbox's parts do not make an address", e);
    }
  }

  /** Sends whose stage failed (reported; a healthy run has none). */
  public long failures() {
    return failures.get();
  }

  /** The first failed send's cause, if any (a lab bug or an overloaded relay: reported). */
  public Throwable firstFailure() {
    return firstFailure;
  }

  /** Closes every connection. */
  public void close() {
    for (CompletableFuture<RelayConnection> c : connections) {
      c.thenAccept(RelayConnection::close);
    }
    closer.shutdown();
  }

  private static void waitUntil(long epochMicros) {
    long now;
    while ((now = OperatorLog.nowMicros()) < epochMicros) {
      LockSupport.parkNanos(Math.min(epochMicros - now, 50_000) * 1_000);
    }
  }
}
