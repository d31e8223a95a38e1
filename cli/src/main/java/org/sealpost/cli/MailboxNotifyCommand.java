package org.sealpost.cli;

import java.util.List;
import org.sealpost.client.ClientError;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * issue 11: {@code sealpost mailbox notify NAME CONTACT-ADDRESS...}: sends each contact the sealed
 * address-changed notice (protocol §7.4) of every mailbox that moved to NAME.
 */
@Command(
    name = "notify",
    mixinStandardHelpOptions = true,
    description =
        "Tell contacts that a moved mailbox has a new address: a sealed notice to each contact's"
            + " mailbox, which only the holder of the old mailbox can make.")
final class MailboxNotifyCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin KeystoreOption keystoreOption;

  @Parameters(index = "0", paramLabel = "NAME", description = "The mailbox that moved.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "CONTACT-ADDRESS",
      description = "The mailbox addresses of the contacts to tell.")
  List<String> contacts;

  @Override
  public void run() {
    Keystore keystore = Keystore.load(keystoreOption.path());
    Mailbox moved = MailboxCommand.find(keystore, name).getValue();
    List<String> from = keystore.movedFrom(name);
    if (from.isEmpty()) {
      throw new CliException(
          "'" + name + "' did not move (see: sealpost mailbox move)", Failures.FAILED);
    }
    boolean created = keystore.identity().isEmpty();
    X25519KeyPair identity = keystore.identityOrCreate(RandomSource.secure());
    if (created) {
      keystore.save();
    }
    try (SealpostClient client = Clients.oneShot()) {
      for (String text : contacts) {
        MailboxAddress contact = parse(text);
        for (String n : from) {
          Mailbox old = keystore.mailbox(n).orElseThrow();
          Clients.await(client.notifyAddressChange(old, moved, contact, identity, null));
        }
        spec.commandLine().getOut().println("notified " + contact.relay().authority());
      }
    }
  }

  private static MailboxAddress parse(String text) {
    try {
      return MailboxAddress.parse(text);
    } catch (AddressException e) {
      throw new SealpostException(
          ClientError.BAD_ADDRESS, "not a mailbox address: " + e.getMessage(), e);
    }
  }
}
