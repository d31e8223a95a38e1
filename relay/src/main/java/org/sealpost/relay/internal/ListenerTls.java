package org.sealpost.relay.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * TLS of the WebSocket listener: TLS 1.3 only, the JDK engine, and one WebSocket frame per TLS
 * record.
 */
public final class ListenerTls {
  /**
   * The most application data the JDK's TLS 1.3 engine (JDK 17 and 25 alike) puts in one record: it
   * pads every TLS 1.3 record with 16 zero bytes and keeps one byte for the inner content type, so
   * 16384 - 16 - 1. A JDK peer's TLS 1.3 record on the wire is its data plus 33 bytes (content
   * type, padding, 16-byte tag).
   */
  public static final int JDK_TLS13_MAX_RECORD_DATA = 16367;

  /** Header of an unmasked (relay to client) binary frame of 126..65535 bytes. */
  public static final int SERVER_FRAME_HEADER = 4;

  /** Header of a masked (client to relay) binary frame of 126..65535 bytes. */
  public static final int CLIENT_FRAME_HEADER = 8;

  private ListenerTls() {}

  /** Configures {@code options} for TLS 1.3 with the given PEM certificate and key. */
  public static HttpServerOptions apply(
      HttpServerOptions options, Path cert, Path key, long handshakeTimeoutMillis) {
    return options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        // The JDK engine's wrap emits one record per call, which the record alignment relies on.
        .setSslEngineOptions(new JdkSSLEngineOptions())
        .setUseAlpn(false)
        .setSslHandshakeTimeout(handshakeTimeoutMillis)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * Makes TLS records follow WebSocket frames of {@code frameSize} bytes. Netty's SslHandler
   * coalesces queued writes and cuts them into chunks of its wrap data size (16 KiB by default),
   * each handed to the engine in one wrap call. With a chunk size that divides the frame size,
   * every cut falls on a frame boundary (or at the same offsets inside every frame) whatever the
   * flush pattern, so no record ever holds parts of two frames. A frame that fits the engine's
   * record capacity ({@link #JDK_TLS13_MAX_RECORD_DATA}) travels in exactly one record; a larger
   * one is cut into equal parts that fit (16380 = 2 x 8190 for B = 16376), the same for every
   * block.
   *
   * @return whether the pipeline had an SslHandler
   */
  public static boolean alignRecordsToFrames(ChannelPipeline pipeline, int frameSize) {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl == null) {
      return false;
    }
    ssl.setWrapDataSize(chunkSize(frameSize, JDK_TLS13_MAX_RECORD_DATA));
    return true;
  }

  /**
   * The TLS chunk for frames of {@code frameSize} bytes: the frame itself if it fits {@code
   * capacity}, else the largest equal part (frame / k, k dividing the frame) that fits. When no
   * small k divides the frame, the frame size itself: data stay correct, but the engine's own cut
   * no longer lines up with frames (choose B with B + 4 and B + 8 at most 16367, or even).
   */
  static int chunkSize(int frameSize, int capacity) {
    if (frameSize <= capacity) {
      return frameSize;
    }
    for (int k = (frameSize + capacity - 1) / capacity; k <= 16; k++) {
      if (frameSize % k == 0) {
        return frameSize / k;
      }
    }
    return frameSize;
  }
}
