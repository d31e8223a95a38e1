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
  /** The largest TLS record plaintext (RFC 8446 §5.1). */
  public static final int MAX_RECORD_PLAINTEXT = 16384;

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
   * Makes every frame of {@code frameSize} bytes travel in exactly one TLS record. Netty's
   * SslHandler coalesces queued writes and cuts them into chunks of its wrap data size (16 KiB by
   * default), each encrypted as one record; with the chunk size equal to the frame size, the cuts
   * fall on frame boundaries whatever the flush pattern, so a frame is never split across records
   * nor merged with the next. Frames larger than a record (B > 16380) cannot fit one record; they
   * are cut at 16 KiB.
   *
   * @return whether the pipeline had an SslHandler
   */
  public static boolean alignRecordsToFrames(ChannelPipeline pipeline, int frameSize) {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl == null) {
      return false;
    }
    ssl.setWrapDataSize(Math.min(frameSize, MAX_RECORD_PLAINTEXT));
    return true;
  }
}
