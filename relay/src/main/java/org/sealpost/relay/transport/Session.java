package org.sealpost.relay.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One client connection as seen by its {@link SessionHandler}: the block sink plus the controls the
 * relay enforces per connection. All methods must be called on {@link #context()}. Store
 * completions arrive on other threads; bring them back first, e.g. {@code
 * Future.fromCompletionStage(stage, session.context())}.
 */
public interface Session extends BlockSink {
  /** The event-loop context this connection lives on. */
  Context context();

  /**
   * The handshake has completed: cancels the handshake deadline and counts the handshake as
   * completed. Calling it again has no effect.
   */
  void handshakeCompleted();

  /**
   * {@code count} commands have started (e.g. were decoded from a block). While more than {@code
   * connection.max-outstanding-commands} are unfinished, the relay stops reading from the socket.
   */
  void commandsStarted(int count);

  /** {@code count} commands have finished (answered or failed). */
  void commandsFinished(int count);

  /** Runs {@code action} on this context when the outbound buffer has room again. */
  void writableHandler(Runnable action);

  /** Ends the connection; the handler's {@link SessionHandler#onClose} follows. */
  void close(CloseReason reason);

  /** Whether the connection still accepts blocks. */
  boolean isOpen();

  /**
   * Runs a call that completes on another thread (the command path) and brings its completion back
   * to this context; a call that throws gives a failed future.
   */
  default <T> Future<T> onContext(Supplier<CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return Future.fromCompletionStage(stage, context());
  }
}
