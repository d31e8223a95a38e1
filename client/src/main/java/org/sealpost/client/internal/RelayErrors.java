package org.sealpost.client.internal;

import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.v1.ErrorCode;

/** The one place that turns a relay's {@code Error} code into a {@link SealpostException}. */
final class RelayErrors {
  private RelayErrors() {}

  static SealpostException of(ErrorCode code, String operation, String relay) {
    return switch (code) {
      case ERROR_CODE_AUTH ->
          new SealpostException(
              ClientError.AUTH,
              operation
                  + " refused by "
                  + relay
                  + ": no such mailbox, or wrong credentials or send token",
              code,
              null);
      case ERROR_CODE_QUOTA ->
          new SealpostException(
              ClientError.QUEUE_FULL,
              operation
                  + " refused by "
                  + relay
                  + ": the mailbox is full until its owner reads it (QUOTA)",
              code,
              null);
      case ERROR_CODE_RATE ->
          new SealpostException(
              ClientError.RATE_LIMITED,
              operation + " refused by " + relay + ": too many commands at once (RATE)",
              code,
              null);
      case ERROR_CODE_PROHIBITED ->
          new SealpostException(
              ClientError.PROHIBITED,
              operation
                  + " refused by "
                  + relay
                  + ": a creation token is required or a session limit was reached",
              code,
              null);
      // issue 12: the client solves the proof the session announced, so this means a difficulty
      // the client would not attempt, or a relay that changed its mind
      case ERROR_CODE_POW ->
          new SealpostException(
              ClientError.PROHIBITED,
              operation
                  + " refused by "
                  + relay
                  + ": it wants a proof of work this client did not make (POW)",
              code,
              null);
      case ERROR_CODE_FORWARD ->
          new SealpostException(
              ClientError.FORWARD_UNREACHABLE,
              operation
                  + " failed at "
                  + relay
                  + ": the first relay cannot reach the destination relay, or it did not answer"
                  + " in time (FORWARD)",
              code,
              null);
      case ERROR_CODE_REPLAY ->
          new SealpostException(
              ClientError.RELAY_ERROR,
              operation
                  + " refused by "
                  + relay
                  + ": the destination took the forwarded request for a replay or a stale one"
                  + " (REPLAY; is this computer's clock more than 5 minutes off?)",
              code,
              null);
      case ERROR_CODE_VERSION ->
          new SealpostException(
              ClientError.VERSION,
              relay + " speaks no protocol version this client speaks",
              code,
              null);
      default ->
          new SealpostException(
              ClientError.RELAY_ERROR,
              operation + " failed at " + relay + ": relay error " + shortName(code),
              code,
              null);
    };
  }

  private static String shortName(ErrorCode code) {
    return code == ErrorCode.UNRECOGNIZED ? "UNKNOWN" : code.name().replace("ERROR_CODE_", "");
  }
}
