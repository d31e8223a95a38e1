package org.sealpost.relay.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 whose connections to the relay leave from a chosen loopback source
 * address (127.0.0.2, …), so the relay sees clients at distinctive addresses while the client
 * library needs no option for it. Bytes are copied unchanged in both directions.
 */
public final class SourceAddressProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetAddress source;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  public SourceAddressProxy(String sourceAddress, int relayPort) throws IOException {
    this.source = InetAddress.getByName(sourceAddress);
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("proxy-accept", this::acceptLoop).start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket relay = new Socket();
        relay.bind(new InetSocketAddress(source, 0));
        relay.connect(target, 10_000);
        sockets.add(client);
        sockets.add(relay);
        daemon("proxy-up", () -> pump(client, relay)).start();
        daemon("proxy-down", () -> pump(relay, client)).start();
      } catch (IOException e) {
        // closed, or the relay refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to) {
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

  /** Cuts every connection made so far (the clients see a lost connection). */
  public void dropConnections() {
    sockets.forEach(SourceAddressProxy::closeQuietly);
    sockets.clear();
  }

  @Override
  public void close() {
    closeQuietly(server);
    dropConnections();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
