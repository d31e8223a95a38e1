package org.sealpost.relay.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.StartupError;

class RelayFilesTest {
  private final SecureRandom random = new SecureRandom();

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void relayKeyIsGeneratedOnceOwnerOnlyAndReusedOnRestart(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("data");
    PrivateFiles.ensurePrivateDirectory(data);
    assertThat(mode(data)).isEqualTo("rwx------");

    X25519KeyPair first = new RelayKeyStore(random).loadOrCreate(data);
    Path file = data.resolve(RelayKeyStore.FILE_NAME);
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    byte[] before = Files.readAllBytes(file);

    X25519KeyPair second = new RelayKeyStore(random).loadOrCreate(data);
    assertThat(second.publicKey()).isEqualTo(first.publicKey());
    assertThat(second.privateKey()).isEqualTo(first.privateKey());
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(first.publicKey()).hasSize(32).isNotEqualTo(first.privateKey());
    assertThat(first.toString())
        .doesNotContain(Base64.getEncoder().encodeToString(first.privateKey()));
  }

  @Test
  void publicKeyMatchesTheJdkX25519OfThePrivateKey(@TempDir Path tmp) throws Exception {
    X25519KeyPair key = new RelayKeyStore(random).loadOrCreate(tmp);
    // independent check with the JDK's XDH: the key file is standard PKCS#8
    String pem = Files.readString(tmp.resolve(RelayKeyStore.FILE_NAME));
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    java.security.KeyFactory kf = java.security.KeyFactory.getInstance("XDH");
    java.security.PrivateKey priv =
        kf.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("X25519");
    java.security.KeyPair other = kpg.generateKeyPair();
    javax.crypto.KeyAgreement a = javax.crypto.KeyAgreement.getInstance("XDH");
    a.init(priv);
    a.doPhase(other.getPublic(), true);
    byte[] viaJdk = a.generateSecret();
    // the same secret from the other side needs our public key: rebuild it from raw bytes
    byte[] raw = key.publicKey();
    byte[] reversed = new byte[32];
    for (int i = 0; i < 32; i++) {
      reversed[i] = raw[31 - i];
    }
    java.security.PublicKey ours =
        kf.generatePublic(
            new java.security.spec.XECPublicKeySpec(
                java.security.spec.NamedParameterSpec.X25519,
                new java.math.BigInteger(1, reversed)));
    javax.crypto.KeyAgreement b = javax.crypto.KeyAgreement.getInstance("XDH");
    b.init(other.getPrivate());
    b.doPhase(ours, true);
    assertThat(b.generateSecret()).isEqualTo(viaJdk);
  }

  @Test
  void aKeyFileOpenToOthersIsRefused(@TempDir Path tmp) throws IOException {
    new RelayKeyStore(random).loadOrCreate(tmp);
    Path file = tmp.resolve(RelayKeyStore.FILE_NAME);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> new RelayKeyStore(random).loadOrCreate(tmp))
        .isInstanceOfSatisfying(
            RelayStartupException.class,
            e -> assertThat(e.error()).isEqualTo(StartupError.RELAY_KEY))
        .hasMessageContaining("chmod 600");
  }

  @Test
  void aCorruptKeyFileIsRefusedWithoutEchoingIt(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve(RelayKeyStore.FILE_NAME);
    PrivateFiles.write(file, "not a key\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> new RelayKeyStore(random).loadOrCreate(tmp))
        .isInstanceOf(RelayStartupException.class)
        .hasMessageContaining(RelayKeyStore.FILE_NAME)
        .message()
        .doesNotContain("not a key");
  }

  @Test
  void aDataDirectoryOpenToOthersIsRefused(@TempDir Path tmp) throws IOException {
    Path data = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> PrivateFiles.ensurePrivateDirectory(data))
        .hasMessageContaining("chmod 700");
  }

  @Test
  void selfSignedCertificateIsGeneratedOnceOwnerOnlyAndReused(@TempDir Path tmp) throws Exception {
    TlsCertificates tls = new TlsCertificates(random, Clock.systemUTC());
    TlsCertificates.CertificatePaths first = tls.loadOrCreateSelfSigned(tmp, "relay.example");
    assertThat(mode(first.certificate())).isEqualTo("rw-------");
    assertThat(mode(first.privateKey())).isEqualTo("rw-------");
    byte[] certBytes = Files.readAllBytes(first.certificate());
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certBytes));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=relay.example");
    cert.verify(cert.getPublicKey());
    cert.checkValidity();

    TlsCertificates.CertificatePaths second = tls.loadOrCreateSelfSigned(tmp, "relay.example");
    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(second.certificate())).isEqualTo(certBytes);
  }
}
