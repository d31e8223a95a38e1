package org.sealpost.relay.protocol;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.delivery.UndeliverableEnvelope;
import org.sealpost.relay.forward.ForwardException;
import org.sealpost.relay.queue.QueueException;

/**
 * The one place where failures become protocol error codes. Known failures map to their code;
 * anything else is a bug or an environment failure: it becomes {@code INTERNAL} and is logged here,
 * once, by exception type only (messages can carry user data).
 */
public final class ErrorMapper {
  private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

  private ErrorMapper() {}

  /** The error code a client gets for {@code failure}. */
  public static ErrorCode toErrorCode(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof QueueException q) {
      return q.code();
    }
    if (t instanceof MailboxException m) {
      return fromMailbox(m.code());
    }
    if (t instanceof UndeliverableEnvelope) {
      return ErrorCode.ERROR_CODE_STORE;
    }
    if (t instanceof ForwardException f) {
      return f.code();
    }
    if (t instanceof BlockException b) {
      return b.error().errorCode();
    }
    LOG.log(Level.WARNING, "command failed unexpectedly: " + t.getClass().getName());
    return ErrorCode.ERROR_CODE_INTERNAL;
  }

  /** The protocol error for a store failure. */
  public static ErrorCode fromMailbox(MailboxException.Code code) {
    return switch (code) {
      // the queue vanished between lookup and command (deleted, expired): like any unknown queue
      case NOT_FOUND -> ErrorCode.ERROR_CODE_AUTH;
      case ALREADY_SECURED -> ErrorCode.ERROR_CODE_PROHIBITED;
      case ENVELOPE_SIZE -> ErrorCode.ERROR_CODE_SIZE;
      case QUOTA_MESSAGES, QUOTA_BYTES, DISK_BUDGET -> ErrorCode.ERROR_CODE_QUOTA;
      case OVERLOAD -> ErrorCode.ERROR_CODE_RATE;
      case STORAGE, CLOSED, CORRUPT -> ErrorCode.ERROR_CODE_STORE;
    };
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
