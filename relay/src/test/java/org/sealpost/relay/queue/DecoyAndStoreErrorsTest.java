package org.sealpost.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.SyncPolicy;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.relay.metrics.RelayMetrics;

/** Failures that used to vanish: a decoy that could not be remade, store bugs in the metrics. */
class DecoyAndStoreErrorsTest {
  private static final RandomSource RANDOM = RandomSource.of(new SecureRandom());

  @TempDir Path dir;
  private MailboxStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void aDecoyThatCouldNotBeRemadeIsRetriedOnTheNextLookup() throws Exception {
    TestClock clock = new TestClock();
    MailboxStore real =
        RocksMailboxStore.opener(
                MailboxConfig.builder(dir.resolve("store"), dir.resolve("store.key"))
                    .syncPolicy(SyncPolicy.NEVER)
                    .idleQueueTtl(Duration.ofDays(1))
                    .build())
            .clock(clock)
            .open();
    store = real;
    AtomicBoolean failCreates = new AtomicBoolean();
    List<CompletionStage<?>> creates = new CopyOnWriteArrayList<>();
    MailboxStore flaky =
        (MailboxStore)
            Proxy.newProxyInstance(
                MailboxStore.class.getClassLoader(),
                new Class<?>[] {MailboxStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("createQueue")) {
                    CompletionStage<?> s =
                        failCreates.get()
                            ? CompletableFuture.failedFuture(
                                new MailboxException(MailboxException.Code.OVERLOAD, "test"))
                            : (CompletionStage<?>) method.invoke(real, args);
                    creates.add(s);
                    return s;
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    LocalQueueService service =
        new LocalQueueService(flaky, RANDOM, Runnable::run, QueueEventsNone.INSTANCE);
    get(service.prepare());
    assertThat(get(real.stats()).queues()).isEqualTo(1);

    // the decoy goes idle and is swept; the next miss notices, but remaking it fails
    clock.now.set(clock.now.get().plus(Duration.ofDays(2)));
    get(real.expire());
    assertThat(get(real.stats()).queues()).isZero();
    failCreates.set(true);
    refusedLookup(service);
    assertThat(creates).hasSize(2);

    // the next lookup tries again
    failCreates.set(false);
    refusedLookup(service);
    assertThat(creates).hasSize(3);
    get(creates.get(2));
    assertThat(get(real.stats()).queues()).isEqualTo(1);
  }

  private static void refusedLookup(LocalQueueService service) throws Exception {
    byte[] hash = RANDOM.bytes(32);
    byte[] command = {0x1A, 0x00};
    byte[] id = RANDOM.bytes(32);
    CompletionStage<AuthorizedQueue> s =
        service.authorize(
            id, hash, command, CommandMac.compute(RANDOM.bytes(32), hash, id, command));
    assertThat(s.toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void storeInternalErrorsAreExportedAsAnAggregateCounter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong errors = new AtomicLong(3);
    RelayMetrics.registerStoreInternalErrors(registry, errors::get);
    errors.incrementAndGet();
    assertThat(registry.get(RelayMetrics.STORE_INTERNAL_ERRORS).functionCounter().count())
        .isEqualTo(4.0);
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private enum QueueEventsNone implements QueueEvents {
    INSTANCE;

    @Override
    public void pending(QueueId queue) {}

    @Override
    public void quotaReached(QueueId queue) {}
  }
}
