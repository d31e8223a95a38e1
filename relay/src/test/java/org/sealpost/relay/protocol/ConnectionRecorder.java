package org.sealpost.relay.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on 127.0.0.1 in front of a relay that records the source address of every
 * connection it accepts: what the relay behind it would see. Bytes pass unchanged. With {@code
 * silent}, it accepts connections and never answers (a destination that does not respond).
 */
final class ConnectionRecorder implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final boolean silent;
  private final List<InetAddress> sources = new CopyOnWriteArrayList<>();
  private final List<Integer> upstreamRecords = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  ConnectionRecorder(int targetPort, boolean silent) throws IOException {
    this.targetPort = targetPort;
    this.silent = silent;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "recorder-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Source addresses of the connections accepted so far. */
  List<InetAddress> sources() {
    return List.copyOf(sources);
  }

  /**
   * Lengths (from the 5-byte headers) of the TLS records the accepted connections sent towards the
   * relay, in order; meaningful while one connection at a time carries TLS.
   */
  List<Integer> upstreamRecordLengths() {
    return List.copyOf(upstreamRecords);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sources.add(client.getInetAddress());
        sockets.add(client);
        if (silent) {
          continue;
        }
        Socket relay = new Socket();
        relay.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 10_000);
        sockets.add(relay);
        daemon(() -> pumpRecords(client, relay));
        daemon(() -> pump(relay, client));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "recorder-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Copies bytes unchanged, noting each TLS record's length as its header passes. */
  private void pumpRecords(Socket from, Socket to) {
    byte[] header = new byte[5];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      while (true) {
        int n = in.readNBytes(header, 0, 5);
        if (n < 5) {
          return;
        }
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        upstreamRecords.add(length);
        out.write(header);
        out.write(in.readNBytes(length));
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buf = new byte[32 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    sockets.forEach(ConnectionRecorder::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
