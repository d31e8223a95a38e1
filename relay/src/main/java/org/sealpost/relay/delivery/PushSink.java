package org.sealpost.relay.delivery;

import org.sealpost.proto.v1.Frame;

/** Where a session's delivery puts its frames: the session's outbox, on the session's context. */
public interface PushSink {
  /** Queues a pushed frame ({@code corr_id} 0) and counts it by kind. */
  void push(PushKind kind, Frame frame);

  /** Whether the connection can take more output now. */
  boolean writable();

  /** Runs {@code action} on the session's context once {@link #writable()} may have become true. */
  void whenWritable(Runnable action);

  /** The session subscribed a queue (a constant-rate session starts its clock, issue 10). */
  default void subscribed() {}

  /** A read for pushes failed; nobody is waiting for an answer, but a bug must surface. */
  void readFailed(Throwable cause);
}
