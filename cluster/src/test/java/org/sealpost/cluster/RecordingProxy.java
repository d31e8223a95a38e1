package org.sealpost.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on 127.0.0.1 that keeps every byte it forwards, one recording per connection and
 * direction: a capture of the traffic to one port, as a packet capture on the wire would see it.
 * Blocking sockets on its own threads (test code, no event loop).
 */
final class RecordingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<ByteArrayOutputStream> streams = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private volatile int target;

  RecordingProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread accept = new Thread(this::accept, "recording-proxy-" + server.getLocalPort());
    accept.setDaemon(true);
    accept.start();
  }

  /** The port clients connect to. */
  int port() {
    return server.getLocalPort();
  }

  /** Where connections go (set before the first one arrives). */
  void forwardTo(int port) {
    target = port;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket(InetAddress.getByName("127.0.0.1"), target);
        synchronized (this) {
          sockets.add(in);
          sockets.add(out);
        }
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) throws IOException {
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    synchronized (this) {
      streams.add(record);
    }
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try {
                for (int n; (n = in.read(buf)) > 0; ) {
                  synchronized (record) {
                    record.write(buf, 0, n);
                  }
                  out.write(buf, 0, n);
                }
              } catch (IOException e) {
                // the connection ended
              } finally {
                closeQuietly(to);
              }
            });
    t.setDaemon(true);
    t.start();
  }

  /** Every connection's bytes in one direction, in arrival order of the connections. */
  synchronized List<byte[]> streams() {
    List<byte[]> out = new ArrayList<>();
    for (ByteArrayOutputStream s : streams) {
      synchronized (s) {
        out.add(s.toByteArray());
      }
    }
    return out;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public synchronized void close() throws IOException {
    server.close();
    sockets.forEach(RecordingProxy::closeQuietly);
  }
}
