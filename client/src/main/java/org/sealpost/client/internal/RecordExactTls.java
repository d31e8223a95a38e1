package org.sealpost.client.internal;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.sealpost.client.ClientTlsEngine;

/**
 * The client's TLS engine: BoringSSL (netty-tcnative) where it loads, else Bouncy Castle's JSSE
 * provider (its AES-GCM runs on the JDK's own ciphers) — never the JDK's. The JDK's TLS 1.3 engine
 * appends 16 zero bytes of record padding to every record and carries at most 16,367 bytes of data
 * in one, so a block's record would be B + 41 bytes and a block of the default size barely fits;
 * BoringSSL and Bouncy Castle pad nothing and carry up to the 16,384 bytes TLS allows. Each block
 * then travels in exactly one record of B + 25 bytes (8-byte masked WebSocket header, content type
 * byte, 16-byte tag), the record any conforming client sends (docs/decisions.md, "Client TLS
 * engine"). Neither engine resumes a session: a resumed session would link a client's connections.
 */
public final class RecordExactTls extends SSLEngineOptions {
  /** TLS 1.3's limit on the data in one record (RFC 8446 §5.1), which Bouncy Castle reaches. */
  public static final int MAX_RECORD_DATA = 16_384;

  /** Bytes a TLS 1.3 record adds to its data, without padding: content type and AEAD tag. */
  public static final int RECORD_OVERHEAD = 1 + 16;

  private final ClientTlsEngine engine;

  public RecordExactTls(ClientTlsEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** Whether {@code engine} means BoringSSL here; fails for OPENSSL when it does not load. */
  static boolean usesOpenSsl(ClientTlsEngine engine) {
    return switch (engine) {
      case BOUNCY_CASTLE -> false;
      case AUTO -> OpenSsl.isAvailable();
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException(
              "TLS engine OPENSSL: BoringSSL (netty-tcnative) does not load here: "
                  + OpenSsl.unavailabilityCause());
        }
        yield true;
      }
    };
  }

  @Override
  public SSLEngineOptions copy() {
    return new RecordExactTls(engine);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new Factory(usesOpenSsl(engine));
  }

  /**
   * BC's TLS crypto on the JDK's providers. Netty initialises the context without a SecureRandom,
   * and BC would then ask the providers for one named "DEFAULT", which only BC's own provider has:
   * take the JDK's default instead.
   */
  private static final class JdkRandomCrypto extends JcaTlsCryptoProvider {
    @Override
    public JcaTlsCrypto create(SecureRandom random) {
      return super.create(random != null ? random : new SecureRandom());
    }

    @Override
    public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
      return super.create(
          keyRandom != null ? keyRandom : new SecureRandom(),
          nonceRandom != null ? nonceRandom : new SecureRandom());
    }
  }

  /**
   * Collects what Vert.x configures (client side only) and builds a Netty context on BoringSSL or
   * on BCJSSE.
   */
  private static final class Factory implements SslContextFactory {
    private final boolean openSsl;
    private SNIServerName serverName;
    private String endpointIdentification;
    private Set<String> protocols;
    private Set<String> cipherSuites;
    private TrustManagerFactory trust;

    Factory(boolean openSsl) {
      this.openSsl = openSsl;
    }

    @Override
    public SslContextFactory forClient(SNIServerName serverName, String endpointIdentification) {
      this.serverName = serverName;
      this.endpointIdentification = endpointIdentification;
      return this;
    }

    @Override
    public SslContextFactory enabledProtocols(Set<String> protocols) {
      this.protocols = protocols;
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
      this.cipherSuites = cipherSuites;
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory trust) {
      this.trust = trust;
      return this;
    }

    @Override
    public SslContext create() throws SSLException {
      SslContextBuilder builder = SslContextBuilder.forClient().trustManager(trust);
      if (openSsl) {
        builder.sslProvider(SslProvider.OPENSSL);
      } else {
        builder
            .sslProvider(SslProvider.JDK)
            .sslContextProvider(new BouncyCastleJsseProvider(false, new JdkRandomCrypto()));
      }
      if (cipherSuites != null && !cipherSuites.isEmpty()) {
        builder.ciphers(cipherSuites);
      }
      if (protocols != null && !protocols.isEmpty()) {
        builder.protocols(protocols);
      }
      if (serverName != null) {
        builder.serverName(serverName);
      }
      if (endpointIdentification != null) {
        builder.endpointIdentificationAlgorithm(endpointIdentification);
      }
      SslContext context = builder.build();
      if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
        // no client session cache: no ticket is kept, so every connection is a full handshake
        sessions.setSessionCacheEnabled(false);
      }
      return context;
    }
  }
}
