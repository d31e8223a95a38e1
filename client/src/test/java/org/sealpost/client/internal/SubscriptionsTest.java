package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ClientError;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealpostException;
import org.sealpost.client.TestMailboxes;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ok;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;

class SubscriptionsTest {
  private static final RelayInfo INFO =
      new RelayInfo(1, 16_359, 16_000, 8, 0, 0, false, 0, 0, 100, 3600, 60, false, 0, false);
  private static final RelayAddress RELAY = TestMailboxes.relay("relay.test", 443);

  private final Map<Mailbox, SealpostException> failed = new ConcurrentHashMap<>();
  private final MessageHandler handler =
      new MessageHandler() {
        @Override
        public void onMessage(ReceivedMessage message) {}

        @Override
        public void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {
          failed.put(mailbox, problem);
        }
      };

  private static FakeChannel session(int hashByte) {
    byte[] hash = new byte[32];
    hash[0] = (byte) hashByte;
    return new FakeChannel(hash, INFO);
  }

  private static Frame ok() {
    return Frame.newBuilder().setOk(Ok.getDefaultInstance()).build();
  }

  private List<Mailbox> subscribed(Subscriptions subs, int n) {
    FakeChannel first = session(1);
    List<Mailbox> mailboxes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Mailbox m = TestMailboxes.mailbox(RELAY, true);
      mailboxes.add(m);
      subs.subscribe(first, m, handler);
    }
    first.sent.forEach(s -> s.reply().complete(ok()));
    return mailboxes;
  }

  @Test
  void resubscribeSendsEverySubscribeAtOnceMacedForTheNewSession() throws Exception {
    Subscriptions subs = new Subscriptions();
    List<Mailbox> mailboxes = subscribed(subs, 3);
    subs.sessionEnded();
    FakeChannel next = session(2);

    subs.resubscribeAll(next);

    // all three left in this one call (so in one event-loop task: they share blocks), before any
    // reply came back
    assertThat(next.sent).hasSize(3);
    for (FakeChannel.Sent s : next.sent) {
      RecipientCommand rc = s.frame().getRecipientCommand();
      assertThat(RecipientOp.parseFrom(rc.getCommand()).hasSubscribe()).isTrue();
      Mailbox m =
          mailboxes.stream()
              .filter(x -> rc.getRecipientId().equals(ByteString.copyFrom(x.recipientId())))
              .findFirst()
              .orElseThrow();
      byte[] expected =
          CommandMac.compute(
              m.queueKeys().macKey(),
              next.handshakeHash(),
              m.recipientId(),
              rc.getCommand().toByteArray());
      assertThat(rc.getMac().toByteArray()).isEqualTo(expected);
    }
    assertThat(subs.whenResubscribed().isComplete()).isFalse();
    next.sent.forEach(s -> s.reply().complete(ok()));
    assertThat(subs.whenResubscribed().succeeded()).isTrue();
    assertThat(subs.size()).isEqualTo(3);
  }

  @Test
  void aRefusedResubscriptionIsDroppedAndToldWhileALostOneStays() {
    Subscriptions subs = new Subscriptions();
    subscribed(subs, 3);
    subs.sessionEnded();
    FakeChannel next = session(2);
    subs.resubscribeAll(next);

    next.sent.get(0).reply().complete(ok());
    next.sent.get(1).reply().fail(new SealpostException(ClientError.AUTH, "refused"));
    next.sent.get(2).reply().fail(new SealpostException(ClientError.CONNECTION_LOST, "lost"));

    assertThat(subs.size()).isEqualTo(2);
    assertThat(failed).hasSize(1);
    assertThat(failed.values()).extracting(SealpostException::error).containsOnly(ClientError.AUTH);
    assertThat(subs.whenResubscribed().isComplete()).as("every reply came").isTrue();
  }

  @Test
  void withNothingSubscribedAReconnectIsAtOnceResubscribed() {
    Subscriptions subs = new Subscriptions();
    FakeChannel s = session(1);

    subs.resubscribeAll(s);

    assertThat(s.sent).isEmpty();
    assertThat(subs.whenResubscribed().succeeded()).isTrue();
  }

  @Test
  void aRefusedSubscribeIsForgotten() {
    Subscriptions subs = new Subscriptions();
    FakeChannel s = session(1);
    Mailbox m = TestMailboxes.mailbox(RELAY, true);

    Future<Void> f = subs.subscribe(s, m, handler);
    assertThat(subs.get(m.recipientId())).as("registered before the reply").isNotNull();
    s.sent.get(0).reply().fail(new SealpostException(ClientError.AUTH, "refused"));

    assertThat(f.failed()).isTrue();
    assertThat(subs.get(m.recipientId())).isNull();
  }
}
