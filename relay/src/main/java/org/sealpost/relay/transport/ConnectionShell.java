package org.sealpost.relay.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.sealpost.relay.metrics.HandshakeOutcome;
import org.sealpost.relay.metrics.PauseCause;
import org.sealpost.relay.metrics.RelayMetrics;

/**
 * The per-connection shell around a {@link SessionHandler}: frame checks, the handshake deadline,
 * the idle timeout, the write-stall timeout, the bounds on outbound blocks and on commands in
 * flight, and this connection's share of the process-wide {@link BufferBudget}. Every method runs
 * on the connection's event-loop context, so the state needs no locks.
 *
 * <p>States: {@code OPEN} → {@code DRAINING} (relay shutdown: no more reading, commands in flight
 * finish) → {@code CLOSING} (a close frame was sent, or the socket is being cut; nothing more is
 * sent) → {@code CLOSED} (the socket is gone, the handler was told).
 */
final class ConnectionShell implements Session {
  private static final System.Logger LOG = System.getLogger(ConnectionShell.class.getName());

  private enum State {
    OPEN,
    DRAINING,
    CLOSING,
    CLOSED
  }

  private final Vertx vertx;
  private final Context context;
  private final ServerWebSocket ws;
  private final ConnectionLimits limits;
  private final BufferBudget budget;
  private final RelayMetrics metrics;
  private final Consumer<ConnectionShell> onGone;
  private final Predicate<ConnectionShell> reserveByCutting;
  private final Thread eventLoop;
  private final long acceptedNanos;

  private SessionHandler handler;
  private State state = State.OPEN;
  private CloseReason closeReason;
  private boolean relayStopping;
  private boolean handshakeDone;
  private long handshakeTimer = -1;
  private long idleTimer = -1;
  private long stallTimer = -1;
  private long graceTimer = -1;
  private long lastInboundNanos;
  // since when queued output has made no progress (no block finished writing), or Long.MAX_VALUE
  private long outputWaitingSinceNanos = Long.MAX_VALUE;
  private int pendingOut;
  private boolean budgetReleased;
  private int inFlight;
  private boolean pausedForOutbound;
  private boolean pausedForCommands;
  private boolean pausedForBudget;
  private Runnable writableAction;
  // issue 16: since when the relay has not been reading this connection (Long.MAX_VALUE: reading)
  private long readingPausedSinceNanos = Long.MAX_VALUE;
  private static final java.util.concurrent.atomic.AtomicLong LAST_ERROR_LOG_NANOS =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 60_000_000_000L);

  /**
   * @param acceptedNanos {@link System#nanoTime()} when the TCP connection was accepted: the
   *     handshake deadline runs from there
   * @param reserveByCutting for a block that does not fit in the budget: cuts connections of this
   *     event loop whose output waited longer than this one's until one block is reserved; false,
   *     having reserved nothing, if there are none
   */
  ConnectionShell(
      Vertx vertx,
      Context context,
      ServerWebSocket ws,
      ConnectionLimits limits,
      BufferBudget budget,
      RelayMetrics metrics,
      long acceptedNanos,
      Consumer<ConnectionShell> onGone,
      Predicate<ConnectionShell> reserveByCutting) {
    this.vertx = vertx;
    this.context = context;
    this.ws = ws;
    this.limits = limits;
    this.budget = budget;
    this.metrics = metrics;
    this.acceptedNanos = acceptedNanos;
    this.onGone = onGone;
    this.reserveByCutting = reserveByCutting;
    this.eventLoop = Thread.currentThread();
  }

  /** Wires the socket and creates the handler; call once, on the connection's event loop. */
  void start(SessionHandlerFactory factory, boolean budgetPressure) {
    metrics.connectionOpened();
    long now = System.nanoTime();
    lastInboundNanos = now;
    ws.frameHandler(this::onFrame);
    ws.exceptionHandler(this::onException);
    ws.closeHandler(v -> onClosed());
    ws.shutdownHandler(v -> onShutdownRequested());
    long handshakeLeft = limits.handshakeDeadlineMillis() - (now - acceptedNanos) / 1_000_000;
    handshakeTimer = vertx.setTimer(Math.max(1, handshakeLeft), id -> onHandshakeDeadline());
    idleTimer = vertx.setTimer(limits.idleTimeoutMillis(), id -> onIdleCheck());
    if (budgetPressure) {
      budgetPressure(true);
    }
    try {
      handler = factory.create(this);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "session handler factory failed: " + e.getClass().getName());
      close(CloseReason.INTERNAL_ERROR);
    }
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame.isClose()) {
      if (closeReason == null) {
        closeReason = CloseReason.CLIENT_CLOSED;
      }
      return; // Vert.x answers the closing handshake itself
    }
    if (state == State.CLOSING || state == State.CLOSED || handler == null) {
      return;
    }
    if (!frame.isBinary()
        || !frame.isFinal()
        || frame.binaryData().length() != limits.blockSize()) {
      close(CloseReason.PROTOCOL_VIOLATION);
      return;
    }
    lastInboundNanos = System.nanoTime();
    metrics.blockIn();
    pauseIfBudgetShort();
    try {
      handler.onBlock(frame.binaryData());
    } catch (RuntimeException e) {
      // the exception type only: messages may carry user data
      LOG.log(Level.WARNING, "session handler failed: " + e.getClass().getName());
      close(CloseReason.INTERNAL_ERROR);
    }
  }

  private void onException(Throwable t) {
    if (closeReason == null && t instanceof CorruptedWebSocketFrameException) {
      closeReason = CloseReason.PROTOCOL_VIOLATION; // e.g. a frame longer than B
    } else if (t instanceof Error) {
      // issue 16: e.g. an OutOfMemoryError while reading; Vert.x closes the socket (with a 1000
      // close frame) and this used to be counted as the client's close, without a word
      if (closeReason == null) {
        closeReason = CloseReason.INTERNAL_ERROR;
      }
      long now = System.nanoTime();
      long last = LAST_ERROR_LOG_NANOS.get();
      if (now - last >= 10_000_000_000L && LAST_ERROR_LOG_NANOS.compareAndSet(last, now)) {
        LOG.log(Level.WARNING, "connection failed (at most one such line per 10 s): " + t);
      }
    }
  }

  /**
   * Vert.x asks the WebSocket to shut down when the server stops and when the client starts the
   * closing handshake; the relay's own shutdown has already marked every connection.
   */
  private void onShutdownRequested() {
    if (relayStopping) {
      drain();
    } else {
      close(CloseReason.CLIENT_CLOSED);
    }
  }

  private void onHandshakeDeadline() {
    handshakeTimer = -1;
    if (!handshakeDone && (state == State.OPEN || state == State.DRAINING)) {
      close(CloseReason.HANDSHAKE_TIMEOUT);
    }
  }

  private void onIdleCheck() {
    idleTimer = -1;
    if (state != State.OPEN && state != State.DRAINING) {
      return;
    }
    if (readingPausedSinceNanos != Long.MAX_VALUE) {
      // issue 16: the relay is not reading: what the client sends waits, unseen, so silence now
      // says nothing about the client; the clock restarts when reading resumes
      idleTimer = vertx.setTimer(limits.idleTimeoutMillis(), id -> onIdleCheck());
      return;
    }
    long idleMillis = (System.nanoTime() - lastInboundNanos) / 1_000_000;
    long remaining = limits.idleTimeoutMillis() - idleMillis;
    if (remaining <= 0) {
      close(CloseReason.IDLE_TIMEOUT);
    } else {
      idleTimer = vertx.setTimer(remaining, id -> onIdleCheck());
    }
  }

  // ---- Session ----

  @Override
  public Context context() {
    return context;
  }

  @Override
  public int blockSize() {
    return limits.blockSize();
  }

  @Override
  public boolean send(Buffer block) {
    checkContext();
    if (block.length() != limits.blockSize()) {
      throw new IllegalArgumentException(
          "a block must be " + limits.blockSize() + " bytes, not " + block.length());
    }
    if (state == State.CLOSING || state == State.CLOSED) {
      return false;
    }
    if (pendingOut >= limits.maxOutboundBlocks()) {
      cut(CloseReason.SLOW_READER);
      return false;
    }
    if (!budget.tryReserve(limits.blockSize()) && !reserveByCutting.test(this)) {
      cut(CloseReason.BUFFER_BUDGET);
      return false;
    }
    pauseIfBudgetShort();
    if (pendingOut == 0) {
      outputWaitingSinceNanos = System.nanoTime();
    }
    pendingOut++;
    metrics.blockOut();
    ws.writeFinalBinaryFrame(block).onComplete(this::onWritten);
    if (!pausedForOutbound && pendingOut >= limits.pauseOutboundAt()) {
      pausedForOutbound = true;
      stallTimer = vertx.setTimer(limits.writeStallTimeoutMillis(), id -> onWriteStall());
      metrics.readPaused(PauseCause.OUTBOUND);
      updateReading();
    }
    return true;
  }

  private void onWritten(AsyncResult<Void> result) {
    pendingOut--;
    outputWaitingSinceNanos = pendingOut == 0 ? Long.MAX_VALUE : System.nanoTime();
    if (!budgetReleased) {
      budget.release(limits.blockSize());
    }
    if (pausedForOutbound && pendingOut <= limits.resumeOutboundAt()) {
      pausedForOutbound = false;
      cancelTimer(stallTimer);
      stallTimer = -1;
      updateReading();
      Runnable action = writableAction;
      writableAction = null;
      if (action != null && isOpen()) {
        action.run();
      }
    }
    finishDrainIfIdle();
  }

  private void onWriteStall() {
    stallTimer = -1;
    if (pausedForOutbound && isOpen()) {
      cut(CloseReason.WRITE_STALLED);
    }
  }

  @Override
  public boolean writable() {
    return isOpen() && pendingOut < limits.pauseOutboundAt();
  }

  @Override
  public int pendingOutboundBlocks() {
    return pendingOut;
  }

  /**
   * Since when queued output has made no progress ({@link System#nanoTime()}): no block finished
   * writing since then; Long.MAX_VALUE when nothing is queued. A client that reads keeps this
   * recent; one that stopped reading lets it age.
   */
  long outputWaitingSinceNanos() {
    return outputWaitingSinceNanos;
  }

  @Override
  public void writableHandler(Runnable action) {
    checkContext();
    if (writable()) {
      context.runOnContext(v -> action.run());
    } else {
      writableAction = action;
    }
  }

  @Override
  public void handshakeCompleted() {
    checkContext();
    if (handshakeDone || !isOpen()) {
      return;
    }
    handshakeDone = true;
    cancelTimer(handshakeTimer);
    handshakeTimer = -1;
    metrics.handshake(HandshakeOutcome.COMPLETED);
  }

  @Override
  public void commandsStarted(int count) {
    checkContext();
    inFlight += count;
    if (!pausedForCommands && inFlight >= limits.maxOutstandingCommands()) {
      pausedForCommands = true;
      metrics.readPaused(PauseCause.COMMANDS);
      updateReading();
    }
  }

  @Override
  public void commandsFinished(int count) {
    checkContext();
    inFlight = Math.max(0, inFlight - count);
    if (pausedForCommands && inFlight < limits.maxOutstandingCommands()) {
      pausedForCommands = false;
      updateReading();
    }
    finishDrainIfIdle();
  }

  /**
   * Sends a close frame, and cuts the TCP connection if the client has not completed the closing
   * handshake within {@link ConnectionLimits#CLOSE_GRACE_MILLIS}.
   */
  @Override
  public void close(CloseReason reason) {
    if (Thread.currentThread() != eventLoop) {
      context.runOnContext(v -> close(reason));
      return;
    }
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    state = State.CLOSING;
    // keep reading: the client's answering close frame must get through (later frames are ignored)
    readSocket(true);
    ws.resume();
    // Vert.x routes close() through the shutdown handler when one is set; this close is final
    ws.shutdownHandler(null);
    ws.close(reason.webSocketCode());
    graceTimer = vertx.setTimer(ConnectionLimits.CLOSE_GRACE_MILLIS, id -> onCloseGraceOver());
  }

  private void onCloseGraceOver() {
    graceTimer = -1;
    if (state == State.CLOSING) {
      cutSocket();
    }
  }

  @Override
  public boolean isOpen() {
    return state == State.OPEN || state == State.DRAINING;
  }

  // ---- backpressure, shutdown, close ----

  /** Whether this connection has output queued that still counts in the budget. */
  boolean holdsBudget() {
    return pendingOut > 0 && !budgetReleased;
  }

  /** The buffer budget is (or is no longer) under pressure: pause or resume reading. */
  void budgetPressure(boolean underPressure) {
    if (underPressure == pausedForBudget) {
      return;
    }
    pausedForBudget = underPressure;
    if (underPressure && isOpen()) {
      metrics.readPaused(PauseCause.BUDGET);
    }
    updateReading();
  }

  /**
   * The listener pauses every connection when the budget comes under pressure, but only after a hop
   * to its context; until then connections on every event loop would go on reading, and stalled
   * readers would fill the room kept above the high mark for replies to commands already read. So a
   * connection that reads a block or queues output while the budget is short pauses itself at once.
   */
  private void pauseIfBudgetShort() {
    if (!pausedForBudget && budget.underPressure()) {
      budgetPressure(true);
    }
  }

  private void updateReading() {
    if (state == State.CLOSING || state == State.CLOSED) {
      return; // closing keeps reading for the client's close frame
    }
    if (state == State.OPEN && !pausedForOutbound && !pausedForCommands && !pausedForBudget) {
      if (readingPausedSinceNanos != Long.MAX_VALUE) {
        // the time the relay did not read does not count as the client's silence
        lastInboundNanos = Math.max(lastInboundNanos, System.nanoTime());
        readingPausedSinceNanos = Long.MAX_VALUE;
      }
      readSocket(true);
      ws.resume();
    } else {
      if (readingPausedSinceNanos == Long.MAX_VALUE) {
        readingPausedSinceNanos = System.nanoTime();
      }
      ws.pause();
      readSocket(false);
    }
  }

  /**
   * Issue 16: pausing the WebSocket alone lets Vert.x go on reading the socket into its own queues
   * (up to 16 frames in the WebSocket, then 8 and more in the connection, before it stops): at
   * 1,400 paused connections that was hundreds of MiB of blocks no budget counted, and the relay
   * ran out of memory. Reading stops at the socket at once; what the client sends waits in the
   * kernel.
   */
  private void readSocket(boolean read) {
    io.netty.channel.Channel channel = VertxInternals.channelContext(ws).channel();
    if (channel.config().isAutoRead() != read) {
      channel.config().setAutoRead(read);
    }
  }

  /**
   * Cuts the TCP connection at once: a close frame would queue behind the data the client does not
   * read. Used for slow readers and to free the buffer budget; the budget gets this connection's
   * bytes back now, and the socket's buffers are freed as the close completes.
   */
  void cut(CloseReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    state = State.CLOSING;
    releaseBudget();
    cutSocket();
  }

  private void cutSocket() {
    // Closing through the whole pipeline would queue the close behind the unsent blocks (and
    // TLS close_notify); closing from the first handler goes straight to the socket.
    ChannelHandlerContext first = VertxInternals.channelContext(ws).pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      VertxInternals.channelContext(ws).channel().close();
    }
  }

  private void releaseBudget() {
    if (!budgetReleased) {
      budgetReleased = true;
      budget.release((long) pendingOut * limits.blockSize());
    }
  }

  /** The relay is shutting down: this connection closes with {@code shutdown} once drained. */
  void relayStopping() {
    relayStopping = true;
    if (closeReason == null && isOpen()) {
      closeReason = CloseReason.SHUTDOWN;
    }
    drain();
  }

  /** Graceful shutdown: stop reading, let commands in flight finish and replies drain, close. */
  private void drain() {
    if (state != State.OPEN) {
      return;
    }
    state = State.DRAINING;
    updateReading();
    finishDrainIfIdle();
  }

  private void finishDrainIfIdle() {
    if (state == State.DRAINING && inFlight == 0 && pendingOut == 0) {
      close(CloseReason.SHUTDOWN);
    }
  }

  private void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    cancelTimer(handshakeTimer);
    cancelTimer(idleTimer);
    cancelTimer(stallTimer);
    cancelTimer(graceTimer);
    releaseBudget();
    CloseReason reason = closeReason == null ? CloseReason.CLIENT_CLOSED : closeReason;
    metrics.connectionClosed(reason);
    if (!handshakeDone) {
      metrics.handshake(
          switch (reason) {
            case HANDSHAKE_TIMEOUT -> HandshakeOutcome.TIMEOUT;
            case HANDSHAKE_FAILED -> HandshakeOutcome.FAILED;
            default -> HandshakeOutcome.ABANDONED;
          });
    }
    if (handler != null) {
      try {
        handler.onClose(reason);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "session handler failed on close: " + e.getClass().getName());
      }
    }
    // last: the listener's stop completes when its last connection is gone, and the application
    // is stopped after that, so every session must have ended before
    onGone.accept(this);
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  /**
   * Vert.x may run a connection's callbacks on duplicates of its context; what matters for ordering
   * is the one event-loop thread they all share.
   */
  private void checkContext() {
    if (Thread.currentThread() != eventLoop) {
      throw new IllegalStateException("sessions must be used on their own context");
    }
  }
}
