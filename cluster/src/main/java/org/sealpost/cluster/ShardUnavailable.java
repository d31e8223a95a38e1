package org.sealpost.cluster;

import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.queue.QueueException;

/**
 * The refusal of a command whose shard is not served right now (its owner is down or not yet
 * joined). Clients get {@code STORE}, which protocol §8 already defines as retryable: no new code,
 * so clients need no change (docs/decisions.md, issue 14). Nothing of the command was done.
 */
public final class ShardUnavailable {
  /** The message of the refusal; names no shard, node or queue. */
  public static final String MESSAGE = "shard unavailable, retry later";

  private ShardUnavailable() {}

  public static QueueException exception() {
    return new QueueException(ErrorCode.ERROR_CODE_STORE, MESSAGE);
  }

  /** Whether {@code t} is this refusal. */
  public static boolean is(Throwable t) {
    return t instanceof QueueException q
        && q.code() == ErrorCode.ERROR_CODE_STORE
        && q.getMessage().endsWith(MESSAGE);
  }
}
