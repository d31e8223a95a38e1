package org.sealpost.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.sealpost.client.AddressChange;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost receive [NAME...] [--follow]}: print what arrived, and acknowledge it. */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description =
        "Print the messages waiting in your mailboxes and delete them from the relay;"
            + " --follow keeps listening.")
final class ReceiveCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin KeystoreOption keystoreOption;
  @Mixin TimingOptions timing;
  @Mixin ProxyOption proxy;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Mailboxes (default: all).")
  List<String> names;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep listening until interrupted.")
  boolean follow;

  @Option(
      names = "--save",
      paramLabel = "DIR",
      description =
          "Write each message to a new file in DIR (mode 0600, never overwriting) instead of"
              + " printing it; a message is deleted from the relay only once its file is on disk.")
  Path saveDir;

  @Option(
      names = "--shared-connection",
      description =
          "With --follow: one connection per relay for all mailboxes. By default each mailbox"
              + " gets its own connection, so the relay cannot tell they belong together.")
  boolean shared;

  // issue 11: two-hop receive
  @Option(
      names = "--via",
      paramLabel = "RELAY",
      description =
          "Receive through a circuit on this first relay, so the mailboxes' relay never sees your"
              + " address (default: the keystore's first relay, if set).")
  String via;

  @Option(
      names = "--direct",
      description = "Receive directly, ignoring the keystore's first relay.")
  boolean direct;

  private RelayAddress firstRelay;
  private Keystore keystore; // issue 12: updated when a relay announces a successor key

  private Optional<MessageFiles> files = Optional.empty();

  @Override
  public void run() {
    Keystore keystore = Keystore.load(keystoreOption.path());
    this.keystore = keystore;
    Map<String, Mailbox> selected = new LinkedHashMap<>();
    if (names == null || names.isEmpty()) {
      selected.putAll(keystore.mailboxes());
    } else {
      for (String n : names) {
        selected.put(n, MailboxCommand.find(keystore, n).getValue());
      }
    }
    if (selected.isEmpty()) {
      throw new CliException(
          "no mailbox yet (create one: sealpost mailbox create <relay-address>)", Failures.FAILED);
    }
    if (direct && via != null) {
      throw new CliException("give --direct or --via, not both", Failures.USAGE);
    }
    if (via != null) {
      firstRelay = SendCommand.relayAddress(via);
    } else if (!direct) {
      firstRelay = keystore.firstRelay().orElse(null);
    }
    PrintWriter out = spec.commandLine().getOut();
    Optional<MessageFiles> files =
        Optional.ofNullable(saveDir).map(d -> MessageFiles.in(d, Clock.systemUTC()));
    this.files = files;
    if (follow) {
      follow(selected, out);
    } else {
      drain(selected, out);
    }
  }

  @SuppressWarnings("try") // issue 12: the notices are only closed (flushed) here
  private void drain(Map<String, Mailbox> selected, PrintWriter out) {
    int count = 0;
    try (SealpostClient client = Clients.oneShot(timing, proxy);
        RelayKeyNotices notices =
            RelayKeyNotices.track(client, keystore, spec.commandLine().getErr())) {
      for (Map.Entry<String, Mailbox> e : selected.entrySet()) {
        // acknowledged only after the handler printed (or saved and synced) the message
        int[] taken = {0};
        MessageHandler show =
            m -> {
              show(out, e.getKey(), m);
              taken[0]++;
            };
        Mailbox mailbox = e.getValue();
        if (throughCircuit(mailbox)) {
          // one circuit per mailbox: the first relay carries nothing that links them
          RelayConnection c = Clients.await(client.connect(mailbox.relay(), firstRelay));
          try {
            while (Clients.await(c.get(mailbox, show))) {
              // the next one
            }
          } finally {
            c.close();
          }
        } else {
          while (Clients.await(client.get(mailbox, show))) {
            // the next one
          }
        }
        count += taken[0];
      }
    }
    spec.commandLine().getErr().println(count + (count == 1 ? " message" : " messages"));
  }

  @SuppressWarnings("try") // issue 12: the notices are only closed (flushed) here
  private void follow(Map<String, Mailbox> selected, PrintWriter out) {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sealpost-receive-stop"));
    List<RelayConnection> dedicated = new ArrayList<>();
    try (SealpostClient client = Clients.longRunning(timing, proxy);
        RelayKeyNotices notices =
            RelayKeyNotices.track(client, keystore, spec.commandLine().getErr())) {
      for (Map.Entry<String, Mailbox> e : selected.entrySet()) {
        String name = e.getKey();
        RelayConnection connection;
        if (throughCircuit(e.getValue())) {
          // a circuit per mailbox: neither relay sees them together on one session
          connection = Clients.await(client.connect(e.getValue().relay(), firstRelay));
          dedicated.add(connection);
        } else if (shared) {
          connection = client.connection(e.getValue().relay());
        } else {
          connection = Clients.await(client.connect(e.getValue().relay()));
          dedicated.add(connection);
        }
        Clients.await(connection.subscribe(e.getValue(), handler(out, name)));
      }
      spec.commandLine()
          .getErr()
          .println("listening on " + selected.size() + " mailbox(es); Ctrl-C to stop");
      spec.commandLine().getErr().flush();
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      dedicated.forEach(RelayConnection::close);
    }
  }

  private boolean throughCircuit(Mailbox mailbox) {
    return firstRelay != null && !firstRelay.equals(mailbox.relay());
  }

  private MessageHandler handler(PrintWriter out, String name) {
    return new MessageHandler() {
      @Override
      public void onMessage(ReceivedMessage message) {
        show(out, name, message);
      }

      @Override
      public void onEnd(Mailbox mailbox) {
        spec.commandLine()
            .getErr()
            .println("[" + name + "] now received elsewhere (subscribed from another session)");
      }

      @Override
      public void onQuotaReached(Mailbox mailbox) {
        spec.commandLine().getErr().println("[" + name + "] mailbox full: senders are refused");
      }

      @Override
      public void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {
        spec.commandLine().getErr().println("[" + name + "] " + problem.getMessage());
      }
    };
  }

  /** Prints the message, or saves it and prints where; both before it is acknowledged. */
  private void show(PrintWriter out, String name, ReceivedMessage m) {
    if (files.isPresent()) {
      Path file = files.get().save(name, m);
      out.println(
          "["
              + name
              + "] from "
              + sender(m.senderIdentity())
              + ": saved "
              + m.content().length
              + " bytes to "
              + file);
      out.flush();
    } else {
      print(out, name, m);
    }
  }

  static void print(PrintWriter out, String name, ReceivedMessage m) {
    out.println(line(name, m));
    out.flush();
  }

  /** The displayed form of a message (protocol §7.3), safe for a terminal. */
  static String line(String name, ReceivedMessage m) {
    // issue 11: a verified address-changed notice (protocol §7.4); anything else is text
    String body =
        AddressChange.read(m)
            .map(
                c ->
                    "address changed: " + sender(c.oldSenderId()) + " → " + c.newAddress().format())
            .orElseGet(() -> text(m.content()));
    return "[" + name + "] from " + sender(m.senderIdentity()) + ": " + TerminalText.sanitise(body);
  }

  /** The sender's identity key, shortened: enough to tell contacts apart at a glance. */
  static String sender(byte[] identity) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(identity).substring(0, 12);
  }

  static String text(byte[] content) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      return "(" + content.length + " bytes of binary data)";
    }
  }
}
