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
import org.sealpost.relay.metrics.HandshakeOutcome;
import org.sealpost.relay.metrics.PauseCause;
import org.sealpost.relay.metrics.RelayMetrics;

/**
 * The per-connection shell around a {@link SessionHandler}: frame checks, the handshake deadline,
 * the idle timeout, and the bounds on outbound blocks and on commands in flight. Every method runs
 * on the connection's event-loop context, so the state needs no locks.
 */
final class ConnectionShell implements Session {
  private static final System.Logger LOG = System.getLogger(ConnectionShell.class.getName());

  private enum State {
    OPEN,
    DRAINING,
    CLOSED
  }

  private final Vertx vertx;
  private final Context context;
  private final ServerWebSocket ws;
  private final ConnectionLimits limits;
  private final RelayMetrics metrics;
  private final Consumer<ConnectionShell> onGone;
  private final Thread eventLoop;

  private SessionHandler handler;
  private State state = State.OPEN;
  private CloseReason closeReason;
  private boolean handshakeDone;
  private long handshakeTimer = -1;
  private long idleTimer = -1;
  private long lastInboundNanos;
  private int pendingOut;
  private int inFlight;
  private boolean pausedForOutbound;
  private boolean pausedForCommands;
  private Runnable writableAction;

  ConnectionShell(
      Vertx vertx,
      Context context,
      ServerWebSocket ws,
      ConnectionLimits limits,
      RelayMetrics metrics,
      Consumer<ConnectionShell> onGone) {
    this.vertx = vertx;
    this.context = context;
    this.ws = ws;
    this.limits = limits;
    this.metrics = metrics;
    this.onGone = onGone;
    this.eventLoop = Thread.currentThread();
  }

  /** Wires the socket and creates the handler; call once, on the connection's event loop. */
  void start(SessionHandlerFactory factory) {
    metrics.connectionOpened();
    lastInboundNanos = System.nanoTime();
    ws.frameHandler(this::onFrame);
    ws.exceptionHandler(this::onException);
    ws.closeHandler(v -> onClosed());
    ws.shutdownHandler(v -> drain());
    handshakeTimer = vertx.setTimer(limits.handshakeDeadlineMillis(), id -> onHandshakeDeadline());
    idleTimer = vertx.setTimer(limits.idleTimeoutMillis(), id -> onIdleCheck());
    try {
      handler = factory.create(this);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "session handler factory failed: " + e.getClass().getName());
      close(CloseReason.INTERNAL_ERROR);
    }
  }

  private void onFrame(WebSocketFrame frame) {
    if (state == State.CLOSED || handler == null) {
      return;
    }
    if (frame.isClose()) {
      return; // Vert.x answers the closing handshake itself
    }
    if (!frame.isBinary()
        || !frame.isFinal()
        || frame.binaryData().length() != limits.blockSize()) {
      close(CloseReason.PROTOCOL_VIOLATION);
      return;
    }
    lastInboundNanos = System.nanoTime();
    metrics.blockIn();
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
    }
  }

  private void onHandshakeDeadline() {
    handshakeTimer = -1;
    if (!handshakeDone && state != State.CLOSED) {
      close(CloseReason.HANDSHAKE_TIMEOUT);
    }
  }

  private void onIdleCheck() {
    idleTimer = -1;
    if (state == State.CLOSED) {
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
    if (state == State.CLOSED) {
      return false;
    }
    if (pendingOut >= limits.maxOutboundBlocks()) {
      dropSlowReader();
      return false;
    }
    pendingOut++;
    metrics.blockOut();
    ws.writeFinalBinaryFrame(block).onComplete(this::onWritten);
    if (!pausedForOutbound && pendingOut >= limits.pauseOutboundAt()) {
      pausedForOutbound = true;
      metrics.readPaused(PauseCause.OUTBOUND);
      updateReading();
    }
    return true;
  }

  private void onWritten(AsyncResult<Void> result) {
    pendingOut--;
    if (pausedForOutbound && pendingOut <= limits.resumeOutboundAt()) {
      pausedForOutbound = false;
      updateReading();
      Runnable action = writableAction;
      writableAction = null;
      if (action != null && state != State.CLOSED) {
        action.run();
      }
    }
    finishDrainIfIdle();
  }

  @Override
  public boolean writable() {
    return state != State.CLOSED && pendingOut < limits.pauseOutboundAt();
  }

  @Override
  public int pendingOutboundBlocks() {
    return pendingOut;
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
    if (handshakeDone || state == State.CLOSED) {
      return;
    }
    handshakeDone = true;
    if (handshakeTimer >= 0) {
      vertx.cancelTimer(handshakeTimer);
      handshakeTimer = -1;
    }
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

  @Override
  public void close(CloseReason reason) {
    if (Thread.currentThread() != eventLoop) {
      context.runOnContext(v -> close(reason));
      return;
    }
    if (state == State.CLOSED) {
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    state = State.CLOSED;
    // keep reading: the client's answering close frame must get through (later frames are ignored)
    ws.resume();
    // Vert.x routes close() through the shutdown handler when one is set; this close is final
    ws.shutdownHandler(null);
    ws.close(reason.webSocketCode());
  }

  @Override
  public boolean isOpen() {
    return state != State.CLOSED;
  }

  // ---- backpressure, shutdown, close ----

  private void updateReading() {
    if (state == State.OPEN && !pausedForOutbound && !pausedForCommands) {
      ws.resume();
    } else {
      ws.pause();
    }
  }

  /**
   * The client stopped reading: a close frame would queue behind the data it does not read, so the
   * TCP connection is cut, which also frees the buffered blocks.
   */
  private void dropSlowReader() {
    if (closeReason == null) {
      closeReason = CloseReason.SLOW_READER;
    }
    state = State.CLOSED;
    // Closing through the whole pipeline would queue the close behind the unsent blocks (and
    // TLS close_notify); closing from the first handler goes straight to the socket.
    ChannelHandlerContext first = VertxInternals.channelContext(ws).pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      VertxInternals.channelContext(ws).channel().close();
    }
  }

  /** Graceful shutdown: stop reading, let commands in flight finish and replies drain, close. */
  void drain() {
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
    State before = state;
    state = State.CLOSED;
    if (handshakeTimer >= 0) {
      vertx.cancelTimer(handshakeTimer);
    }
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    CloseReason reason = closeReason;
    if (reason == null) {
      reason = before == State.DRAINING ? CloseReason.SHUTDOWN : CloseReason.PEER_CLOSED;
    }
    metrics.connectionClosed(reason);
    if (!handshakeDone) {
      metrics.handshake(
          switch (reason) {
            case HANDSHAKE_TIMEOUT -> HandshakeOutcome.TIMEOUT;
            case HANDSHAKE_FAILED -> HandshakeOutcome.FAILED;
            default -> HandshakeOutcome.ABANDONED;
          });
    }
    onGone.accept(this);
    if (handler != null) {
      try {
        handler.onClose(reason);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "session handler failed on close: " + e.getClass().getName());
      }
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
