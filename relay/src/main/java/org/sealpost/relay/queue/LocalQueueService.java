package org.sealpost.relay.queue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.sealpost.mailbox.IdKind;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.QueueKeys;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.SendToken;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.ErrorCode;

/**
 * The {@link QueueService} of a single node: commands run against the local {@link MailboxStore}.
 *
 * <p>The queue's two symmetric keys ({@code delivery_key}, {@code mac_key}) are derived once, at
 * creation, and stored as the queue's opaque secrets; no command after CreateQueue does public-key
 * work. The X25519 of CreateQueue runs on the given executor (a worker pool), never on the caller's
 * event loop; the MAC check runs on the store's read thread that completed the lookup.
 */
public final class LocalQueueService implements QueueService {
  /**
   * Default of the {@code queue.create-rate-global} setting, per second: bounds what reconnecting
   * clients can create (a day at this rate is 864,000 queues).
   */
  public static final double DEFAULT_GLOBAL_CREATE_RATE = 10;

  private static final System.Logger LOG = System.getLogger(LocalQueueService.class.getName());

  private final MailboxStore store;
  private final RandomSource random;
  private final Executor keyExecutor;
  private final QueueEvents events;
  private final GlobalRate createRate;
  // issue 10: the not-before time stored with each envelope
  private final LongSupplier notBefore;
  // a queue of the relay's own, never handed out: the "hit" that balances a miss
  private final AtomicReference<QueueRecord> decoy = new AtomicReference<>();
  // set when making a new decoy failed: the next lookup tries again
  private final AtomicBoolean decoyWanted = new AtomicBoolean();

  /**
   * A service without a relay-wide CreateQueue rate (only the per-connection one applies). Kept for
   * callers not yet passing {@code queue.create-rate-global}; the relay should use the other
   * constructor with {@code RelayConfig.queueCreateRateGlobal()}.
   *
   * @param store the local store
   * @param random source of the per-queue key pairs
   * @param keyExecutor where CreateQueue's key agreement runs (a worker pool)
   * @param events told about pending envelopes and full queues
   */
  public LocalQueueService(
      MailboxStore store, RandomSource random, Executor keyExecutor, QueueEvents events) {
    this(store, random, keyExecutor, events, Double.POSITIVE_INFINITY, System::nanoTime);
  }

  /**
   * @param globalCreatesPerSecond relay-wide CreateQueue rate (all connections together); up to ten
   *     seconds of it may come at once, beyond it CreateQueue is refused with {@code RATE}; {@code
   *     Double.POSITIVE_INFINITY} for none (default setting: {@link #DEFAULT_GLOBAL_CREATE_RATE})
   * @param nanoClock monotonic time for that rate
   */
  public LocalQueueService(
      MailboxStore store,
      RandomSource random,
      Executor keyExecutor,
      QueueEvents events,
      double globalCreatesPerSecond,
      LongSupplier nanoClock) {
    this(store, random, keyExecutor, events, globalCreatesPerSecond, nanoClock, () -> 0L);
  }

  /**
   * @param notBefore the not-before time (epoch milliseconds, 0 = at once) of each envelope stored
   *     now: {@code DeliverySchedule::notBeforeForNewEnvelope} (issue 10)
   */
  public LocalQueueService(
      MailboxStore store,
      RandomSource random,
      Executor keyExecutor,
      QueueEvents events,
      double globalCreatesPerSecond,
      LongSupplier nanoClock,
      LongSupplier notBefore) {
    this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    this.store = Objects.requireNonNull(store, "store");
    this.random = Objects.requireNonNull(random, "random");
    this.keyExecutor = Objects.requireNonNull(keyExecutor, "keyExecutor");
    this.events = Objects.requireNonNull(events, "events");
    this.createRate = new GlobalRate(globalCreatesPerSecond, Objects.requireNonNull(nanoClock));
  }

  /**
   * Creates the decoy queue that balances lookups (see {@link #findBalanced}). Call once before
   * serving; until it completes, misses are balanced against another miss only.
   */
  public CompletionStage<Void> prepare() {
    byte[] a = random.bytes(QueueSecrets.KEY_LENGTH);
    byte[] b = random.bytes(QueueSecrets.KEY_LENGTH);
    return store.createQueue(new QueueSecrets(a, b)).thenAccept(decoy::set);
  }

  /** Deletes the decoy queue; call before the store closes. */
  public CompletionStage<Void> release() {
    QueueRecord d = decoy.getAndSet(null);
    return d == null ? CompletableFuture.completedFuture(null) : store.deleteQueue(d.queueId());
  }

  /**
   * Looks an ID up at the cost of a hit whether or not it exists: the store seeks the ID and then
   * reads one queue record, the found queue's or, after a miss, that of the queue next in the index
   * (the decoy's when there is none). A storage miss alone is measurably cheaper than a hit (it
   * reads no record and builds none), which would tell "no such queue" from "bad token" by time.
   */
  private CompletionStage<Optional<QueueRecord>> findBalanced(byte[] id, boolean recipient) {
    if (decoyWanted.compareAndSet(true, false)) {
      makeDecoy();
    }
    QueueRecord d = decoy.get();
    return store
        .lookupBalanced(
            recipient ? IdKind.RECIPIENT : IdKind.SENDER, id, d == null ? null : d.queueId())
        .thenApply(
            result -> {
              if (result.found().isEmpty() && d != null && !result.decoyFound()) {
                recreateDecoy(d); // expired as idle: make another
              }
              return result.found();
            });
  }

  private void recreateDecoy(QueueRecord expired) {
    if (decoy.compareAndSet(expired, null)) {
      makeDecoy();
    }
  }

  /** Makes a new decoy; if that fails, says so once and leaves it to the next lookup to retry. */
  private void makeDecoy() {
    prepare()
        .whenComplete(
            (v, failure) -> {
              if (failure != null) {
                decoyWanted.set(true);
                LOG.log(
                    System.Logger.Level.WARNING,
                    "decoy queue not recreated, retrying on the next lookup: {0}",
                    describe(failure));
              }
            });
  }

  /** What failed, without a message (messages can carry data): a store code or a class name. */
  private static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    return t instanceof MailboxException m ? m.code().name() : t.getClass().getName();
  }

  @Override
  public CompletionStage<CreatedQueue> create(byte[] recipientDhPublic) {
    // before the key agreement: a refused create costs no public-key work
    if (!createRate.tryTake()) {
      return CompletableFuture.failedFuture(
          new QueueException(ErrorCode.ERROR_CODE_RATE, "relay-wide CreateQueue rate"));
    }
    byte[] recipientKey = recipientDhPublic.clone();
    return CompletableFuture.supplyAsync(() -> deriveSecrets(recipientKey), keyExecutor)
        .thenCompose(
            derived ->
                store
                    .createQueue(derived.secrets())
                    .thenApply(
                        record ->
                            new CreatedQueue(
                                record.recipientId(), record.senderId(), derived.publicKey())));
  }

  private record Derived(QueueSecrets secrets, byte[] publicKey) {}

  private Derived deriveSecrets(byte[] recipientKey) {
    X25519KeyPair queueKeyPair = X25519KeyPair.generate(random);
    QueueKeys keys;
    try {
      keys = QueueKeys.deriveForRelay(queueKeyPair, recipientKey);
    } catch (CryptoException e) {
      // a low-order or malformed point: the client's input, not ours
      throw new QueueException(ErrorCode.ERROR_CODE_SYNTAX, "recipient key is not usable");
    } finally {
      queueKeyPair.destroy();
    }
    try {
      return new Derived(SecretsLayout.toSecrets(keys), queueKeyPair.publicKey());
    } finally {
      keys.destroy();
    }
  }

  @Override
  public CompletionStage<AuthorizedQueue> authorize(
      byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac) {
    byte[] id = recipientId.clone();
    return findBalanced(id, true)
        .thenApply(
            found -> {
              // Both branches compute one HMAC and one 32-byte comparison (CommandMac.verify
              // uses a dummy key for a missing queue): "no such queue" and "bad MAC" cost the same.
              QueueRecord record = found.orElse(null);
              byte[] macKey = record == null ? null : SecretsLayout.macKey(record.secrets());
              boolean valid = CommandMac.verify(macKey, handshakeHash, id, command, mac);
              if (!valid || record == null) {
                throw QueueException.auth();
              }
              return new AuthorizedQueue(
                  record.queueId(), id, SecretsLayout.deliveryKey(record.secrets()));
            });
  }

  @Override
  public CompletionStage<Void> secure(QueueId queue, byte[] sendToken) {
    return store.secureQueue(queue, sendToken.clone()).thenApply(record -> null);
  }

  @Override
  public CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] sendToken) {
    byte[] token = sendToken == null ? null : sendToken.clone();
    return findBalanced(senderId.clone(), false)
        .thenCompose(
            found -> {
              QueueRecord record = found.orElse(null);
              // One constant-time comparison on every path, against a dummy when there is no
              // queue or no token, so the three refusals cost the same.
              byte[] expected = record == null ? null : record.sendToken().orElse(null);
              boolean tokenOk = SendToken.matches(expected, token);
              if (record == null || (record.secured() && !tokenOk)) {
                throw QueueException.auth();
              }
              QueueId queue = record.queueId();
              long at = notBefore.getAsLong();
              // issue 14: told from the store's completion thread, in commit order (a callback
              // on the stage could run late, on another thread, after later appends' events)
              return store
                  .append(queue, envelope, at, stored -> events.pending(queue, stored))
                  .handle(
                      (appended, failure) -> {
                        if (failure == null) {
                          return null;
                        }
                        Throwable cause = unwrap(failure);
                        if (cause instanceof MailboxException m && m.isQuota()) {
                          events.quotaReached(queue);
                        }
                        throw failure instanceof CompletionException c
                            ? c
                            : new CompletionException(cause);
                      });
            });
  }

  @Override
  public CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    return store.readPending(queue, afterPosition, maxCount);
  }

  @Override
  public CompletionStage<Boolean> isFull(QueueId queue) {
    return store.isFull(queue);
  }

  @Override
  public CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    return store.ack(queue, messageId);
  }

  @Override
  public CompletionStage<Void> delete(QueueId queue) {
    return store.deleteQueue(queue);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
