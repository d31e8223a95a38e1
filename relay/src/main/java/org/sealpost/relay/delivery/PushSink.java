package org.sealpost.relay.delivery;

import org.sealpost.proto.v1.Frame;

/** Where a session's delivery puts its frames: the session's outbox, on the session's context. */
public interface PushSink {
  /** Queues a pushed frame ({@code corr_id} 0) and counts it by kind. */
  void push(PushKind kind, Frame frame);

  /** Whether the connection can take more output now. */
  boolean writable();

  /** A read for pushes failed; nobody is waiting for an answer, but a bug must surface. */
  void readFailed(Throwable cause);
}
