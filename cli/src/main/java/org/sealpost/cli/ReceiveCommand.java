package org.sealpost.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
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

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Mailboxes (default: all).")
  List<String> names;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep listening until interrupted.")
  boolean follow;

  @Option(
      names = "--shared-connection",
      description =
          "With --follow: one connection per relay for all mailboxes. By default each mailbox"
              + " gets its own connection, so the relay cannot tell they belong together.")
  boolean shared;

  @Override
  public void run() {
    Keystore keystore = Keystore.load(keystoreOption.path());
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
    PrintWriter out = spec.commandLine().getOut();
    if (follow) {
      follow(selected, out);
    } else {
      drain(selected, out);
    }
  }

  private void drain(Map<String, Mailbox> selected, PrintWriter out) {
    int count = 0;
    try (SealpostClient client = Clients.oneShot(timing)) {
      for (Map.Entry<String, Mailbox> e : selected.entrySet()) {
        while (true) {
          Optional<ReceivedMessage> m = Clients.await(client.get(e.getValue()));
          if (m.isEmpty()) {
            break;
          }
          print(out, e.getKey(), m.get());
          count++;
        }
      }
    }
    spec.commandLine().getErr().println(count + (count == 1 ? " message" : " messages"));
  }

  private void follow(Map<String, Mailbox> selected, PrintWriter out) {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sealpost-receive-stop"));
    List<RelayConnection> dedicated = new ArrayList<>();
    try (SealpostClient client = Clients.longRunning(timing)) {
      for (Map.Entry<String, Mailbox> e : selected.entrySet()) {
        String name = e.getKey();
        RelayConnection connection;
        if (shared) {
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

  private MessageHandler handler(PrintWriter out, String name) {
    return new MessageHandler() {
      @Override
      public void onMessage(ReceivedMessage message) {
        print(out, name, message);
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

  static void print(PrintWriter out, String name, ReceivedMessage m) {
    out.println("[" + name + "] from " + sender(m.senderIdentity()) + ": " + text(m.content()));
    out.flush();
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
