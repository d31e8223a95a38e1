package org.sealpost.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written WebSocket client over a plain socket, for what a library client will not do: stop
 * reading, never answer a close frame, or dawdle before its upgrade. Frames are sent with a zero
 * mask, so their payload goes out as it is.
 */
final class RawWebSocketClient implements AutoCloseable {
  static final String UPGRADE =
      "GET /v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n";

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /**
   * @param receiveBuffer SO_RCVBUF, set before connecting; small values make a stalled reader stall
   *     sooner
   */
  RawWebSocketClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(60_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** Sends the HTTP upgrade (or any text) as it is. */
  void sendText(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends the upgrade request and returns the response head. */
  String upgrade() throws IOException {
    sendText(UPGRADE);
    return readHead();
  }

  String readHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    return head.toString();
  }

  /** One final binary frame, masked with zeros. */
  void sendBinary(byte[] payload) throws IOException {
    int n = payload.length;
    if (n < 126) {
      out.write(new byte[] {(byte) 0x82, (byte) (0x80 | n), 0, 0, 0, 0});
    } else {
      out.write(new byte[] {(byte) 0x82, (byte) 0xFE, (byte) (n >> 8), (byte) n, 0, 0, 0, 0});
    }
    out.write(payload);
    out.flush();
  }

  /** A close frame with status 1000. */
  void sendClose() throws IOException {
    out.write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8});
    out.flush();
  }

  /**
   * Reads frames until a close frame arrives, dropping the others, and returns its status code (-1
   * if the connection ended first).
   */
  int readUntilCloseFrame() throws IOException {
    java.io.DataInputStream data = new java.io.DataInputStream(in);
    try {
      while (true) {
        int opcode = data.readUnsignedByte() & 0x0F;
        long length = data.readUnsignedByte() & 0x7F; // the server never masks
        if (length == 126) {
          length = data.readUnsignedShort();
        } else if (length == 127) {
          length = data.readLong();
        }
        byte[] payload = new byte[(int) length];
        data.readFully(payload);
        if (opcode == 0x8) {
          return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
      }
    } catch (java.io.EOFException | java.net.SocketException ended) {
      return -1;
    }
  }

  /** Reads and drops everything until the relay closes the TCP connection; never answers. */
  void readToEnd() throws IOException {
    byte[] sink = new byte[65536];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (java.net.SocketException reset) {
      // a cut connection may be reset rather than closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
