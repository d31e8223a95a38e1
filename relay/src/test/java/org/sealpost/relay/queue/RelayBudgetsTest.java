package org.sealpost.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.SyncPolicy;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;
import org.sealpost.relay.protocol.ErrorMapper;

/** Relay-wide budgets (issue 17.2) over a real RocksDB store. */
class RelayBudgetsTest {
  private static final int E = 1024 - 512;
  private static final RandomSource RANDOM = RandomSource.of(new SecureRandom());

  @TempDir Path dir;
  private MailboxStore store;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private LocalQueueService service(UnaryOperator<MailboxConfig.Builder> tweak, double rate)
      throws Exception {
    store =
        RocksMailboxStore.opener(
                tweak
                    .apply(
                        MailboxConfig.builder(dir.resolve("store"), dir.resolve("store.key"))
                            .syncPolicy(SyncPolicy.NEVER)
                            .maxEnvelopeBytes(E))
                    .build())
            .open();
    QueueEvents recorder =
        new QueueEvents() {
          @Override
          public void pending(QueueId queue) {
            events.add("pending");
          }

          @Override
          public void quotaReached(QueueId queue) {
            events.add("quota");
          }
        };
    LocalQueueService s =
        new LocalQueueService(store, RANDOM, Runnable::run, recorder, rate, nanos::get);
    get(s.prepare());
    return s;
  }

  private static CompletionStage<CreatedQueue> create(LocalQueueService s) {
    return s.create(X25519KeyPair.generate(RANDOM).publicKey());
  }

  @Test
  void createQueueBeyondTheRelayWideRateIsRefusedWithRate() throws Exception {
    LocalQueueService s = service(b -> b, 1);
    for (int i = 0; i < 10; i++) {
      get(create(s)); // ten seconds' worth at once
    }
    assertThat(code(create(s))).isEqualTo(ErrorCode.ERROR_CODE_RATE);
    nanos.addAndGet(1_000_000_000L);
    get(create(s));
    assertThat(code(create(s))).isEqualTo(ErrorCode.ERROR_CODE_RATE);
  }

  @Test
  void createQueueBeyondTheStoreQueueBudgetIsRefusedWithQuota() throws Exception {
    LocalQueueService s = service(b -> b.maxQueues(3), 1000); // the decoy is one of them
    get(create(s));
    get(create(s));
    assertThat(code(create(s))).isEqualTo(ErrorCode.ERROR_CODE_QUOTA);
  }

  @Test
  void sendBeyondTheStoreDiskBudgetIsRefusedWithQuota() throws Exception {
    LocalQueueService s =
        service(
            b -> b.diskBudgetBytes(64 * 1024).queueMessageQuota(1000).queueByteQuota(1L << 30),
            1000);
    CreatedQueue q = get(create(s));
    ErrorCode refused = null;
    int sent = 0;
    for (; sent < 1000 && refused == null; sent++) {
      try {
        get(s.send(q.senderId(), RANDOM.bytes(E), null));
      } catch (ExecutionException e) {
        refused = ErrorMapper.toErrorCode(e.getCause());
      }
    }
    assertThat(refused).isEqualTo(ErrorCode.ERROR_CODE_QUOTA);
    assertThat(sent).isLessThan(200);
    assertThat(events).endsWith("quota");
  }

  @Test
  void theBudgetsAreSettingsWithSafeDefaults() {
    RelayConfig defaults = RelayConfigLoader.load(List.of(), Map.of());
    assertThat(defaults.queueCreateRateGlobal())
        .isEqualTo(LocalQueueService.DEFAULT_GLOBAL_CREATE_RATE)
        .isEqualTo(10.0);
    assertThat(defaults.storeMaxQueues()).isEqualTo(2_000_000);
    assertThat(defaults.storeMaxMib()).isZero(); // automatic: half the free disk at start
    RelayConfig set =
        RelayConfigLoader.load(
            List.of(
                "--queue-create-rate-global=0.5", "--store-max-queues=100", "--store-max-mib=64"),
            Map.of());
    assertThat(set.queueCreateRateGlobal()).isEqualTo(0.5);
    assertThat(set.storeMaxQueues()).isEqualTo(100);
    assertThat(set.storeMaxMib()).isEqualTo(64);
    assertThat(MailboxConfig.DEFAULT_MAX_QUEUES).isEqualTo(defaults.storeMaxQueues());
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static ErrorCode code(CompletionStage<?> stage) throws Exception {
    try {
      get(stage);
    } catch (ExecutionException e) {
      return ErrorMapper.toErrorCode(e.getCause());
    }
    throw new AssertionError("expected a refusal");
  }
}
