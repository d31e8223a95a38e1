package org.sealpost.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.RelayAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * issue 11: {@code sealpost mailbox move NAME RELAY} and {@code --finish NAME} (protocol §7.4). The
 * move keeps the old mailbox in the keystore as {@code NAME.old} (marked {@code moved_to}), which
 * {@code sealpost receive} keeps draining like any other, until {@code --finish} takes what is left
 * and deletes it on its relay.
 */
@Command(
    name = "move",
    mixinStandardHelpOptions = true,
    description =
        "Move a mailbox to another relay without losing a message: create the new queue, drain the"
            + " old one, print the new address. The old one stays (as NAME.old) and is drained by"
            + " 'receive' until 'move --finish NAME'.")
final class MailboxMoveCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin KeystoreOption keystoreOption;

  @Parameters(index = "0", paramLabel = "NAME", description = "Mailbox name.")
  String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "RELAY-ADDRESS",
      description = "The relay to move to (may be the same relay: a fresh queue and address).")
  String relayAddress;

  @Option(
      names = "--finish",
      description =
          "Retire the mailboxes NAME moved from: take what is left in them, then delete them."
              + " Do this once every contact writes to the new address.")
  boolean finish;

  @Override
  public void run() {
    if (finish == (relayAddress != null)) {
      throw new CliException("give either RELAY-ADDRESS or --finish", Failures.USAGE);
    }
    Keystore keystore = Keystore.load(keystoreOption.path());
    Map.Entry<String, Mailbox> entry = MailboxCommand.find(keystore, name);
    if (finish) {
      finish(keystore);
    } else {
      move(keystore, entry.getValue(), MailboxCommand.parseRelay(relayAddress));
    }
  }

  private void move(Keystore keystore, Mailbox old, RelayAddress to) {
    if (keystore.movedTo(name).isPresent()) {
      throw new CliException(
          "'" + name + "' is itself a moved mailbox; move the one it moved to", Failures.USAGE);
    }
    PrintWriter out = spec.commandLine().getOut();
    String oldName = freeName(keystore, name + ".old");
    try (SealpostClient client = Clients.oneShot()) {
      Mailbox moved = Clients.await(client.move(old, to));
      // both credentials are on disk before anything is taken from the old queue
      keystore.put(oldName, old);
      keystore.put(name, moved);
      keystore.setMovedTo(oldName, name);
      keystore.save();
      int taken = drain(client, old, out);
      out.println(
          "moved mailbox '"
              + name
              + "' to "
              + to.authority()
              + " ("
              + taken
              + (taken == 1 ? " message" : " messages")
              + " taken from the old queue)");
      out.println("its new address (give it to the people who may write to you):");
      out.println(moved.address().format());
      out.println(
          "the old queue stays as '"
              + oldName
              + "': 'sealpost receive' keeps draining it; tell each contact with"
              + " 'sealpost mailbox notify "
              + name
              + " CONTACT-ADDRESS', and once all write to the new address:"
              + " 'sealpost mailbox move --finish "
              + name
              + "'");
    }
  }

  private int drain(SealpostClient client, Mailbox old, PrintWriter out) {
    int taken = 0;
    MessageHandler show = m -> ReceiveCommand.print(out, name, m);
    while (Clients.await(client.get(old, show))) {
      taken++;
    }
    return taken;
  }

  private void finish(Keystore keystore) {
    List<String> retiring = keystore.movedFrom(name);
    if (retiring.isEmpty()) {
      throw new CliException("no moved mailbox to retire for '" + name + "'", Failures.FAILED);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (SealpostClient client = Clients.oneShot()) {
      for (String n : retiring) {
        Mailbox old = keystore.mailbox(n).orElseThrow();
        int taken = Clients.await(client.retire(old, m -> ReceiveCommand.print(out, name, m)));
        keystore.remove(n);
        keystore.save();
        out.println(
            "retired '"
                + n
                + "' ("
                + taken
                + (taken == 1 ? " last message" : " last messages")
                + "; deleted on its relay)");
      }
    }
  }

  private static String freeName(Keystore keystore, String base) {
    String candidate = base;
    for (int i = 2; keystore.mailbox(candidate).isPresent(); i++) {
      candidate = base + "-" + i;
    }
    if (!Keystore.isValidName(candidate)) {
      throw new CliException("the mailbox name is too long to keep its old queue", Failures.USAGE);
    }
    return candidate;
  }
}
