package org.sealpost.lab.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sealpost.lab.operator.OperatorLog;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * The network observer: a TCP proxy per user between the user's client and the relay. Its
 * connection to the relay leaves from the user's own loopback address ({@link #addressOf}), so the
 * relay sees one source address per user, as it would on the Internet. It records what a packet
 * capture would: per connection, the time and size of every read in each direction (TLS records,
 * opaque), and connection opens and closes. {@link #trace} turns reads into blocks: reads less than
 * {@value #BURST_GAP_MICROS} µs apart form one burst of {@code round(bytes / wire block)} blocks.
 */
public final class ObserverProxy implements AutoCloseable {
  static final long BURST_GAP_MICROS = 1_000;

  /** One read: direction (true = upstream, client to relay), time, bytes. */
  private record Read(boolean up, long atMicros, int bytes) {}

  /** One proxied connection of a user. */
  private static final class Conn {
    final int user;
    final long openedMicros;
    volatile long closedMicros = -1;
    final List<Read> reads = new ArrayList<>();

    Conn(int user, long openedMicros) {
      this.user = user;
      this.openedMicros = openedMicros;
    }

    synchronized void read(boolean up, int bytes) {
      reads.add(new Read(up, OperatorLog.nowMicros(), bytes));
    }
  }

  private final InetSocketAddress relay;
  private final List<ServerSocket> listeners = new ArrayList<>();
  private final List<Conn> conns = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public ObserverProxy(InetSocketAddress relay, int users) throws IOException {
    this.relay = relay;
    for (int u = 0; u < users; u++) {
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      listeners.add(listener);
      int user = u;
      Thread t = new Thread(() -> acceptLoop(listener, user), "lab-proxy-accept-" + u);
      t.setDaemon(true);
      t.start();
    }
  }

  /** The loopback address user {@code u} connects from: 127.1.x.y, one per user. */
  public static InetAddress addressOf(int user) {
    try {
      return InetAddress.getByAddress(
          new byte[] {127, 1, (byte) (user / 250), (byte) (user % 250 + 1)});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The port the client of user {@code u} connects to. */
  public int port(int user) {
    return listeners.get(user).getLocalPort();
  }

  private void acceptLoop(ServerSocket listener, int user) {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket();
        upstream.bind(new InetSocketAddress(addressOf(user), 0));
        upstream.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
        upstream.connect(relay, 10_000);
        sockets.add(client);
        sockets.add(upstream);
        Conn conn = new Conn(user, OperatorLog.nowMicros());
        conns.add(conn);
        pump(client, upstream, conn, true);
        pump(upstream, client, conn, false);
      } catch (IOException e) {
        if (!closed) {
          // a failed connect is seen by the client as a failed connection; keep accepting
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, Conn conn, boolean up) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[65_536];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  conn.read(up, n);
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // the other side closed: close both below
              } finally {
                if (conn.closedMicros < 0) {
                  conn.closedMicros = OperatorLog.nowMicros();
                }
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "lab-proxy-" + (up ? "up-" : "down-") + conn.user);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /**
   * The observer's trace of everything so far.
   *
   * @param wireBlockBytes bytes of one block on the wire (B plus TLS and WebSocket framing)
   */
  public ObserverTrace trace(int users, int wireBlockBytes) {
    ObserverTrace.Builder b = new ObserverTrace.Builder(users);
    for (Conn c : conns) {
      b.open(c.user, c.openedMicros);
      if (c.closedMicros >= 0) {
        b.close(c.user, c.closedMicros);
      }
      List<Read> reads;
      synchronized (c) {
        reads = List.copyOf(c.reads);
      }
      for (boolean up : new boolean[] {true, false}) {
        long start = -1;
        long last = -1;
        long bytes = 0;
        for (Read r : reads) {
          if (r.up() != up) {
            continue;
          }
          if (start >= 0 && r.atMicros() - last > BURST_GAP_MICROS) {
            emit(b, c.user, up, start, bytes, wireBlockBytes);
            start = -1;
          }
          if (start < 0) {
            start = r.atMicros();
            bytes = 0;
          }
          bytes += r.bytes();
          last = r.atMicros();
        }
        if (start >= 0) {
          emit(b, c.user, up, start, bytes, wireBlockBytes);
        }
      }
    }
    return b.build();
  }

  private static void emit(
      ObserverTrace.Builder b, int user, boolean up, long at, long bytes, int wireBlockBytes) {
    long blocks = Math.max(1, Math.round((double) bytes / wireBlockBytes));
    for (long i = 0; i < blocks; i++) {
      if (up) {
        b.up(user, at);
      } else {
        b.down(user, at);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (ServerSocket l : listeners) {
      try {
        l.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    sockets.forEach(ObserverProxy::closeQuietly);
  }
}
