package org.sealpost.relay.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The relay-wide bound on TLS handshakes in progress ({@code connection.max-handshakes}, issue 13).
 *
 * <p>After a relay restart every client reconnects at once. Without a bound all their handshakes
 * start together and share the CPU, each takes longer than its deadline, and most are cut after
 * their CPU was spent (congestion collapse: docs/benchmarks.md, W5). With the bound, at most {@code
 * limit} connections are in their TLS handshake; the others are accepted and held, not started, and
 * start in order as handshakes finish. A connection holds its place from the TCP accept until its
 * TLS handshake is done (the listener's connection handler runs) or it closes, whichever comes
 * first — at most the handshake deadline.
 *
 * <p>Held connections are kept by the relay, not left in the kernel's accept queue: that queue
 * holds at most {@code net.core.somaxconn} (4,096 on a stock Linux), and a connection it cannot
 * take is dropped and retried by the client's TCP only after 1, 3, 7, 15, 31 s. In a 10,000-client
 * storm that left hundreds of clients waiting 31 s or 63 s with both processes idle
 * (docs/benchmarks.md, "The storm's 30-second steps"). Only above {@link #HELD_PER_PLACE} held
 * connections per place does the relay stop accepting and leave the rest to the kernel.
 *
 * <p>A gate in the listening socket's pipeline sees each accepted connection before Netty starts
 * it. The counter lives on the acceptor's event loop; slots are given back from any thread.
 */
public final class HandshakeAdmission {
  /** Accepted connections held per handshake place before accepting pauses (about 1 KiB each). */
  static final int HELD_PER_PLACE = 32;

  private static final AttributeKey<AtomicBoolean> HOLDS_PLACE =
      AttributeKey.valueOf(HandshakeAdmission.class, "holdsPlace");

  private final int limit;
  private volatile Gate gate;
  private volatile int inProgress;
  private volatile int waiting;

  /**
   * @param limit handshakes in progress at once; 0 = no bound
   */
  public HandshakeAdmission(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("the handshake limit must not be negative");
    }
    this.limit = limit;
  }

  /** Whether there is a bound at all. */
  public boolean bounded() {
    return limit > 0;
  }

  /** Connections accepted and in their TLS handshake. */
  public int inProgress() {
    return inProgress;
  }

  /** Connections accepted and held until a place frees (the kernel's queue not counted). */
  public int waiting() {
    return waiting;
  }

  /** Whether the gate is in place on a listening socket. */
  public boolean attached() {
    return gate != null;
  }

  /**
   * Puts the gate on the listening socket; every listener instance calls it with the socket they
   * share, and the first call wins.
   */
  public synchronized void attach(ServerChannel server) {
    if (!bounded() || gate != null) {
      return;
    }
    Gate g = new Gate();
    gate = g;
    server.eventLoop().execute(() -> server.pipeline().addFirst("sealpost-admission", g));
  }

  /**
   * The connection's TLS handshake is done (or it never had one): its place goes to the next. Safe
   * to call more than once and from any thread; a connection that was not counted is ignored.
   */
  public void handshakeDone(Channel child) {
    AtomicBoolean holds = child.attr(HOLDS_PLACE).get();
    Gate g = gate;
    if (holds != null && holds.compareAndSet(true, false) && g != null) {
      g.placeFreed();
    }
  }

  /** Runs on the acceptor's event loop only; each message is a newly accepted connection. */
  private final class Gate extends ChannelInboundHandlerAdapter {
    private final ArrayDeque<Channel> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int count;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof Channel child)) {
        ctx.fireChannelRead(msg);
        return;
      }
      if (count < limit) {
        admit(child);
      } else {
        held.add(child);
        waiting = held.size();
        if (held.size() >= holdLimit()) {
          // the rest stay in the kernel's accept queue until a place frees
          ctx.channel().config().setAutoRead(false);
        }
      }
    }

    private void admit(Channel child) {
      count++;
      inProgress = count;
      AtomicBoolean holds = new AtomicBoolean(true);
      child.attr(HOLDS_PLACE).set(holds);
      child
          .closeFuture()
          .addListener(
              f -> {
                if (holds.compareAndSet(true, false)) {
                  placeFreed();
                }
              });
      ctx.fireChannelRead(child); // Netty registers and starts it (TLS first)
    }

    private long holdLimit() {
      return (long) limit * HELD_PER_PLACE;
    }

    void placeFreed() {
      if (ctx.executor().inEventLoop()) {
        onPlaceFreed();
      } else {
        ctx.executor().execute(this::onPlaceFreed);
      }
    }

    private void onPlaceFreed() {
      count--;
      inProgress = count;
      while (count < limit && !held.isEmpty()) {
        admit(held.poll());
      }
      waiting = held.size();
      if (held.size() < holdLimit() && !ctx.channel().config().isAutoRead()) {
        ctx.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      // the listener closed: connections never started are closed with it
      for (Channel c : held) {
        c.unsafe().closeForcibly();
      }
      held.clear();
      waiting = 0;
      ctx.fireChannelInactive();
    }
  }
}
