package org.sealpost.cli;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/**
 * A TCP proxy on 127.0.0.1 for TLS connections that reads the client's bytes record by record
 * (5-byte header: type, version, length), notes each record and forwards it; the relay's bytes are
 * copied as they come. It can play a relay that dies: when {@code cutBefore} accepts the index of a
 * client record of at least {@code bigRecord} bytes, that record is dropped and both sockets close.
 */
final class TlsRecordProxy implements AutoCloseable {
  /** One TLS record header seen from the client. */
  record Record(int type, int length) {}

  static final int APPLICATION_DATA = 23;

  private final ServerSocket server;
  private final int relayPort;
  private final int bigRecord;
  private final IntPredicate cutBefore;
  private final List<Record> fromClient = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /**
   * @param bigRecord records of at least this many bytes count as blocks for {@code cutBefore}
   * @param cutBefore given the 1-based number of a block record: whether the connection dies
   *     instead of forwarding it
   */
  TlsRecordProxy(int relayPort, int bigRecord, IntPredicate cutBefore) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.relayPort = relayPort;
    this.bigRecord = bigRecord;
    this.cutBefore = cutBefore;
    this.acceptor = new Thread(this::acceptAll, "tls-record-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy that forwards everything. */
  static TlsRecordProxy forwarding(int relayPort) throws IOException {
    return new TlsRecordProxy(relayPort, Integer.MAX_VALUE, n -> false);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The client's records so far, in order, over every connection. */
  List<Record> clientRecords() {
    return List.copyOf(fromClient);
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket relay = new Socket(InetAddress.getByName("127.0.0.1"), relayPort);
        open.add(client);
        open.add(relay);
        Thread down = new Thread(() -> copy(relay, client), "proxy-down");
        down.setDaemon(true);
        down.start();
        Thread up = new Thread(() -> records(client, relay), "proxy-up");
        up.setDaemon(true);
        up.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void records(Socket from, Socket to) {
    int blocks = 0;
    try {
      DataInputStream in = new DataInputStream(from.getInputStream());
      OutputStream out = to.getOutputStream();
      byte[] header = new byte[5];
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException end) {
          break;
        }
        int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        byte[] body = new byte[length];
        in.readFully(body);
        if (length >= bigRecord && cutBefore.test(++blocks)) {
          from.close();
          to.close();
          return;
        }
        fromClient.add(new Record(header[0] & 0xff, length));
        out.write(header);
        out.write(body);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // a reset or a close at the end of the connection
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      in.transferTo(out);
      to.shutdownOutput();
    } catch (IOException e) {
      // one side went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
