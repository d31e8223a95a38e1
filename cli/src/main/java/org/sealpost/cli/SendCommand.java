package org.sealpost.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sealpost.client.ClientError;
import org.sealpost.client.Keystore;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.AddressError;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost send <mailbox-address> [text | --file F]}. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description =
        "Seal a message and drop it into a mailbox. The text is the rest of the command line,"
            + " or --file, or standard input.")
final class SendCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin KeystoreOption keystoreOption;
  @Mixin TimingOptions timing;
  @Mixin ProxyOption proxy;

  @Parameters(index = "0", paramLabel = "MAILBOX-ADDRESS", description = "The recipient's address.")
  String address;

  @Parameters(index = "1..*", paramLabel = "TEXT", description = "The message.")
  List<String> text;

  @Option(names = "--file", paramLabel = "FILE", description = "Send this file's bytes.")
  Path file;

  // issue 11: two-hop sending
  @Option(
      names = "--via",
      paramLabel = "RELAY",
      description =
          "Send through this first relay (two-hop, protocol §9): it sees your address but not the"
              + " mailbox; the mailbox's relay sees the mailbox but not your address. Default: the"
              + " keystore's first relay, if set.")
  String via;

  @Option(names = "--save-via", description = "Keep --via as the keystore's default first relay.")
  boolean saveVia;

  @Option(names = "--direct", description = "Send directly, ignoring the keystore's first relay.")
  boolean direct;

  @Override
  @SuppressWarnings("try") // issue 12: the notices are only closed (flushed) here
  public void run() {
    MailboxAddress to;
    try {
      to = MailboxAddress.parse(address);
    } catch (AddressException e) {
      // a checksum failure is a typo in a mailbox address, not something else given by mistake
      String what = e.error() == AddressError.CHECKSUM ? "" : "not a mailbox address: ";
      throw new SealpostException(ClientError.BAD_ADDRESS, what + e.getMessage(), e);
    }
    if (direct && (via != null || saveVia)) {
      throw new CliException("give --direct or --via, not both", Failures.USAGE);
    }
    if (saveVia && via == null) {
      throw new CliException("--save-via needs --via RELAY", Failures.USAGE);
    }
    RelayAddress firstRelay = via == null ? null : relayAddress(via);
    byte[] content = content();
    Keystore keystore = keystoreOption.open();
    boolean changed = keystore.identity().isEmpty();
    X25519KeyPair identity = keystore.identityOrCreate(RandomSource.secure());
    if (saveVia) {
      keystore.setFirstRelay(firstRelay);
      changed = true;
    }
    if (changed) {
      keystore.save(); // the identity must outlive this run for recipients to recognise it
    }
    if (firstRelay == null && !direct) {
      firstRelay = keystore.firstRelay().orElse(null);
    }
    if (firstRelay != null && firstRelay.equals(to.relay())) {
      firstRelay = null; // a relay never forwards to itself: the send is direct
    }
    try (SealpostClient client = Clients.oneShot(timing, proxy);
        RelayKeyNotices notices =
            RelayKeyNotices.trackSend(client, to, spec.commandLine().getErr())) {
      Clients.await(client.send(to, content, identity, firstRelay));
    }
    spec.commandLine()
        .getOut()
        .println(
            "sent "
                + content.length
                + " bytes; stored by "
                + to.relay().authority()
                + (firstRelay == null ? "" : " via " + firstRelay.authority()));
  }

  static RelayAddress relayAddress(String text) {
    try {
      return RelayAddress.parse(text);
    } catch (AddressException e) {
      throw new SealpostException(
          ClientError.BAD_ADDRESS, "--via is not a relay address: " + e.getMessage(), e);
    }
  }

  private byte[] content() {
    if (file != null && text != null && !text.isEmpty()) {
      throw new CliException("give the message as TEXT or --file, not both", Failures.USAGE);
    }
    try {
      if (file != null) {
        return Files.readAllBytes(file);
      }
      if (text != null && !text.isEmpty()) {
        return String.join(" ", text).getBytes(StandardCharsets.UTF_8);
      }
      return System.in.readAllBytes();
    } catch (IOException e) {
      throw new CliException(
          "cannot read the message (" + e.getClass().getSimpleName() + ")", Failures.FAILED);
    }
  }
}
