package org.sealpost.relay.crypto;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.StartupError;

/**
 * The listener's TLS certificate: the operator's, or a self-signed one generated on first start
 * (ECDSA P-256) into the data directory as {@value #CERT_FILE} and {@value #KEY_FILE}, both mode
 * 0600. Clients do not need to trust it: the Noise session authenticates the relay; TLS only makes
 * the traffic look like ordinary HTTPS.
 */
public final class TlsCertificates {
  public static final String CERT_FILE = "tls-cert.pem";
  public static final String KEY_FILE = "tls-key.pem";

  private static final Duration VALIDITY = Duration.ofDays(3650);

  private final SecureRandom random;
  private final Clock clock;

  public TlsCertificates(SecureRandom random, Clock clock) {
    this.random = random;
    this.clock = clock;
  }

  /** PEM paths of a certificate chain and its PKCS#8 private key. */
  public record CertificatePaths(Path certificate, Path privateKey) {}

  /**
   * Returns the generated certificate in {@code dataDir}, creating it first if it does not exist.
   *
   * @param hostName the name put in the certificate's subject and subjectAltName
   */
  public CertificatePaths loadOrCreateSelfSigned(Path dataDir, String hostName) {
    Path cert = dataDir.resolve(CERT_FILE);
    Path key = dataDir.resolve(KEY_FILE);
    try {
      if (Files.exists(cert) && Files.exists(key)) {
        PrivateFiles.requireOwnerOnly(key);
        PrivateFiles.requireOwnerOnly(cert);
        return new CertificatePaths(cert, key);
      }
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = gen.generateKeyPair();
      Instant now = clock.instant();
      X500Name name = new X500Name("CN=" + hostName);
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(127, random).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(VALIDITY)),
              name,
              pair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, hostName)));
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      // key first: a certificate without its key is regenerated on the next start
      PrivateFiles.write(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      PrivateFiles.write(cert, pem("CERTIFICATE", holder.getEncoded()));
      return new CertificatePaths(cert, key);
    } catch (IOException
        | GeneralSecurityException
        | OperatorCreationException
        | IllegalArgumentException e) {
      throw new RelayStartupException(
          StartupError.TLS,
          "TLS certificate in " + dataDir + " cannot be created or read: " + e.getMessage(),
          e);
    }
  }

  private static byte[] pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
