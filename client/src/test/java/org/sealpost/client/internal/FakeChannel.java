package org.sealpost.client.internal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.client.RelayInfo;
import org.sealpost.proto.v1.Frame;

/** A session stand-in that records each command and lets the test answer it. */
final class FakeChannel implements CommandChannel {
  record Sent(Frame frame, String operation, Promise<Frame> reply) {}

  final List<Sent> sent = new ArrayList<>();
  private final byte[] handshakeHash;
  private final RelayInfo info;

  FakeChannel(byte[] handshakeHash, RelayInfo info) {
    this.handshakeHash = handshakeHash.clone();
    this.info = info;
  }

  @Override
  public Future<Frame> request(Frame.Builder command, String operation) {
    Promise<Frame> reply = Promise.promise();
    sent.add(new Sent(command.setCorrId(sent.size() + 1).build(), operation, reply));
    return reply.future();
  }

  /** Unanswered commands (acks), in order, with corr_id 0. */
  final List<Frame> posted = new ArrayList<>();

  @Override
  public Future<Void> post(Frame.Builder command) {
    posted.add(command.setCorrId(0).build());
    return Future.succeededFuture();
  }

  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  @Override
  public RelayInfo info() {
    return info;
  }
}
