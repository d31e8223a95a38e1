package org.sealpost.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost demo}: a relay and two people in one process. Alice sends Bob three messages of
 * very different lengths; the output shows, side by side, what the relay (and anyone on the wire)
 * could see and what Bob read.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start a relay and two clients in this process, exchange messages, and show what the"
            + " relay could see next to what the recipient read.")
final class DemoCommand implements Runnable {
  private static final int LEFT = 62;
  private static final String LONG_TEXT =
      "A longer letter. "
          + "Sealpost pads every message into an envelope of one fixed size, ".repeat(20)
          + "so the relay cannot tell this one from a two-letter reply.";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    Path dataDir = null;
    try {
      dataDir = Files.createTempDirectory("sealpost-demo-");
      runDemo(out, dataDir);
    } catch (IOException e) {
      throw new CliException(
          "cannot create a temporary directory (" + e.getClass().getSimpleName() + ")",
          Failures.FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", Failures.FAILED);
    } finally {
      if (dataDir != null) {
        deleteTree(dataDir);
      }
    }
  }

  private void runDemo(PrintWriter out, Path dataDir) throws IOException, InterruptedException {
    out.println("Sealpost demo: one relay, Alice and Bob, all in this process.");
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataDir, false, Map.of());
        WireTap tap = new WireTap("127.0.0.1", relay.port(), true);
        SealpostClient bobClient = Clients.oneShot();
        SealpostClient aliceClient = Clients.oneShot()) {
      RelayAddress address = relay.addressVia(tap.port());
      out.println("relay: " + address.authority() + " (data in a temporary directory)");
      out.println(
          "Everything between the clients and the relay passes a wire tap, which sees what a"
              + " TLS-terminating proxy or the relay's operator sees.");
      out.println();

      RelayConnection bob = Clients.await(bobClient.connect(address));
      Mailbox inbox = Clients.await(bob.secure(Clients.await(bob.createMailbox())));
      MailboxAddress inboxAddress = inbox.address();
      out.println(
          "Bob creates a mailbox, secures it with a send token, and gives Alice its address.");

      X25519KeyPair alice = aliceClient.newIdentity();
      List<String> texts = List.of("Hi Bob! Lunch at noon?", "ok", LONG_TEXT);
      RelayConnection aliceConnection = Clients.await(aliceClient.connect(address));
      for (String text : texts) {
        Clients.await(
            aliceConnection.send(inboxAddress, text.getBytes(StandardCharsets.UTF_8), alice));
      }
      out.println("Alice sends " + texts.size() + " messages; the relay stores them for Bob.");

      BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
      Clients.await(bob.subscribe(inbox, received::add));
      List<ReceivedMessage> read = new ArrayList<>();
      while (read.size() < texts.size()) {
        ReceivedMessage m = received.poll(30, TimeUnit.SECONDS);
        if (m == null) {
          throw new CliException("the demo's messages did not arrive in time", Failures.FAILED);
        }
        read.add(m);
      }
      out.println("Bob subscribes and reads them; each is deleted from the relay once read.");
      out.println();

      int e = relay.config().envelopeSize();
      row(out, "WHAT THE RELAY COULD SEE", "WHAT BOB READ");
      row(out, "-".repeat(LEFT - 2), "-".repeat(44));
      for (ReceivedMessage m : read) {
        row(
            out,
            "Send to queue " + shortId(inboxAddress.senderId()) + ": envelope of " + e + " B",
            "from Alice (" + shortId(m.senderIdentity()) + "): " + shortText(m.content()));
        row(
            out,
            "  sender: none; length: none; content: ciphertext",
            "  " + m.content().length + " bytes");
      }
      row(
          out,
          "Subscribe/Ack on queue " + shortId(inbox.recipientId()),
          "(Alice's key as Bob's client authenticated it)");
      row(out, "  (another random ID: not linkable to the one above)", "");
      out.println();

      Map<Integer, Long> sizes =
          tap.observations().stream()
              .collect(
                  Collectors.groupingBy(
                      WireTap.Observation::length, TreeMap::new, Collectors.counting()));
      out.println(
          "On the wire: "
              + tap.observations().size()
              + " WebSocket messages on "
              + tap.connections()
              + " connections; sizes seen: "
              + sizes
              + " (B = "
              + relay.config().blockSize()
              + ": every message, handshake included, has the same length).");
      out.println(
          // "ok" is too short to search for: it occurs by chance in binary files
          "In the relay's files: the text of any message of 12+ bytes? "
              + (containsAny(dataDir, texts.stream().filter(t -> t.length() >= 12).toList())
                  ? "YES (unexpected)"
                  : "no")
              + ". Alice's identity key? "
              + (containsBytes(dataDir, alice.publicKey()) ? "YES (unexpected)" : "no")
              + ".");
      aliceConnection.close();
      bob.close();
    }
  }

  private static void row(PrintWriter out, String left, String right) {
    String l = left.length() > LEFT - 2 ? left.substring(0, LEFT - 3) + "…" : left;
    out.println(String.format("%-" + LEFT + "s%s", l, right));
  }

  private static String shortId(byte[] id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id).substring(0, 8) + "…";
  }

  private static String shortText(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    return "\"" + (text.length() > 30 ? text.substring(0, 29) + "…" : text) + "\"";
  }

  private static boolean containsAny(Path dir, List<String> texts) throws IOException {
    for (String t : texts) {
      if (containsBytes(dir, t.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsBytes(Path dir, byte[] needle) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    for (Path f : files) {
      byte[] hay;
      try {
        hay = Files.readAllBytes(f);
      } catch (IOException e) {
        continue; // a file RocksDB removed meanwhile
      }
      if (indexOf(hay, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a temporary directory; the system cleans up what is left
                }
              });
    } catch (IOException e) {
      // as above
    }
  }
}
