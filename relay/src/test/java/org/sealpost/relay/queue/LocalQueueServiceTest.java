package org.sealpost.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.SyncPolicy;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.QueueKeys;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.ErrorCode;

/** The local command path against a real RocksDB store. */
class LocalQueueServiceTest {
  private static final int E = 1024 - 512;
  private static final RandomSource RANDOM = RandomSource.of(new SecureRandom());

  @TempDir Path dir;
  private MailboxStore store;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private LocalQueueService service;

  @BeforeEach
  void open() {
    store =
        RocksMailboxStore.opener(
                MailboxConfig.builder(dir.resolve("store"), dir.resolve("store.key"))
                    .syncPolicy(SyncPolicy.NEVER)
                    .maxEnvelopeBytes(E)
                    .queueMessageQuota(2)
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
    service = new LocalQueueService(store, RANDOM, Runnable::run, recorder);
    service.prepare().toCompletableFuture().join();
  }

  @AfterEach
  void close() {
    store.close();
  }

  record Recipient(CreatedQueue created, QueueKeys keys) {}

  private Recipient create() throws Exception {
    X25519KeyPair key = X25519KeyPair.generate(RANDOM);
    CreatedQueue created = get(service.create(key.publicKey()));
    return new Recipient(created, QueueKeys.deriveForRecipient(key, created.relayDhPublic()));
  }

  private AuthorizedQueue authorize(Recipient r, byte[] hash, byte[] command) throws Exception {
    byte[] mac = CommandMac.compute(r.keys().macKey(), hash, r.created().recipientId(), command);
    return get(service.authorize(r.created().recipientId(), hash, command, mac));
  }

  @Test
  void createdQueueKeysAreTheOnesTheRecipientDerives() throws Exception {
    Recipient r = create();
    assertThat(r.created().recipientId()).hasSize(32).isNotEqualTo(r.created().senderId());
    byte[] hash = RANDOM.bytes(32);
    AuthorizedQueue q = authorize(r, hash, new byte[] {0x12, 0x00});
    assertThat(q.deliveryKey()).isEqualTo(r.keys().deliveryKey());
    assertThat(q.recipientId()).isEqualTo(r.created().recipientId());
  }

  @Test
  void unknownQueueAndBadMacFailWithTheSameAuthCode() throws Exception {
    Recipient r = create();
    byte[] hash = RANDOM.bytes(32);
    byte[] command = {0x1A, 0x00};
    CompletionStage<AuthorizedQueue> badMac =
        service.authorize(r.created().recipientId(), hash, command, RANDOM.bytes(32));
    CompletionStage<AuthorizedQueue> unknown =
        service.authorize(RANDOM.bytes(32), hash, command, RANDOM.bytes(32));
    assertThat(code(badMac)).isEqualTo(ErrorCode.ERROR_CODE_AUTH);
    assertThat(code(unknown)).isEqualTo(ErrorCode.ERROR_CODE_AUTH);
  }

  @Test
  void aLowOrderRecipientKeyIsRefusedAsSyntax() {
    assertThat(code(service.create(new byte[32]))).isEqualTo(ErrorCode.ERROR_CODE_SYNTAX);
  }

  @Test
  void sendNeedsTheTokenOfASecuredQueueAndNotifiesOnlyWhenStored() throws Exception {
    Recipient r = create();
    byte[] senderId = r.created().senderId();
    byte[] token = RANDOM.bytes(16);
    AuthorizedQueue q = authorize(r, RANDOM.bytes(32), new byte[] {0x0A, 0x00});
    get(service.secure(q.queueId(), token));

    assertThat(code(service.send(senderId, new byte[E], null)))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
    assertThat(code(service.send(senderId, new byte[E], RANDOM.bytes(16))))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
    assertThat(code(service.send(RANDOM.bytes(32), new byte[E], token)))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
    assertThat(events).isEmpty();

    byte[] envelope = RANDOM.bytes(E);
    get(service.send(senderId, envelope, token));
    assertThat(events).containsExactly("pending");
    List<StoredEnvelope> pending = get(service.readPending(q.queueId(), MailboxStore.START, 10));
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).envelope()).isEqualTo(envelope);
    assertThat(get(service.ack(q.queueId(), pending.get(0).messageId()))).isTrue();
    assertThat(get(service.ack(q.queueId(), pending.get(0).messageId()))).isFalse();
  }

  @Test
  void aFullQueueAnswersQuotaAndRaisesTheEvent() throws Exception {
    Recipient r = create();
    byte[] senderId = r.created().senderId();
    get(service.send(senderId, new byte[E], null));
    get(service.send(senderId, new byte[E], null));
    assertThat(code(service.send(senderId, new byte[E], null)))
        .isEqualTo(ErrorCode.ERROR_CODE_QUOTA);
    assertThat(events).containsExactly("pending", "pending", "quota");
  }

  @Test
  void deletedQueueIsUnknown() throws Exception {
    Recipient r = create();
    byte[] hash = RANDOM.bytes(32);
    AuthorizedQueue q = authorize(r, hash, new byte[] {0x22, 0x00});
    get(service.delete(q.queueId()));
    byte[] command = {0x22, 0x00};
    byte[] mac = CommandMac.compute(r.keys().macKey(), hash, r.created().recipientId(), command);
    assertThat(code(service.authorize(r.created().recipientId(), hash, command, mac)))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
    assertThat(code(service.send(r.created().senderId(), new byte[E], null)))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static ErrorCode code(CompletionStage<?> stage) {
    assertThatThrownBy(() -> get(stage)).isInstanceOf(ExecutionException.class);
    try {
      get(stage);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return org.sealpost.relay.protocol.ErrorMapper.toErrorCode(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
