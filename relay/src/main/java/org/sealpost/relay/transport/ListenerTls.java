package org.sealpost.relay.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.sealpost.proto.codec.TlsRecordAlignment;
import org.sealpost.relay.config.TlsEngine;

/**
 * TLS of the WebSocket listener: TLS 1.3 only, the JDK engine or BoringSSL ({@code tls.engine}),
 * and one WebSocket frame per TLS record. No session cache: a resumed session would link a client's
 * connections (DESIGN §7b).
 */
public final class ListenerTls {
  private ListenerTls() {}

  /** Configures {@code options} for TLS 1.3 with the given PEM certificate and key. */
  public static HttpServerOptions apply(
      HttpServerOptions options,
      Path cert,
      Path key,
      TlsEngine engine,
      long handshakeTimeoutMillis) {
    return options
        .setSsl(true)
        .setKeyCertOptions(keyCert(cert, key))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        // Both engines' wrap emits one record per call, which the record alignment relies on.
        .setSslEngineOptions(engineOptions(engine))
        .setUseAlpn(false)
        .setSslHandshakeTimeout(handshakeTimeoutMillis)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * The engine's options; for {@link TlsEngine#OPENSSL}, fails when the native library does not
   * load here (another platform than linux-x86_64, or a noexec temporary directory); {@link
   * TlsEngine#AUTO} then falls back to the JDK's engine.
   */
  public static SSLEngineOptions engineOptions(TlsEngine engine) {
    if (engine == TlsEngine.JDK
        || (engine == TlsEngine.AUTO && !OpenSSLEngineOptions.isAvailable())) {
      return new JdkSSLEngineOptions();
    }
    if (!OpenSSLEngineOptions.isAvailable()) {
      throw new IllegalStateException(
          "tls.engine=openssl: BoringSSL (netty-tcnative) does not load on this machine; use"
              + " tls.engine=jdk");
    }
    return new OpenSSLEngineOptions().setSessionCacheEnabled(false);
  }

  /**
   * Does ahead what the first listener's TLS set-up does — loads BoringSSL (when the engine is it),
   * reads the certificate and key into a key manager, builds a server context — and keeps nothing
   * of it: the listeners build their own. The relay runs it on a worker while its crypto warm-up
   * runs, so that these classes and the native library are loaded when the listeners are deployed
   * (half a second of a restart on 2 vCPUs, docs/benchmarks.md).
   */
  public static void prepare(Vertx vertx, Path cert, Path key, TlsEngine engine) throws Exception {
    KeyManagerFactory keys = keyCert(cert, key).getKeyManagerFactory(vertx);
    SslContext context =
        SslContextBuilder.forServer(keys)
            .sslProvider(boringSsl(engine) ? SslProvider.OPENSSL : SslProvider.JDK)
            .protocols("TLSv1.3")
            .build();
    ReferenceCountUtil.release(context); // BoringSSL's context holds native memory
  }

  /** What {@link #engineOptions} serves TLS with, for the relay's start line. */
  public static String engineName(TlsEngine engine) {
    return boringSsl(engine) ? "BoringSSL" : "JDK engine";
  }

  private static boolean boringSsl(TlsEngine engine) {
    return engineOptions(engine) instanceof OpenSSLEngineOptions;
  }

  /** The listener's certificate and key, as PEM files (at start and at a SIGHUP reload). */
  public static PemKeyCertOptions keyCert(Path cert, Path key) {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }

  /**
   * Makes TLS records follow WebSocket frames of {@code frameSize} bytes. Netty's SslHandler
   * coalesces queued writes and cuts them into chunks of its wrap data size (16 KiB by default),
   * each handed to the engine in one wrap call. With a chunk size that divides the frame size,
   * every cut falls on a frame boundary (or at the same offsets inside every frame) whatever the
   * flush pattern, so no record ever holds parts of two frames. A frame that fits the engine's
   * record capacity ({@link TlsRecordAlignment#JDK_TLS13_MAX_RECORD_DATA}) travels in exactly one
   * record; a larger one (B > 16359) is cut into equal parts that fit, the same for every block:
   * 16380 = 2 x 8190 for B = 16376.
   *
   * @return whether the pipeline had an SslHandler
   */
  public static boolean alignRecordsToFrames(ChannelPipeline pipeline, int frameSize) {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl == null) {
      return false;
    }
    ssl.setWrapDataSize(TlsRecordAlignment.chunkSize(frameSize));
    return true;
  }
}
