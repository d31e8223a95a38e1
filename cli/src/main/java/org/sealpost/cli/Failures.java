package org.sealpost.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.AddressException;

/**
 * The one place that turns a failure into a one-line message and an exit code. No stack traces:
 * every expected failure is typed, and an unexpected one is named by its class only.
 */
final class Failures {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int BAD_ADDRESS = 3;
  static final int UNREACHABLE = 4;
  static final int HANDSHAKE = 5;
  static final int QUEUE_FULL = 6;
  static final int KEYSTORE = 7;

  /**
   * The connection broke after it was set up (the relay died or restarted, the network dropped):
   * unlike {@link #UNREACHABLE}, a command in flight may have been carried out.
   */
  static final int CONNECTION_LOST = 8;

  /** The relay refused to create a mailbox: its creation token is missing or wrong. */
  static final int PROHIBITED = 9;

  // issue 11: two-hop sending (an unreachable first relay is UNREACHABLE, like any relay)
  /** The first relay could not reach the mailbox's relay, or it did not answer in time. */
  static final int FORWARD_UNREACHABLE = 10;

  /** The first relay does not forward, or cannot carry requests to the mailbox's relay. */
  static final int FORWARD_REFUSED = 11;

  private Failures() {}

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String message(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof AddressException e) {
      return "bad address: " + e.getMessage();
    }
    if (t instanceof SealpostException e) {
      return switch (e.error()) {
        case UNREACHABLE -> "relay unreachable: " + e.getMessage();
        case HANDSHAKE -> "wrong relay key: " + e.getMessage();
        case CONNECTION_LOST ->
            e.getMessage() + " (what was in flight may or may not have been carried out)";
        case QUEUE_FULL -> "queue full: " + e.getMessage();
        case BAD_ADDRESS -> "bad address: " + e.getMessage();
        case FORWARD_UNREACHABLE -> "destination unreachable: " + e.getMessage();
        case FORWARD_REFUSED -> "forwarding refused: " + e.getMessage();
        default -> e.getMessage();
      };
    }
    if (t instanceof CliException) {
      return t.getMessage();
    }
    return "unexpected failure (" + t.getClass().getSimpleName() + ")";
  }

  static int exitCode(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof AddressException) {
      return BAD_ADDRESS;
    }
    if (t instanceof CliException e) {
      return e.exitCode();
    }
    if (t instanceof SealpostException e) {
      return switch (e.error()) {
        case BAD_ADDRESS -> BAD_ADDRESS;
        case UNREACHABLE, TRANSPORT -> UNREACHABLE;
        case HANDSHAKE, VERSION -> HANDSHAKE;
        case QUEUE_FULL -> QUEUE_FULL;
        case KEYSTORE -> KEYSTORE;
        case CONNECTION_LOST -> CONNECTION_LOST;
        case FORWARD_UNREACHABLE -> FORWARD_UNREACHABLE;
        case FORWARD_REFUSED -> FORWARD_REFUSED;
        default -> FAILED;
      };
    }
    return FAILED;
  }
}
