package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sealpost} jar as real processes: the README's two-terminal walk-through, and the
 * one-line errors with their exit codes.
 */
class CliProcessIT {
  private static final Path JAR = Path.of("target", "sealpost.jar");

  @TempDir Path tmp;

  private final List<Process> relays = new ArrayList<>();

  record Result(int exitCode, String out, String err) {}

  @AfterEach
  void stopRelays() throws InterruptedException {
    for (Process p : relays) {
      p.destroy(); // SIGTERM: graceful shutdown
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void readmeWalkThroughCreateAddressSendReceive() throws Exception {
    Path home = Files.createDirectory(tmp.resolve("home"));
    String relayAddress = startRelay(tmp.resolve("data"));

    Result created = run(home, "mailbox", "create", relayAddress);
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("created mailbox 'inbox'");

    Result address = run(home, "mailbox", "address");
    assertThat(address.exitCode()).as(address.err()).isZero();
    String mailboxAddress = address.out().strip();
    assertThat(mailboxAddress).startsWith(relayAddress + "/m/").doesNotContain("\n");
    assertThat(created.out()).contains(mailboxAddress);

    Result sent = run(home, "send", mailboxAddress, "Hello", "from", "the", "other", "terminal");
    assertThat(sent.exitCode()).as(sent.err()).isZero();

    Result received = run(home, "receive");
    assertThat(received.exitCode()).as(received.err()).isZero();
    assertThat(received.out())
        .contains("[inbox] from ")
        .contains(": Hello from the other terminal");

    Result again = run(home, "receive");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).contains("0 messages");

    Result list = run(home, "mailbox", "list");
    assertThat(list.out()).contains("inbox").contains("secured");
    Path keystore = home.resolve(".sealpost").resolve("keystore.json");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keystore)))
        .isEqualTo("rw-------");

    Result deleted = run(home, "mailbox", "delete", "inbox");
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    Result sendToDeleted = run(home, "send", mailboxAddress, "anyone there?");
    assertThat(sendToDeleted.exitCode()).isEqualTo(Failures.FAILED);
    assertOneLineError(sendToDeleted, "no such mailbox");
  }

  @Test
  void clearOneLineErrorsWithDistinctExitCodes() throws Exception {
    Path home = Files.createDirectory(tmp.resolve("home"));
    String relayAddress = startRelay(tmp.resolve("data"), "--queue-quota", "1");
    String mailboxAddress =
        run(home, "mailbox", "create", relayAddress).out().lines().reduce((a, b) -> b).get();

    Result badAddress = run(home, "send", "sealpost://not-an-address", "x");
    assertThat(badAddress.exitCode()).isEqualTo(Failures.BAD_ADDRESS);
    assertOneLineError(badAddress, "bad address");

    int closedPort;
    try (var s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String unreachable = relayAddress.replaceAll(":\\d+$", ":" + closedPort);
    Result noRelay = run(home, "mailbox", "create", unreachable, "--name", "other");
    assertThat(noRelay.exitCode()).isEqualTo(Failures.UNREACHABLE);
    assertOneLineError(noRelay, "relay unreachable");

    // the same host and port with somebody else's key
    String wrongKey =
        relayAddress.replaceFirst(
            "://[A-Za-z0-9_-]{43}@",
            "://"
                + java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                        org.sealpost.proto.crypto.X25519KeyPair.generate(
                                org.sealpost.proto.crypto.RandomSource.secure())
                            .publicKey())
                + "@");
    Result impostor = run(home, "mailbox", "create", wrongKey, "--name", "other");
    assertThat(impostor.exitCode()).isEqualTo(Failures.HANDSHAKE);
    assertOneLineError(impostor, "wrong relay key");

    assertThat(run(home, "send", mailboxAddress, "first").exitCode()).isZero();
    Result full = run(home, "send", mailboxAddress, "second");
    assertThat(full.exitCode()).isEqualTo(Failures.QUEUE_FULL);
    assertOneLineError(full, "queue full");
  }

  @Test
  void demoShowsTheRelaysViewBesideWhatTheRecipientRead() throws Exception {
    Result demo = run(Files.createDirectory(tmp.resolve("home")), "demo");

    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out())
        .contains("WHAT THE RELAY COULD SEE")
        .contains("WHAT BOB READ")
        .contains("\"Hi Bob! Lunch at noon?\"")
        .contains("sizes seen: {16359=")
        .contains("of 12+ bytes? no")
        .contains("Alice's identity key? no");
  }

  private static void assertOneLineError(Result r, String text) {
    assertThat(r.err().strip()).startsWith("error: ").contains(text).doesNotContain("\n");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  /** Starts {@code sealpost relay} on free ports; returns the relay address it prints. */
  private String startRelay(Path dataDir, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(
        List.of(
            "relay",
            "--data-dir",
            dataDir.toString(),
            "--listen-port",
            "0",
            "--admin-port",
            "0",
            "--public-host",
            "127.0.0.1"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    relays.add(p);
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> address =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  if (line.startsWith("relay address: ")) {
                    return line.substring("relay address: ".length()).strip();
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("the relay ended without printing its address");
            });
    String found = address.get(60, TimeUnit.SECONDS);
    // keep draining so the relay never blocks on a full pipe
    Thread drain =
        new Thread(
            () -> {
              try {
                while (reader.readLine() != null) {
                  // discard
                }
              } catch (IOException e) {
                // the relay exited
              }
            });
    drain.setDaemon(true);
    drain.start();
    return found;
  }

  /** Runs one {@code sealpost} command with {@code home} as the user's home directory. */
  private Result run(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(java());
    cmd.add(1, "-Duser.home=" + home);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("sealpost " + String.join(" ", args) + " did not finish");
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> java() {
    return new ArrayList<>(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            JAR.toAbsolutePath().toString()));
  }
}
