package org.sealpost.relay.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
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

  /**
   * Checks that {@code cert} holds a PEM X.509 certificate and {@code key} a PEM private key
   * (PKCS#8, or PKCS#1 RSA / SEC1 EC) that belongs to it, so that a damaged file is named at start
   * rather than surfacing as "cannot listen".
   *
   * @throws RelayStartupException with {@link StartupError#TLS}, naming the file at fault
   */
  public static void validate(Path cert, Path key) {
    X509Certificate certificate = readCertificate(cert);
    PrivateKey privateKey = readPrivateKey(key);
    String algorithm =
        switch (privateKey.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return; // a type we cannot test-sign with; the TLS engine will judge it
    }
    try {
      byte[] probe = "sealpost tls key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new GeneralSecurityException("mismatch");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new RelayStartupException(
          StartupError.TLS,
          "TLS key file " + key + " does not belong to the certificate in " + cert,
          e);
    }
  }

  private static X509Certificate readCertificate(Path cert) {
    try (InputStream in = Files.newInputStream(cert)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (c instanceof X509Certificate x) {
        return x;
      }
      throw new CertificateException("not X.509");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new RelayStartupException(
          StartupError.TLS, "TLS certificate file " + cert + " is not a valid PEM certificate", e);
    }
  }

  private static PrivateKey readPrivateKey(Path key) {
    try (PEMParser parser =
        new PEMParser(Files.newBufferedReader(key, StandardCharsets.US_ASCII))) {
      Object pem = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (pem instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (pem instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IOException("no private key");
    } catch (IOException | RuntimeException e) {
      // the message names the file only: a parser's message could quote key material
      throw new RelayStartupException(
          StartupError.TLS, "TLS key file " + key + " is not a valid private key", null);
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
