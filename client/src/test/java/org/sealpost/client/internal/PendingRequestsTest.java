package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.codec.BlockError;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.v1.Error;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ok;
import org.sealpost.proto.v1.Ping;

class PendingRequestsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<Frame> sent = new ArrayList<>();
  private long now = 1_000;

  private PendingRequests table(int maxOutstanding) {
    return new PendingRequests(sent::add, maxOutstanding, TIMEOUT, () -> now, "relay:1");
  }

  private static Frame.Builder ping() {
    return Frame.newBuilder().setPing(Ping.getDefaultInstance());
  }

  private static Frame ok(int corrId) {
    return Frame.newBuilder().setCorrId(corrId).setOk(Ok.getDefaultInstance()).build();
  }

  private static SealpostException failure(Future<?> f) {
    assertThat(f.failed()).as("failed").isTrue();
    return (SealpostException) f.cause();
  }

  @Test
  void repliesCompleteTheCommandWithTheirCorrelationIdInAnyOrder() {
    PendingRequests table = table(0);
    Future<Frame> first = table.add(ping(), "ping");
    Future<Frame> second = table.add(ping(), "ping");

    assertThat(sent).extracting(Frame::getCorrId).containsExactly(1, 2);
    assertThat(table.complete(ok(2))).isTrue();
    assertThat(second.succeeded()).isTrue();
    assertThat(first.isComplete()).isFalse();
    assertThat(table.complete(ok(1))).isTrue();
    assertThat(first.result().getCorrId()).isEqualTo(1);
    assertThat(table.inFlight()).isZero();
  }

  @Test
  void aReplyNobodyWaitsForIsIgnored() {
    PendingRequests table = table(0);
    table.add(ping(), "ping");

    assertThat(table.complete(ok(7))).isFalse();
    assertThat(table.inFlight()).isEqualTo(1);
  }

  @Test
  void anErrorReplyFailsWithItsClientError() {
    PendingRequests table = table(0);
    Future<Frame> send = table.add(ping(), "send");

    table.complete(
        Frame.newBuilder()
            .setCorrId(1)
            .setError(Error.newBuilder().setCode(ErrorCode.ERROR_CODE_QUOTA))
            .build());

    assertThat(failure(send).error()).isEqualTo(ClientError.QUEUE_FULL);
    assertThat(failure(send).getMessage()).startsWith("send refused by relay:1");
  }

  @Test
  void commandsBeyondTheOutstandingLimitWaitAndLeaveInOrderAsRepliesCome() {
    PendingRequests table = table(2);
    for (int i = 0; i < 5; i++) {
      table.add(ping(), "ping");
    }
    assertThat(sent).extracting(Frame::getCorrId).containsExactly(1, 2);
    assertThat(table.waiting()).isEqualTo(3);

    table.complete(ok(1));
    assertThat(sent).extracting(Frame::getCorrId).containsExactly(1, 2, 3);
    table.complete(ok(3));
    table.complete(ok(2));
    assertThat(sent).extracting(Frame::getCorrId).containsExactly(1, 2, 3, 4, 5);
    assertThat(table.inFlight()).isEqualTo(2);
    assertThat(table.waiting()).isZero();
  }

  @Test
  void expiredCommandsFailWithTimeoutAndLetWaitingOnesGo() {
    PendingRequests table = table(1);
    Future<Frame> old = table.add(ping(), "ping");
    now += TIMEOUT.toNanos() / 2;
    Future<Frame> young = table.add(ping(), "get");

    table.expire();
    assertThat(old.isComplete()).isFalse();

    now += TIMEOUT.toNanos() / 2 + 1;
    table.expire();
    assertThat(failure(old).error()).isEqualTo(ClientError.TIMEOUT);
    assertThat(failure(old).getMessage()).isEqualTo("ping: no answer from relay:1 within 10 s");
    // the waiting one was admitted, and keeps its own deadline
    assertThat(sent).extracting(Frame::getCorrId).containsExactly(1, 2);
    assertThat(young.isComplete()).isFalse();
    assertThat(table.complete(ok(2))).isTrue();
    assertThat(young.succeeded()).isTrue();
  }

  @Test
  void aCommandThatFitsNoBlockFailsAsTooLargeAndTakesNoSlot() {
    PendingRequests table =
        new PendingRequests(
            f -> {
              throw new BlockException(BlockError.FRAME_TOO_LARGE, "too large");
            },
            1,
            TIMEOUT,
            () -> now,
            "relay:1");

    Future<Frame> big = table.add(ping(), "send");

    assertThat(failure(big).error()).isEqualTo(ClientError.TOO_LARGE);
    assertThat(table.inFlight()).isZero();
  }

  @Test
  void failAllFailsInFlightAndWaitingCommands() {
    PendingRequests table = table(1);
    Future<Frame> a = table.add(ping(), "ping");
    Future<Frame> b = table.add(ping(), "ping");
    SealpostException lost = new SealpostException(ClientError.CONNECTION_LOST, "lost");

    table.failAll(lost);

    assertThat(a.cause()).isSameAs(lost);
    assertThat(b.cause()).isSameAs(lost);
    assertThat(table.inFlight() + table.waiting()).isZero();
  }
}
