package org.sealpost.cli;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 that records what an observer of a plain WebSocket connection sees:
 * for every WebSocket message, its connection, direction and length — and nothing else (the payload
 * is Noise ciphertext). Used by {@code sealpost demo} and by tests, which can also cut every
 * connection to simulate a network failure.
 */
public final class WireTap implements AutoCloseable {
  /** Which way a message travelled. */
  public enum Direction {
    TO_RELAY,
    TO_CLIENT
  }

  /**
   * One WebSocket message seen on the wire; {@code nanos} is when its last byte reached the tap
   * ({@link System#nanoTime()}), for timing analyses (issue 10).
   */
  public record Observation(int connection, Direction direction, int length, long nanos) {}

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final boolean parseWebSocket;
  private final List<Observation> observations = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  /**
   * @param parseWebSocket record WebSocket messages (plain {@code ws://} only); false just forwards
   */
  public WireTap(String targetHost, int targetPort, boolean parseWebSocket) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.parseWebSocket = parseWebSocket;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "wiretap-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /**
   * Waits until at least {@code count} messages matching {@code filter} were seen.
   *
   * @return whether they were seen within the timeout
   */
  public boolean awaitObservations(
      java.util.function.Predicate<Observation> filter, int count, long timeout, TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (observations) {
      while (observations.stream().filter(filter).count() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(observations, left);
      }
      return true;
    }
  }

  /** Every WebSocket message seen so far, in order. */
  public List<Observation> observations() {
    return new ArrayList<>(observations);
  }

  /** Cuts every open connection (both sides see a reset or EOF); new ones are still accepted. */
  public void dropConnections() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket relay = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        relay.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(relay);
        int id = connections.incrementAndGet();
        pump(client, relay, new Parser(id, Direction.TO_RELAY));
        pump(relay, client, new Parser(id, Direction.TO_CLIENT));
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to, Parser parser) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[32 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (parseWebSocket) {
                    parser.feed(buf, n);
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "wiretap-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    dropConnections();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  /** Streaming parser: the HTTP upgrade head, then WebSocket frame headers (RFC 6455 §5.2). */
  private final class Parser {
    private final int connection;
    private final Direction direction;
    private boolean inHead = true;
    private int headMatch;
    private final byte[] header = new byte[14];
    private int headerHave;
    private int headerNeed = 2;
    private long payloadLeft;
    private long messageLength;

    Parser(int connection, Direction direction) {
      this.connection = connection;
      this.direction = direction;
    }

    void feed(byte[] buf, int n) {
      int i = 0;
      while (i < n) {
        if (inHead) {
          // the HTTP head ends with CRLF CRLF
          byte b = buf[i++];
          byte expected = (byte) ((headMatch % 2 == 0) ? '\r' : '\n');
          headMatch = b == expected ? headMatch + 1 : (b == '\r' ? 1 : 0);
          if (headMatch == 4) {
            inHead = false;
          }
        } else if (payloadLeft > 0) {
          int skip = (int) Math.min(payloadLeft, n - i);
          i += skip;
          payloadLeft -= skip;
          if (payloadLeft == 0) {
            frameDone();
          }
        } else {
          header[headerHave++] = buf[i++];
          if (headerHave == 2) {
            int len7 = header[1] & 0x7F;
            boolean masked = (header[1] & 0x80) != 0;
            headerNeed = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
          }
          if (headerHave >= 2 && headerHave == headerNeed) {
            int len7 = header[1] & 0x7F;
            long length = len7;
            if (len7 == 126) {
              length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            } else if (len7 == 127) {
              length = 0;
              for (int k = 2; k < 10; k++) {
                length = (length << 8) | (header[k] & 0xFF);
              }
            }
            messageLength = length;
            payloadLeft = length;
            headerHave = 0;
            headerNeed = 2;
            if (payloadLeft == 0) {
              frameDone();
            }
          }
        }
      }
    }

    private void frameDone() {
      int opcode = header[0] & 0x0F;
      if (opcode == 2) {
        synchronized (observations) {
          observations.add(
              new Observation(connection, direction, (int) messageLength, System.nanoTime()));
          observations.notifyAll();
        }
      }
    }
  }
}
