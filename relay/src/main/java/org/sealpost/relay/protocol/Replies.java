package org.sealpost.relay.protocol;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sealpost.proto.v1.Error;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ok;
import org.sealpost.relay.transport.Session;

/**
 * The one "run, map the error, reply" helper of a session's command handlers, and the count of its
 * unanswered commands.
 *
 * <p>A command is <em>admitted</em> ({@link #admit}) before it does any work, and then ends with
 * exactly one of {@link #done}, {@link #doneWith}, {@link #deliver}, {@link #refuse} or {@link
 * #fail}, which reply and count it finished. A command refused before admission is answered with
 * {@link #error} alone. Every reply is counted in the metrics by command type and outcome.
 */
final class Replies {
  private final Session session;
  private final Outbox outbox;
  private final ProtocolMetrics metrics;
  private final int maxOutstanding;

  /** Admitted commands that will be answered: what {@code max_outstanding} bounds. */
  private int answered;

  /** Unanswered Acks in flight: never refused, but still work the session waits for. */
  private int unanswered;

  private boolean open = true;

  Replies(Session session, Outbox outbox, ProtocolMetrics metrics, int maxOutstanding) {
    this.session = session;
    this.outbox = outbox;
    this.metrics = metrics;
    this.maxOutstanding = maxOutstanding;
  }

  /** Whether the session still answers: false once it closed. */
  boolean open() {
    return open;
  }

  /** The session closed: completions that arrive later are dropped. */
  void close() {
    open = false;
  }

  /**
   * Counts a command as outstanding, or answers {@code RATE} when {@code max_outstanding} commands
   * that will be answered are already in flight (protocol §4.1). Unanswered Acks do not count here:
   * the client does not count them (§4.5), so a client that keeps to the bound would otherwise see
   * RATE while its Acks are in flight.
   */
  boolean admit(CommandType type, int corr) {
    if (answered >= maxOutstanding) {
      error(type, corr, ErrorCode.ERROR_CODE_RATE);
      return false;
    }
    answered++;
    session.commandsStarted(1);
    return true;
  }

  // issue 13: commands without a reply (an Ack with corr_id 0)
  /** Counts an unanswered command as in flight; it is never refused. */
  void admitUnanswered() {
    unanswered++;
    session.commandsStarted(1);
  }

  /**
   * Runs an unanswered command: its outcome is counted in the metrics, never replied; then {@code
   * after} learns whether it succeeded.
   */
  <T> void runUnanswered(
      CommandType type, Supplier<CompletionStage<T>> call, Consumer<Boolean> after) {
    whenDone(
        call,
        failure -> {
          if (failure != null) {
            metrics.failed(type, ErrorMapper.toErrorCode(failure));
          } else {
            metrics.succeeded(type);
          }
          finishUnanswered();
          after.accept(failure == null);
        });
  }

  /** An unanswered command refused before any work: counted, not answered. */
  void dropped(CommandType type, ErrorCode code) {
    metrics.failed(type, code);
  }

  /**
   * Runs an admitted command's call on the command path; back on the session's context, a failure
   * is mapped and answered ({@link #fail}), a result goes to {@code then}, which must end the
   * command. Nothing runs once the session has closed.
   */
  <T> void run(CommandType type, int corr, Supplier<CompletionStage<T>> call, Consumer<T> then) {
    session
        .onContext(call)
        .onComplete(
            ar -> {
              if (!open) {
                return;
              }
              if (ar.failed()) {
                fail(type, corr, ar.cause());
              } else {
                then.accept(ar.result());
              }
            });
  }

  /**
   * Runs an admitted command whose answer is {@code Ok} or the error its failure maps to; then
   * {@code after} learns whether it succeeded.
   */
  <T> void runAndAnswer(
      CommandType type, int corr, Supplier<CompletionStage<T>> call, Consumer<Boolean> after) {
    whenDone(
        call,
        failure -> {
          if (failure != null) {
            fail(type, corr, failure);
          } else {
            done(type, corr);
          }
          after.accept(failure == null);
        });
  }

  /**
   * Runs a call on the command path; back on the context, {@code then} gets its failure or null.
   */
  private <T> void whenDone(Supplier<CompletionStage<T>> call, Consumer<Throwable> then) {
    session
        .onContext(call)
        .onComplete(
            ar -> {
              if (open) {
                then.accept(ar.failed() ? ar.cause() : null);
              }
            });
  }

  /** Ends an admitted command with {@code Ok}. */
  void done(CommandType type, int corr) {
    doneWith(type, corr, Frame.newBuilder().setOk(Ok.getDefaultInstance()));
  }

  /** Ends an admitted command with its reply. */
  void doneWith(CommandType type, int corr, Frame.Builder reply) {
    reply(type, corr, reply);
    finish();
  }

  /** Ends an admitted command with a reply frame built elsewhere (it carries its corr_id). */
  void deliver(CommandType type, Frame reply) {
    metrics.succeeded(type);
    outbox.add(reply);
    finish();
  }

  /** Ends an admitted command with an error. */
  void refuse(CommandType type, int corr, ErrorCode code) {
    error(type, corr, code);
    finish();
  }

  /** Ends an admitted command with the error its failure maps to ({@link ErrorMapper}). */
  void fail(CommandType type, int corr, Throwable failure) {
    refuse(type, corr, ErrorMapper.toErrorCode(failure));
  }

  /** Answers a frame that needs no work (Pong), or was never admitted. */
  void reply(CommandType type, int corr, Frame.Builder reply) {
    metrics.succeeded(type);
    outbox.add(reply.setCorrId(corr).build());
  }

  /** Answers with an error without counting a command finished (it was never admitted). */
  void error(CommandType type, int corr, ErrorCode code) {
    metrics.failed(type, code);
    outbox.add(errorFrame(corr, code));
  }

  // issue 13: the outbox holds a mostly empty block only while more replies are coming
  /** Whether commands of this session are still in flight (their replies or pushes will follow). */
  boolean awaiting() {
    return answered + unanswered > 0;
  }

  /** Ends an admitted command that was answered. */
  private void finish() {
    answered--;
    outbox.commandFinished();
  }

  /** Ends an unanswered command. */
  private void finishUnanswered() {
    unanswered--;
    outbox.commandFinished();
  }

  static Frame errorFrame(int corr, ErrorCode code) {
    return Frame.newBuilder().setCorrId(corr).setError(Error.newBuilder().setCode(code)).build();
  }
}
