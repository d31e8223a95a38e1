package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.relay.RelayTestSupport.await;
import static org.sealpost.relay.RelayTestSupport.block;
import static org.sealpost.relay.RelayTestSupport.client;
import static org.sealpost.relay.RelayTestSupport.config;
import static org.sealpost.relay.RelayTestSupport.connect;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.proto.codec.TlsRecordAlignment;
import org.sealpost.relay.transport.ListenerTls;

/**
 * A TCP proxy between a client and the relay reads the TLS record headers (type, version, length)
 * in both directions and checks how the B-byte WebSocket messages map onto TLS records: every block
 * gets the same records, never shared with another block, so record sizes say nothing. Both peers
 * use the JDK's TLS 1.3 engine, which carries at most 16367 bytes of data per record (see {@link
 * TlsRecordAlignment#JDK_TLS13_MAX_RECORD_DATA}): a block fits one record when its frame does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsRecordSizeIT {
  private static final int APPLICATION_DATA = 23;

  /** JDK TLS 1.3 record overhead: content type byte, 16 bytes of zero padding, 16-byte tag. */
  private static final int JDK_TLS13_OVERHEAD = 1 + 16 + 16;

  /** BoringSSL TLS 1.3 record overhead: content type byte and 16-byte tag, no padding. */
  private static final int BORINGSSL_TLS13_OVERHEAD = 1 + 16;

  private static final int CAPACITY = TlsRecordAlignment.JDK_TLS13_MAX_RECORD_DATA;

  private static final int MESSAGES = 150;

  @TempDir Path dataDir;

  record Record(int type, int length) {}

  /**
   * B = 16359 is the largest B whose client frames (B + 8) fit one JDK TLS 1.3 record: one record
   * per block in both directions. At the default B = 16376 a frame needs two records, cut in equal
   * halves for every block (relay frames 16380 = 2 x 8190, client frames 16384 = 2 x 8192).
   */
  @ParameterizedTest(name = "B = {0}, relay engine {1}")
  @CsvSource({"16359, jdk", "16376, jdk", "16359, openssl", "16376, openssl", "16359, auto"})
  void everyBlockHasTheSameTlsRecordsInEachDirection(int b, String engine, Vertx vertx)
      throws Exception {
    // auto (the default) is BoringSSL wherever its native library loads, as on the test machines
    boolean jdk =
        engine.equals("jdk") || (engine.equals("auto") && !OpenSSLEngineOptions.isAvailable());
    int relayOverhead = jdk ? JDK_TLS13_OVERHEAD : BORINGSSL_TLS13_OVERHEAD;
    RunningRelay relay =
        RelayTestSupport.start(
            vertx,
            config(dataDir, "block-size", String.valueOf(b), "tls.engine", engine),
            new EchoApplication());
    List<Record> toRelay = new CopyOnWriteArrayList<>();
    List<Record> toClient = new CopyOnWriteArrayList<>();
    try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor =
          new Thread(() -> proxyOne(proxy, relay.port(), toRelay, toClient), "tls-proxy");
      acceptor.start();

      WebSocketClient client = client(vertx, true);
      WebSocket ws = await(connect(client, proxy.getLocalPort(), "/v1"));
      // what the client library does: its frames carry an 8-byte header (masked)
      assertThat(
              ListenerTls.alignRecordsToFrames(
                  ((WebSocketInternal) ws).channelHandlerContext().pipeline(),
                  b + TlsRecordAlignment.CLIENT_FRAME_HEADER))
          .isTrue();

      AtomicInteger echoed = new AtomicInteger();
      CompletableFuture<Void> all = new CompletableFuture<>();
      ws.binaryMessageHandler(
          m -> {
            assertThat(m.length()).isEqualTo(b);
            if (echoed.incrementAndGet() == MESSAGES) {
              all.complete(null);
            }
          });
      for (int i = 0; i < MESSAGES; i++) {
        ws.writeFinalBinaryFrame(block(i, b));
      }
      all.get(30, TimeUnit.SECONDS);
      await(ws.close());
      acceptor.join(30_000);
      assertThat(acceptor.isAlive()).isFalse();
    } finally {
      await(relay.close());
    }

    assertSameRecordsPerBlock(toClient, b + TlsRecordAlignment.SERVER_FRAME_HEADER, relayOverhead);
    assertSameRecordsPerBlock(
        toRelay, b + TlsRecordAlignment.CLIENT_FRAME_HEADER, JDK_TLS13_OVERHEAD);
    if (b == 16359) {
      assertThat(recordsPerFrame(b + TlsRecordAlignment.CLIENT_FRAME_HEADER, JDK_TLS13_OVERHEAD))
          .hasSize(1);
      assertThat(toClient)
          .as("one record of B + 4 + %d per relay block", relayOverhead)
          .filteredOn(r -> r.length() == b + TlsRecordAlignment.SERVER_FRAME_HEADER + relayOverhead)
          .hasSize(MESSAGES);
    }
  }

  /** The record lengths on the wire for one frame: one record, or equal parts that fit. */
  private static List<Integer> recordsPerFrame(int frame, int overhead) {
    int parts = (frame + CAPACITY - 1) / CAPACITY;
    assertThat(frame % parts).as("test frames split evenly").isZero();
    return java.util.Collections.nCopies(parts, frame / parts + overhead);
  }

  /**
   * The blocks' records form one unbroken run of MESSAGES repetitions of one frame's pattern:
   * nothing split a frame elsewhere (which would put other sizes inside the run) and nothing merged
   * two frames (which would leave fewer, larger records).
   */
  private static void assertSameRecordsPerBlock(List<Record> records, int frame, int overhead) {
    List<Integer> pattern = recordsPerFrame(frame, overhead);
    int first = -1;
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).type() == APPLICATION_DATA && records.get(i).length() == pattern.get(0)) {
        first = i;
        break;
      }
    }
    assertThat(first).as("first block record in %s", summary(records)).isNotNegative();
    int run = MESSAGES * pattern.size();
    assertThat(records.size() - first)
        .as("records from the first block on")
        .isGreaterThanOrEqualTo(run);
    for (int i = 0; i < run; i++) {
      Record r = records.get(first + i);
      assertThat(r.type()).isEqualTo(APPLICATION_DATA);
      assertThat(r.length())
          .as("record %d of the blocks in %s", i, summary(records))
          .isEqualTo(pattern.get(i % pattern.size()));
    }
    assertThat(records)
        .as("no record holds more than one frame's share")
        .allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(CAPACITY + overhead));
  }

  /** Record lengths in order, runs collapsed: "23:16397x150". */
  private static String summary(List<Record> records) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < records.size()) {
      int j = i;
      while (j < records.size() && records.get(j).equals(records.get(i))) {
        j++;
      }
      sb.append(records.get(i).type()).append(':').append(records.get(i).length());
      sb.append('x').append(j - i).append(' ');
      i = j;
    }
    return sb.toString();
  }

  private static void proxyOne(
      ServerSocket proxy, int relayPort, List<Record> toRelay, List<Record> toClient) {
    try (Socket client = proxy.accept();
        Socket relay = new Socket(InetAddress.getByName("127.0.0.1"), relayPort)) {
      Thread up = new Thread(() -> pump(client, relay, toRelay), "proxy-up");
      up.start();
      pump(relay, client, toClient);
      up.join(30_000);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies whole TLS records from {@code from} to {@code to}, noting each header. */
  private static void pump(Socket from, Socket to, List<Record> seen) {
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
        seen.add(new Record(header[0] & 0xff, length));
        out.write(header);
        out.write(body);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // a reset at the end of the connection; the records seen so far are what counts
    }
  }
}
