package org.sealpost.mailbox.rocksdb;

import java.util.concurrent.CompletableFuture;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxException;

/** One write submitted to the group-commit writer; completed only after its group is durable. */
abstract class WriteOp<T> {
  final CompletableFuture<T> future = new CompletableFuture<>();
  private T result;
  private RuntimeException error;

  /** Set on the writer thread once the op's outcome went to the completer. */
  boolean handedOff;

  /** Exclusive ops run in a group of their own (deletions that scan what they delete). */
  boolean exclusive() {
    return false;
  }

  /** Reads what it needs, adds its writes to the group's batch, and sets its result. */
  abstract void apply(GroupCommitWriter w, GroupCommitWriter.Group g) throws RocksDBException;

  /**
   * Called on the writer thread once the op's group is durable, before any future of the group
   * completes, if the op did not fail: keeps in-memory views ({@link PendingCache}) in step.
   */
  void committed(GroupCommitWriter w) {}

  /**
   * Called on the completion thread, in commit order, just before the op's future completes with
   * success (issue 14: {@code MailboxStore.append}'s {@code onDurable}).
   */
  void beforeSuccess() {}

  /** Name of the operation for error messages. */
  abstract String name();

  final void succeed(T value) {
    result = value;
  }

  final void fail(RuntimeException e) {
    error = e;
  }

  final boolean failed() {
    return error != null;
  }

  /** Called once the group is durable (or failed as a whole). */
  final void complete(MailboxException groupFailure) {
    if (error != null) {
      future.completeExceptionally(error);
    } else if (groupFailure != null) {
      future.completeExceptionally(groupFailure);
    } else {
      beforeSuccess();
      future.complete(result);
    }
  }
}
