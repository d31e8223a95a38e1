package org.sealpost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MailboxStore} implementation shares. A subclass says how to open a
 * store on fresh (or, for {@link #reopen}, the same) storage.
 */
public abstract class MailboxStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-23T10:17:42Z");
  protected final MutableClock clock = new MutableClock(T0);
  protected final SecureRandom random = new SecureRandom();
  private final List<MailboxStore> opened = new ArrayList<>();

  /** Opens a store on this test's storage with {@code tweak} applied to the default config. */
  protected abstract MailboxStore open(UnaryOperator<MailboxConfig.Builder> tweak);

  protected MailboxStore store(UnaryOperator<MailboxConfig.Builder> tweak) {
    MailboxStore s = open(tweak);
    opened.add(s);
    return s;
  }

  protected MailboxStore store() {
    return store(b -> b);
  }

  /** Closes {@code s} and opens the same storage again. */
  protected MailboxStore reopen(MailboxStore s, UnaryOperator<MailboxConfig.Builder> tweak) {
    s.close();
    return store(tweak);
  }

  @AfterEach
  void closeStores() {
    for (MailboxStore s : opened) {
      s.close();
    }
  }

  protected static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  protected static MailboxException.Code failureCode(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(MailboxException.class);
      return ((MailboxException) e.getCause()).code();
    }
    throw new AssertionError("expected a MailboxException");
  }

  protected QueueSecrets secrets() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    random.nextBytes(a);
    random.nextBytes(b);
    return new QueueSecrets(a, b);
  }

  protected static byte[] envelope(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  protected static List<String> texts(List<StoredEnvelope> page) {
    List<String> out = new ArrayList<>();
    for (StoredEnvelope e : page) {
      out.add(new String(e.envelope(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void createQueueReturnsIndependentRandomIdsAndTheSecrets() {
    MailboxStore s = store();
    QueueSecrets secrets = secrets();
    QueueRecord a = await(s.createQueue(secrets));
    QueueRecord b = await(s.createQueue(secrets()));
    assertThat(a.recipientId()).hasSize(32).isNotEqualTo(a.senderId());
    assertThat(a.senderId()).hasSize(32);
    assertThat(a.recipientId()).isNotEqualTo(b.recipientId());
    assertThat(a.queueId()).isNotEqualTo(b.queueId());
    assertThat(a.secrets().deliveryKey()).isEqualTo(secrets.deliveryKey());
    assertThat(a.secrets().macKey()).isEqualTo(secrets.macKey());
    assertThat(a.secured()).isFalse();
    assertThat(a.createdAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(a.toString()).doesNotContain(hex(a.recipientId()));
  }

  @Test
  void findsQueueByRecipientIdAndBySenderIdButNotByTheOtherKind() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    Optional<QueueRecord> byRecipient = await(s.findByRecipientId(q.recipientId()));
    Optional<QueueRecord> bySender = await(s.findBySenderId(q.senderId()));
    assertThat(byRecipient).isPresent();
    assertThat(bySender).isPresent();
    assertThat(byRecipient.get().queueId()).isEqualTo(q.queueId());
    assertThat(bySender.get().recipientId()).isEqualTo(q.recipientId());
    assertThat(await(s.findByRecipientId(q.senderId()))).isEmpty();
    assertThat(await(s.findBySenderId(q.recipientId()))).isEmpty();
    byte[] unknown = new byte[32];
    random.nextBytes(unknown);
    assertThat(await(s.findByRecipientId(unknown))).isEmpty();
  }

  @Test
  void balancedLookupFindsTheQueueAndReportsWhetherTheDecoyIsThere() {
    MailboxStore s = store();
    byte[] unknown = new byte[32];
    random.nextBytes(unknown);
    // an empty index: the seek lands nowhere, so the miss needs the decoy, and none was given
    assertThat(await(s.lookupBalanced(IdKind.SENDER, unknown, null)).decoyFound()).isFalse();

    QueueRecord q = await(s.createQueue(secrets()));
    QueueRecord decoy = await(s.createQueue(secrets()));
    BalancedLookup hit = await(s.lookupBalanced(IdKind.SENDER, q.senderId(), decoy.queueId()));
    assertThat(hit.found()).map(QueueRecord::queueId).contains(q.queueId());
    assertThat(hit.decoyFound()).as("a hit does not need the decoy").isTrue();
    assertThat(await(s.lookupBalanced(IdKind.RECIPIENT, q.recipientId(), null)).found())
        .map(QueueRecord::queueId)
        .contains(q.queueId());
    assertThat(await(s.lookupBalanced(IdKind.RECIPIENT, q.senderId(), null)).found()).isEmpty();

    BalancedLookup miss = await(s.lookupBalanced(IdKind.SENDER, unknown, decoy.queueId()));
    assertThat(miss.found()).as("a miss never returns the queue it read instead").isEmpty();
    assertThat(miss.decoyFound()).as("the decoy, if it was needed, is there").isTrue();
    assertThat(await(s.lookupBalanced(IdKind.SENDER, decoy.senderId(), decoy.queueId())).found())
        .as("the decoy's own ID is an ordinary hit")
        .map(QueueRecord::queueId)
        .contains(decoy.queueId());

    await(s.deleteQueue(decoy.queueId()));
    assertThat(await(s.lookupBalanced(IdKind.RECIPIENT, unknown, decoy.queueId())).found())
        .isEmpty();
    BalancedLookup hitWithoutDecoy =
        await(s.lookupBalanced(IdKind.RECIPIENT, q.recipientId(), decoy.queueId()));
    assertThat(hitWithoutDecoy.found()).map(QueueRecord::queueId).contains(q.queueId());
    assertThat(hitWithoutDecoy.decoyFound()).isTrue();
  }

  @Test
  void appendThenReadReturnsTheEnvelopeWithItsMessageId() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    Appended a = await(s.append(q.queueId(), envelope("hello")));
    assertThat(a.messageId().bytes()).hasSize(12);
    List<StoredEnvelope> page = await(s.readPending(q.queueId(), MailboxStore.START, 10));
    assertThat(page).hasSize(1);
    assertThat(page.get(0).messageId()).isEqualTo(a.messageId());
    assertThat(page.get(0).position()).isEqualTo(a.position());
    assertThat(texts(page)).containsExactly("hello");
  }

  @Test
  void envelopesComeBackInAppendOrderPageByPage() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add("m" + i);
      await(s.append(q.queueId(), envelope("m" + i)));
    }
    List<String> got = new ArrayList<>();
    long after = MailboxStore.START;
    while (true) {
      List<StoredEnvelope> page = await(s.readPending(q.queueId(), after, 7));
      if (page.isEmpty()) {
        break;
      }
      assertThat(page.size()).isLessThanOrEqualTo(7);
      got.addAll(texts(page));
      after = page.get(page.size() - 1).position();
    }
    assertThat(got).isEqualTo(sent);
  }

  @Test
  void messageIdsAreRandomAndUnrelatedToPositions() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    Set<MessageId> ids = new HashSet<>();
    long last = 0;
    for (int i = 0; i < 30; i++) {
      Appended a = await(s.append(q.queueId(), envelope("x")));
      assertThat(ids.add(a.messageId())).isTrue();
      assertThat(a.position()).isGreaterThan(last);
      last = a.position();
      byte[] id = a.messageId().bytes();
      long low = 0;
      for (int j = 4; j < 12; j++) {
        low = (low << 8) | (id[j] & 0xff);
      }
      assertThat(low).isNotEqualTo(a.position());
    }
  }

  @Test
  void ackDeletesTheEnvelopeAndTheNextOneIsRead() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    Appended first = await(s.append(q.queueId(), envelope("one")));
    await(s.append(q.queueId(), envelope("two")));
    assertThat(await(s.ack(q.queueId(), first.messageId()))).isTrue();
    assertThat(texts(await(s.readPending(q.queueId(), MailboxStore.START, 10))))
        .containsExactly("two");
    assertThat(await(s.ack(q.queueId(), first.messageId()))).isFalse();
    byte[] unknown = new byte[12];
    random.nextBytes(unknown);
    assertThat(await(s.ack(q.queueId(), MessageId.of(unknown)))).isFalse();
  }

  @Test
  void queuesAreIsolated() {
    MailboxStore s = store();
    QueueRecord a = await(s.createQueue(secrets()));
    QueueRecord b = await(s.createQueue(secrets()));
    Appended inA = await(s.append(a.queueId(), envelope("for a")));
    await(s.append(b.queueId(), envelope("for b")));
    assertThat(texts(await(s.readPending(a.queueId(), 0, 10)))).containsExactly("for a");
    assertThat(texts(await(s.readPending(b.queueId(), 0, 10)))).containsExactly("for b");
    assertThat(await(s.ack(b.queueId(), inA.messageId()))).isFalse();
    assertThat(await(s.readPending(a.queueId(), 0, 10))).hasSize(1);
  }

  @Test
  void secureQueueStoresTheTokenOnceAndRefusesAnother() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    byte[] token = new byte[16];
    random.nextBytes(token);
    QueueRecord secured = await(s.secureQueue(q.queueId(), token));
    assertThat(secured.secured()).isTrue();
    assertThat(secured.sendToken()).hasValueSatisfying(t -> assertThat(t).isEqualTo(token));
    assertThat(await(s.findBySenderId(q.senderId())).orElseThrow().sendToken())
        .hasValueSatisfying(t -> assertThat(t).isEqualTo(token));
    assertThat(await(s.secureQueue(q.queueId(), token)).secured()).isTrue();
    byte[] other = token.clone();
    other[0] ^= 1;
    assertThat(failureCode(s.secureQueue(q.queueId(), other)))
        .isEqualTo(MailboxException.Code.ALREADY_SECURED);
  }

  @Test
  void deleteQueueRemovesTheQueueItsIdsAndItsEnvelopes() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    await(s.append(q.queueId(), envelope("a")));
    await(s.append(q.queueId(), envelope("b")));
    await(s.deleteQueue(q.queueId()));
    assertThat(await(s.findByRecipientId(q.recipientId()))).isEmpty();
    assertThat(await(s.findBySenderId(q.senderId()))).isEmpty();
    assertThat(failureCode(s.append(q.queueId(), envelope("c"))))
        .isEqualTo(MailboxException.Code.NOT_FOUND);
    assertThat(failureCode(s.readPending(q.queueId(), 0, 10)))
        .isEqualTo(MailboxException.Code.NOT_FOUND);
    assertThat(failureCode(s.deleteQueue(q.queueId()))).isEqualTo(MailboxException.Code.NOT_FOUND);
    MailboxStats stats = await(s.stats());
    assertThat(stats.queues()).isZero();
    assertThat(stats.envelopes()).isZero();
  }

  @Test
  void unknownQueueIsNotFound() {
    MailboxStore s = store();
    byte[] b = new byte[QueueId.LENGTH];
    random.nextBytes(b);
    QueueId unknown = QueueId.of(b);
    assertThat(failureCode(s.append(unknown, envelope("x"))))
        .isEqualTo(MailboxException.Code.NOT_FOUND);
    assertThat(failureCode(s.ack(unknown, MessageId.of(new byte[12]))))
        .isEqualTo(MailboxException.Code.NOT_FOUND);
    assertThat(failureCode(s.secureQueue(unknown, new byte[16])))
        .isEqualTo(MailboxException.Code.NOT_FOUND);
  }

  @Test
  void messageQuotaRefusesTheNextAppendUntilAnAck() {
    MailboxStore s = store(b -> b.queueMessageQuota(3));
    QueueRecord q = await(s.createQueue(secrets()));
    Appended first = await(s.append(q.queueId(), envelope("1")));
    await(s.append(q.queueId(), envelope("2")));
    await(s.append(q.queueId(), envelope("3")));
    MailboxException.Code code = failureCode(s.append(q.queueId(), envelope("4")));
    assertThat(code).isEqualTo(MailboxException.Code.QUOTA_MESSAGES);
    assertThat(await(s.ack(q.queueId(), first.messageId()))).isTrue();
    await(s.append(q.queueId(), envelope("4")));
    assertThat(texts(await(s.readPending(q.queueId(), 0, 10)))).containsExactly("2", "3", "4");
  }

  @Test
  void isFullExactlyWhileTheMessageQuotaIsReached() {
    MailboxStore s = store(b -> b.queueMessageQuota(2));
    QueueRecord q = await(s.createQueue(secrets()));
    assertThat(await(s.isFull(q.queueId()))).isFalse();
    Appended first = await(s.append(q.queueId(), envelope("1")));
    assertThat(await(s.isFull(q.queueId()))).isFalse();
    await(s.append(q.queueId(), envelope("2")));
    assertThat(await(s.isFull(q.queueId()))).isTrue();
    assertThat(await(s.ack(q.queueId(), first.messageId()))).isTrue();
    assertThat(await(s.isFull(q.queueId()))).isFalse();
    assertThat(failureCode(s.isFull(QueueId.of(new byte[QueueId.LENGTH]))))
        .isEqualTo(MailboxException.Code.NOT_FOUND);
  }

  @Test
  void isFullWhenTheLargestEnvelopeNoLongerFitsTheByteQuota() {
    MailboxStore s = store(b -> b.maxEnvelopeBytes(50).queueByteQuota(100));
    QueueRecord q = await(s.createQueue(secrets()));
    await(s.append(q.queueId(), new byte[50]));
    assertThat(await(s.isFull(q.queueId()))).isFalse();
    await(s.append(q.queueId(), new byte[1]));
    assertThat(await(s.isFull(q.queueId()))).isTrue();
  }

  @Test
  void byteQuotaRefusesAnEnvelopeThatDoesNotFit() {
    MailboxStore s = store(b -> b.queueByteQuota(100));
    QueueRecord q = await(s.createQueue(secrets()));
    await(s.append(q.queueId(), new byte[60]));
    assertThat(failureCode(s.append(q.queueId(), new byte[41])))
        .isEqualTo(MailboxException.Code.QUOTA_BYTES);
    await(s.append(q.queueId(), new byte[40]));
  }

  @Test
  void emptyOrOversizedEnvelopesAreRefused() {
    MailboxStore s = store(b -> b.maxEnvelopeBytes(1000));
    QueueRecord q = await(s.createQueue(secrets()));
    assertThat(failureCode(s.append(q.queueId(), new byte[0])))
        .isEqualTo(MailboxException.Code.ENVELOPE_SIZE);
    assertThat(failureCode(s.append(q.queueId(), new byte[1001])))
        .isEqualTo(MailboxException.Code.ENVELOPE_SIZE);
    await(s.append(q.queueId(), new byte[1000]));
  }

  @Test
  void envelopesExpireAfterTheirTtl() {
    MailboxStore s = store(b -> b.envelopeTtl(Duration.ofDays(21)));
    QueueRecord q = await(s.createQueue(secrets()));
    await(s.append(q.queueId(), envelope("old")));
    clock.advance(Duration.ofDays(20));
    await(s.append(q.queueId(), envelope("young")));
    assertThat(await(s.expire()).envelopes()).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(texts(await(s.readPending(q.queueId(), 0, 10)))).containsExactly("young");
    ExpiryReport r = await(s.expire());
    assertThat(r.envelopes()).isEqualTo(1);
    assertThat(r.queues()).isZero();
    assertThat(await(s.stats()).envelopes()).isEqualTo(1);
    clock.advance(Duration.ofDays(20));
    assertThat(await(s.expire()).envelopes()).isEqualTo(1);
    assertThat(await(s.readPending(q.queueId(), 0, 10))).isEmpty();
  }

  @Test
  void idleQueuesExpireButRecipientActivityKeepsThemAlive() {
    MailboxStore s = store(b -> b.idleQueueTtl(Duration.ofDays(90)));
    QueueRecord idle = await(s.createQueue(secrets()));
    QueueRecord active = await(s.createQueue(secrets()));
    await(s.append(idle.queueId(), envelope("never read")));
    clock.advance(Duration.ofDays(60));
    await(s.readPending(active.queueId(), 0, 1));
    // the activity update is asynchronous; an ack is a write that orders after it
    await(s.ack(active.queueId(), MessageId.of(new byte[12])));
    clock.advance(Duration.ofDays(31));
    ExpiryReport r = await(s.expire());
    assertThat(r.queues()).isEqualTo(1);
    assertThat(await(s.findByRecipientId(idle.recipientId()))).isEmpty();
    assertThat(await(s.findByRecipientId(active.recipientId()))).isPresent();
    assertThat(await(s.stats()).queues()).isEqualTo(1);
    assertThat(await(s.stats()).envelopes()).isZero();
    clock.advance(Duration.ofDays(60));
    assertThat(await(s.expire()).queues()).isEqualTo(1);
    assertThat(await(s.findBySenderId(active.senderId()))).isEmpty();
  }

  // issue 12: a shorter TTL for queues never secured
  @Test
  void queuesNeverSecuredExpireAfterTheirShorterTtlButSecuredOnesStay() {
    MailboxStore s =
        store(b -> b.idleQueueTtl(Duration.ofDays(90)).unsecuredQueueTtl(Duration.ofDays(1)));
    QueueRecord abandoned = await(s.createQueue(secrets()));
    QueueRecord secured = await(s.createQueue(secrets()));
    QueueRecord securedLate = await(s.createQueue(secrets()));
    await(s.append(abandoned.queueId(), envelope("to an abandoned queue")));
    await(s.secureQueue(secured.queueId(), new byte[16]));
    clock.advance(Duration.ofHours(23));
    assertThat(await(s.expire()).queues()).isZero();
    await(s.secureQueue(securedLate.queueId(), new byte[16]));
    clock.advance(Duration.ofHours(2));
    ExpiryReport r = await(s.expire());
    assertThat(r.queues()).isEqualTo(1);
    assertThat(r.envelopes()).isEqualTo(1);
    assertThat(await(s.findByRecipientId(abandoned.recipientId()))).isEmpty();
    assertThat(await(s.findBySenderId(abandoned.senderId()))).isEmpty();
    assertThat(await(s.findByRecipientId(secured.recipientId()))).isPresent();
    assertThat(await(s.findByRecipientId(securedLate.recipientId()))).isPresent();
    assertThat(await(s.stats()).queues()).isEqualTo(2);
  }

  @Test
  void withoutAnUnsecuredTtlAnUnsecuredQueueKeepsToTheIdleExpiry() {
    MailboxStore s = store(b -> b.idleQueueTtl(Duration.ofDays(90)));
    QueueRecord open = await(s.createQueue(secrets()));
    clock.advance(Duration.ofDays(89));
    assertThat(await(s.expire()).queues()).isZero();
    assertThat(await(s.findByRecipientId(open.recipientId()))).isPresent();
  }

  @Test
  void anUnsecuredTtlUnderAnHourIsRefused() {
    assertThatThrownBy(() -> store(b -> b.unsecuredQueueTtl(Duration.ofMinutes(59))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statsAreAggregateCounts() {
    MailboxStore s = store();
    QueueRecord a = await(s.createQueue(secrets()));
    QueueRecord b = await(s.createQueue(secrets()));
    await(s.append(a.queueId(), new byte[100]));
    Appended x = await(s.append(b.queueId(), new byte[50]));
    await(s.append(b.queueId(), new byte[25]));
    await(s.ack(b.queueId(), x.messageId()));
    MailboxStats st = await(s.stats());
    assertThat(st.queues()).isEqualTo(2);
    assertThat(st.envelopes()).isEqualTo(2);
    assertThat(st.envelopeBytes()).isEqualTo(125);
    assertThat(st.diskBytes()).isPositive();
  }

  @Test
  void everythingSurvivesReopenAndPositionsKeepGrowing() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    Appended a = await(s.append(q.queueId(), envelope("before")));
    Appended gone = await(s.append(q.queueId(), envelope("acked")));
    await(s.ack(q.queueId(), gone.messageId()));
    s = reopen(s, b -> b);
    QueueRecord found = await(s.findByRecipientId(q.recipientId())).orElseThrow();
    Appended b = await(s.append(found.queueId(), envelope("after")));
    assertThat(b.position()).isGreaterThan(gone.position());
    List<StoredEnvelope> page = await(s.readPending(found.queueId(), 0, 10));
    assertThat(texts(page)).containsExactly("before", "after");
    assertThat(page.get(0).messageId()).isEqualTo(a.messageId());
    assertThat(await(s.stats()).envelopes()).isEqualTo(2);
  }

  @Test
  void positionsNeverGoBackWhenAQueueEmpties() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    long last = 0;
    for (int i = 0; i < 5; i++) {
      Appended a = await(s.append(q.queueId(), envelope("x" + i)));
      assertThat(a.position()).isGreaterThan(last);
      last = a.position();
      await(s.ack(q.queueId(), a.messageId()));
    }
    s = reopen(s, b -> b);
    Appended after = await(s.append(q.queueId(), envelope("after reopen")));
    assertThat(after.position()).isGreaterThan(last);
  }

  @Test
  void operationsOnAClosedStoreFailWithClosedAndCloseIsIdempotent() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    s.close();
    s.close();
    assertThat(failureCode(s.append(q.queueId(), envelope("x"))))
        .isEqualTo(MailboxException.Code.CLOSED);
    assertThat(failureCode(s.readPending(q.queueId(), 0, 1)))
        .isEqualTo(MailboxException.Code.CLOSED);
    assertThat(failureCode(s.createQueue(secrets()))).isEqualTo(MailboxException.Code.CLOSED);
    assertThat(failureCode(s.stats())).isEqualTo(MailboxException.Code.CLOSED);
  }

  @Test
  void invalidArgumentsAreProgrammingErrors() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    assertThatThrownBy(() -> s.secureQueue(q.queueId(), new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.readPending(q.queueId(), 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  protected static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
