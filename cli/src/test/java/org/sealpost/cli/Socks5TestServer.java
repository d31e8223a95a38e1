package org.sealpost.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SOCKS5 server (RFC 1928, no authentication, CONNECT only) on 127.0.0.1 that records
 * every CONNECT request as it arrived and connects every one, whatever host it names, to {@code
 * 127.0.0.1} at the requested port — so a test can name its relay by a host that does not resolve
 * (an {@code .invalid} or {@code .onion} name) and still reach it, proving the name was left to the
 * proxy. Blocking threads: test code, not on any event loop.
 */
final class Socks5TestServer implements AutoCloseable {
  /** One CONNECT request: RFC 1928 address type (1 IPv4, 3 domain name, 4 IPv6), host, port. */
  record Request(int addressType, String host, int port) {}

  private final ServerSocket server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  Socks5TestServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::acceptLoop, "socks5-test-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread t = new Thread(() -> serve(client), "socks5-test-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        client.close();
        return;
      }
      int methods = in.readUnsignedByte();
      in.readFully(new byte[methods]);
      out.write(new byte[] {5, 0}); // no authentication
      out.flush();
      int version = in.readUnsignedByte();
      int command = in.readUnsignedByte();
      in.readUnsignedByte(); // reserved
      int type = in.readUnsignedByte();
      String host;
      if (type == 1) {
        byte[] a = new byte[4];
        in.readFully(a);
        host = InetAddress.getByAddress(a).getHostAddress();
      } else if (type == 4) {
        byte[] a = new byte[16];
        in.readFully(a);
        host = InetAddress.getByAddress(a).getHostAddress();
      } else if (type == 3) {
        byte[] name = new byte[in.readUnsignedByte()];
        in.readFully(name);
        host = new String(name, StandardCharsets.US_ASCII);
      } else {
        client.close();
        return;
      }
      int port = in.readUnsignedShort();
      requests.add(new Request(type, host, port));
      if (version != 5 || command != 1) {
        out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0}); // command not supported
        client.close();
        return;
      }
      Socket upstream = new Socket();
      open.add(upstream);
      upstream.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
      out.flush();
      pipe(upstream.getInputStream(), out, client);
      pipe(in, upstream.getOutputStream(), upstream);
    } catch (IOException e) {
      try {
        client.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  private static void pipe(InputStream from, OutputStream to, Socket closeWhenDone) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[32_768];
              try {
                for (int n; (n = from.read(buf)) >= 0; ) {
                  to.write(buf, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                try {
                  closeWhenDone.close();
                } catch (IOException ignored) {
                  // closing anyway
                }
              }
            },
            "socks5-test-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
