package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.crypto.TlsCertificates;

/** {@code RelayMain} in a child JVM: start-up output, dump protection, SIGTERM, bad config. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayMainIT {
  @TempDir Path tmp;

  private static final class Child {
    final Process process;
    final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    final List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());

    Child(List<String> jvmFlags, List<String> args) throws IOException {
      this(jvmFlags, args, System.getProperty("java.class.path"));
    }

    Child(List<String> jvmFlags, List<String> args, String classPath) throws IOException {
      this(List.of(), jvmFlags, args, classPath);
    }

    /**
     * @param launcher a command the JVM is started through, e.g. {@code nohup}
     */
    Child(List<String> launcher, List<String> jvmFlags, List<String> args, String classPath)
        throws IOException {
      List<String> cmd = new ArrayList<>(launcher);
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmFlags);
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add(RelayMain.class.getName());
      cmd.addAll(args);
      process = new ProcessBuilder(cmd).start();
      drain(process.getInputStream(), out::add);
      drain(process.getErrorStream(), err::add);
    }

    private static void drain(InputStream in, java.util.function.Consumer<String> sink) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    sink.accept(line);
                  }
                } catch (IOException e) {
                  // the process ended
                }
              });
      t.setDaemon(true);
      t.start();
    }

    final List<String> seen = new ArrayList<>();

    /** Sends SIGHUP to the child. */
    void hangUp() throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start();
      assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Waits up to 30 s, or until the child exits, for a stderr line starting with {@code prefix}
     * (stderr is read by a thread of its own); the caller asserts what it expects.
     */
    void awaitErr(String prefix) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (err.stream().noneMatch(l -> l.startsWith(prefix))
          && process.isAlive()
          && System.nanoTime() < until) {
        Thread.sleep(20);
      }
    }

    /**
     * SIGTERM through the handle ({@code Process.destroy()} would also close our end of the pipes),
     * then the graceful stop's two lines and exit code 0.
     */
    void stopGracefully() throws InterruptedException {
      assertThat(process.toHandle().destroy()).isTrue();
      awaitLine("shutting down");
      awaitLine("stopped");
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(RelayMain.EXIT_OK);
    }

    String awaitLine(String prefix) throws InterruptedException {
      while (true) {
        String line = out.poll(60, TimeUnit.SECONDS);
        assertThat(line)
            .as("stdout line starting with '%s' after %s; stderr %s", prefix, seen, err)
            .isNotNull();
        seen.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
  }

  @Test
  void startsPrintsItsAddressRefusesHeapDumpsAndStopsGracefullyOnSigterm() throws Exception {
    Path data = tmp.resolve("data");
    Child child = new Child(List.of("-XX:+HeapDumpOnOutOfMemoryError", "-Xmx256m"), args(data));
    try {
      String address = child.awaitLine("relay address: ");
      assertThat(address)
          .matches("relay address: sealpost://[A-Za-z0-9_-]{43}@127\\.0\\.0\\.1:\\d+");
      String listening = child.awaitLine("listening on ");
      assertThat(listening).endsWith("(TLS 1.3, BoringSSL)");
      String admin = child.awaitLine("admin on ");
      Matcher m = Pattern.compile("admin on http://127\\.0\\.0\\.1:(\\d+)").matcher(admin);
      assertThat(m.matches()).isTrue();
      int adminPort = Integer.parseInt(m.group(1));

      HttpURLConnection ready =
          (HttpURLConnection) new URL("http://127.0.0.1:" + adminPort + "/ready").openConnection();
      assertThat(ready.getResponseCode()).isEqualTo(200);
      assertThat(child.err)
          .anySatisfy(l -> assertThat(l).contains("turned off -XX:+HeapDumpOnOutOfMemoryError"));
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(data.resolve("relay-key.pem"))))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      // issue 13: the relay sized its heap's free share itself (HeapSizing)
      assertThat(vmFlags(child.process.pid()))
          .contains("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30")
          .contains("-XX:G1PeriodicGCInterval=300000");

      child.stopGracefully();
    } finally {
      child.process.destroyForcibly();
    }
  }

  /** A running JVM's flags as {@code jcmd <pid> VM.flags} prints them. */
  private static String vmFlags(long pid) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "VM.flags")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /**
   * Hardened hosts mount the temporary directory {@code noexec}, where Netty cannot load BoringSSL;
   * the relay has Netty unpack it beside RocksDB's cached library instead (NativeWorkdir).
   */
  @Test
  void boringSslServesTlsWhereTheTemporaryDirectoryIsNoexec() throws Exception {
    Path noexec = Files.createDirectory(tmp.resolve("noexec"));
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    Assumptions.assumeTrue(
        mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "mounting a tmpfs needs root and a mount namespace that allows it");
    try {
      Path home = Files.createDirectory(tmp.resolve("home"));
      Child child =
          new Child(
              List.of("-Xmx256m", "-Djava.io.tmpdir=" + noexec, "-Duser.home=" + home),
              args(tmp.resolve("data")));
      try {
        assertThat(child.awaitLine("listening on ")).endsWith("(TLS 1.3, BoringSSL)");
        try (var left = Files.list(home.resolve(".cache/sealpost/netty-native"))) {
          assertThat(left.toList()).as("Netty removes its copy once loaded").isEmpty();
        }
        assertThat(child.err).noneMatch(l -> l.contains("cannot be executed"));
      } finally {
        child.stopGracefully();
      }
    } finally {
      new ProcessBuilder("umount", noexec.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The arguments of a relay on 127.0.0.1 with free ports and the given data directory. */
  private static List<String> args(Path data, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data-dir", data.toString(),
                "--listen-host", "127.0.0.1",
                "--listen-port", "0",
                "--public-host", "127.0.0.1",
                "--admin-port", "0",
                "--event-loops", "1"));
    args.addAll(List.of(more));
    return args;
  }

  /** Runs the relay to its exit (it must refuse to start) and returns its stderr. */
  private static String refusedStart(List<String> args) throws Exception {
    return refusedStart(args, System.getProperty("java.class.path"));
  }

  /**
   * The class path without the test classes, whose service file names the test's echo application:
   * the child then runs the real protocol application with its store.
   */
  private static String productionClassPath() {
    return java.util.Arrays.stream(
            System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static String refusedStart(List<String> args, String classPath) throws Exception {
    Child child = new Child(List.of(), args, classPath);
    try {
      assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue())
          .as("stderr %s", child.err)
          .isEqualTo(RelayMain.EXIT_START);
      child.process.getErrorStream().close();
      Thread.sleep(100); // let the drain thread take the last line
      return String.join("\n", child.err);
    } finally {
      child.process.destroyForcibly();
    }
  }

  /** Initialises {@code data} as the relay would on its first start; returns the address key. */
  private static String initialise(Path data) {
    org.sealpost.relay.process.DataDirectory dir =
        org.sealpost.relay.process.DataDirectory.open(data);
    byte[] pub =
        new org.sealpost.relay.crypto.RelayKeyStore(new java.security.SecureRandom())
            .load(dir, true)
            .publicKey();
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(pub);
  }

  @Test
  void aNonEmptyForeignDirectoryIsRefusedWhateverItsMode() throws Exception {
    for (String mode : List.of("rwx------", "rwxr-xr-x")) {
      Path foreign = Files.createDirectory(tmp.resolve("foreign-" + mode.hashCode()));
      Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString(mode));
      Files.writeString(foreign.resolve("notes.txt"), "mine");
      String err = refusedStart(args(foreign));
      assertThat(err)
          .contains("cannot start: data directory " + foreign)
          .contains("not a Sealpost data directory");
      assertThat(err.lines().filter(l -> !l.startsWith("warning: "))).hasSize(1);
      try (var entries = Files.list(foreign)) {
        assertThat(entries).containsExactly(foreign.resolve("notes.txt"));
      }
    }
  }

  @Test
  void aMissingRelayKeyIsRefusedUnlessToldToInitialise() throws Exception {
    Path data = tmp.resolve("data");
    String oldKey = initialise(data);
    Files.delete(data.resolve("relay-key.pem"));

    String err = refusedStart(args(data));
    assertThat(err).contains("relay key").contains("is missing").contains("--data-dir-initialise");
    assertThat(err.lines().filter(l -> !l.startsWith("warning: "))).hasSize(1);
    assertThat(data.resolve("relay-key.pem")).doesNotExist();

    Child child = new Child(List.of(), args(data, "--data-dir-initialise"));
    try {
      String address = child.awaitLine("relay address: ");
      assertThat(address).startsWith("relay address: sealpost://").doesNotContain(oldKey);
      assertThat(data.resolve("relay-key.pem")).exists();
      assertThat(child.process.toHandle().destroy()).isTrue();
      assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.process.destroyForcibly();
    }
  }

  @Test
  void aDamagedRelayKeyIsRefusedAndNeverReplaced() throws Exception {
    Path data = tmp.resolve("data");
    initialise(data);
    Path keyFile = data.resolve("relay-key.pem");
    List<String> lines = Files.readAllLines(keyFile);
    // one character flipped inside the 32 key bytes (they start at base64 character 22)
    char[] body = lines.get(1).toCharArray();
    body[40] = body[40] == 'A' ? 'B' : 'A';
    lines.set(1, new String(body));
    Files.write(keyFile, lines);
    byte[] damaged = Files.readAllBytes(keyFile);

    String err = refusedStart(args(data, "--data-dir-initialise"));
    assertThat(err).contains("relay key " + keyFile).contains("damaged");
    assertThat(err.lines().filter(l -> !l.startsWith("warning: "))).hasSize(1);
    assertThat(Files.readAllBytes(keyFile)).isEqualTo(damaged);
  }

  @Test
  void aStoreErrorAtStartNamesItsCauseNotItsClass() throws Exception {
    Path data = tmp.resolve("data");
    initialise(data);
    org.sealpost.proto.files.PrivateFiles.write(
        data.resolve("store.key"), new byte[] {1, 2, 3, 4, 5});
    String err = refusedStart(args(data), productionClassPath());
    assertThat(err)
        .contains("cannot start: relay application failed to start: ")
        .contains("master key")
        .doesNotContain("MailboxException");
  }

  @Test
  void aCorruptTlsKeyIsNamedAtStart() throws Exception {
    Path tls = Files.createDirectory(tmp.resolve("tls"));
    Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwx------"));
    var paths =
        new org.sealpost.relay.crypto.TlsCertificates(
                new java.security.SecureRandom(), java.time.Clock.systemUTC())
            .loadOrCreateSelfSigned(tls, "127.0.0.1");
    List<String> key = Files.readAllLines(paths.privateKey());
    key.set(1, "AAAA" + key.get(1).substring(4));
    Files.write(paths.privateKey(), key);

    String err =
        refusedStart(
            args(
                tmp.resolve("data"),
                "--tls-cert",
                paths.certificate().toString(),
                "--tls-key",
                paths.privateKey().toString()));
    assertThat(err)
        .contains(
            "cannot start: TLS key file " + paths.privateKey() + " is not a valid private key")
        .doesNotContain("cannot listen");
  }

  // issue 12: SIGHUP reloads the certificate and the information page, warns about the rest
  @Test
  void sighupServesTheNewCertificateAndPageAndWarnsAboutSettingsThatNeedARestart()
      throws Exception {
    TlsCertificates certs = new TlsCertificates(new SecureRandom(), Clock.systemUTC());
    TlsCertificates.CertificatePaths first =
        certs.loadOrCreateSelfSigned(Files.createDirectories(tmp.resolve("a")), "127.0.0.1");
    TlsCertificates.CertificatePaths second =
        certs.loadOrCreateSelfSigned(Files.createDirectories(tmp.resolve("b")), "127.0.0.1");
    Path cert = tmp.resolve("cert.pem");
    Path key = tmp.resolve("key.pem");
    Files.copy(first.certificate(), cert);
    Files.copy(first.privateKey(), key);
    Path conf = tmp.resolve("relay.properties");
    String base =
        "data-dir = "
            + tmp.resolve("data")
            + "\nlisten.host = 127.0.0.1\nlisten.port = 0\npublic-host = 127.0.0.1\n"
            + "admin.port = 0\nevent-loops = 2\ntls.cert = "
            + cert
            + "\ntls.key = "
            + key
            + "\n";
    Files.writeString(conf, base + "info.name = Before reload\n");
    Child child = new Child(List.of(), List.of("--config", conf.toString()));
    try {
      String listening = child.awaitLine("listening on ");
      int port =
          Integer.parseInt(listening.replaceAll("listening on 127\\.0\\.0\\.1:(\\d+) .*", "$1"));
      String admin = child.awaitLine("admin on ");
      int adminPort = Integer.parseInt(admin.substring(admin.lastIndexOf(':') + 1));
      assertThat(servedCertificate(port)).isEqualTo(pem(first.certificate()));
      assertThat(page(port)).contains("<h1>Before reload</h1>");

      // a runner started under nohup passes an ignored SIGHUP on to every process it starts;
      // there the relay cannot be reloaded by signal (the nohup test below covers that case)
      assumeThat(child.err)
          .as("this test's environment ignores SIGHUP (nohup?), so the relay cannot handle it")
          .noneMatch(l -> l.startsWith("warning: SIGHUP is ignored"));
      // the certificate renewed in place, the page's text and a setting read only at start changed
      Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(conf, base + "info.name = After reload\nqueue.quota = 7\n");
      child.hangUp();
      child.awaitErr("SIGHUP: reloaded: TLS certificate");
      assertThat(child.process.isAlive()).isTrue();
      assertThat(child.err)
          .contains("SIGHUP: reloaded: TLS certificate " + cert)
          .contains(
              "SIGHUP: warning: not applied until a restart (read only at start): queue.quota");
      // every listener instance (two event loops) serves the new certificate
      for (int i = 0; i < 6; i++) {
        assertThat(servedCertificate(port)).isEqualTo(pem(second.certificate()));
      }
      assertThat(page(port)).contains("<h1>After reload</h1>");
      HttpURLConnection ready =
          (HttpURLConnection) new URL("http://127.0.0.1:" + adminPort + "/ready").openConnection();
      assertThat(ready.getResponseCode()).isEqualTo(200);

      // an invalid configuration is refused and the relay keeps running
      Files.writeString(conf, base + "queue.quota = many\n");
      child.hangUp();
      child.awaitErr("SIGHUP: configuration refused");
      assertThat(child.err)
          .anySatisfy(l -> assertThat(l).startsWith("SIGHUP: configuration refused"));
      assertThat(servedCertificate(port)).isEqualTo(pem(second.certificate()));

      child.stopGracefully();
    } finally {
      child.process.destroyForcibly();
    }
  }

  @Test
  void aRelayStartedWithSighupIgnoredSaysThatReloadingBySignalIsOff() throws Exception {
    // nohup starts the JVM with SIGHUP ignored; the JVM then cannot handle it at all
    Child child =
        new Child(
            List.of("nohup"),
            List.of("-Xmx256m"),
            args(tmp.resolve("data")),
            System.getProperty("java.class.path"));
    try {
      child.awaitLine("listening on ");
      child.awaitErr("warning: SIGHUP is ignored");
      assertThat(child.err)
          .contains(
              "warning: SIGHUP is ignored in this process (started under nohup, or by a parent"
                  + " that ignores it): reloading by signal is off; restart to apply a changed"
                  + " configuration");
      // a SIGHUP changes nothing and the relay runs on; SIGTERM still stops it gracefully
      child.hangUp();
      Thread.sleep(500);
      assertThat(child.process.isAlive()).isTrue();
      assertThat(child.err).noneMatch(l -> l.startsWith("SIGHUP:"));
      child.stopGracefully();
    } finally {
      child.process.destroyForcibly();
    }
  }

  /** The DER bytes of the first certificate in a PEM file. */
  private static byte[] pem(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
    }
  }

  private static SSLSocket tls(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(null, new TrustManager[] {new AcceptAny()}, new SecureRandom());
    SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    socket.startHandshake();
    return socket;
  }

  /** The certificate a new TLS connection to the listener is served. */
  private static byte[] servedCertificate(int port) throws Exception {
    try (SSLSocket socket = tls(port)) {
      return socket.getSession().getPeerCertificates()[0].getEncoded();
    }
  }

  /**
   * GET / on the listener: the whole response. The request asks the relay to close the connection
   * after it; otherwise the connection, never upgraded, stays open until the handshake deadline.
   */
  private static String page(int port) throws Exception {
    try (SSLSocket socket = tls(port)) {
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Test only: the certificates are compared byte for byte instead. */
  private static final class AcceptAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Test
  void anAdminPortEqualToTheListenerPortExitsWithCode2() throws Exception {
    Child child =
        new Child(
            List.of(),
            List.of(
                "--data-dir", tmp.resolve("data").toString(),
                "--listen-port", "18443",
                "--admin-port", "18443"));
    assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process.exitValue()).isEqualTo(RelayMain.EXIT_CONFIG);
    child.process.getErrorStream().close();
    assertThat(String.join("\n", child.err)).contains("admin.port").contains("listen.port 18443");
  }

  @Test
  void aBadSettingExitsWithCode2AndNamesTheSetting() throws Exception {
    Child child =
        new Child(
            List.of(),
            List.of("--data-dir", tmp.resolve("data").toString(), "--listen-port", "99999"));
    assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process.exitValue()).isEqualTo(RelayMain.EXIT_CONFIG);
    child.process.getErrorStream().close();
    assertThat(String.join("\n", child.err)).contains("listen.port").contains("99999");
    assertThat(tmp.resolve("data")).doesNotExist();
  }
}
