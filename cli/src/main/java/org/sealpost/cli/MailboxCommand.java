package org.sealpost.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.sealpost.client.ClientError;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.v1.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost mailbox create|address|delete|list}: the mailboxes in the local keystore. */
@Command(
    name = "mailbox",
    description = "Create, show, list and delete your mailboxes.",
    mixinStandardHelpOptions = true,
    subcommands = {
      MailboxCommand.Create.class,
      MailboxCommand.Address.class,
      MailboxCommand.ListMailboxes.class,
      MailboxCommand.Delete.class,
      MailboxMoveCommand.class,
      MailboxNotifyCommand.class
    })
final class MailboxCommand implements Runnable {
  static final String DEFAULT_NAME = "inbox";

  /**
   * Not the relay's own SEALPOST_CREATE_TOKEN: an operator's token set for their relay must not
   * travel to every other relay the same shell creates mailboxes on.
   */
  static final String CREATE_TOKEN_VARIABLE = "SEALPOST_MAILBOX_CREATE_TOKEN";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "choose one of: create, address, list, delete, move, notify");
  }

  /** The named mailbox, or the only one / the one called "inbox" when no name is given. */
  static Map.Entry<String, Mailbox> find(Keystore keystore, String name) {
    Map<String, Mailbox> all = keystore.mailboxes();
    if (name != null) {
      Mailbox m = all.get(name);
      if (m == null) {
        throw new CliException(
            "no mailbox named '"
                + name
                + "' in "
                + keystore.file()
                + " (see: sealpost mailbox list)",
            Failures.FAILED);
      }
      return Map.entry(name, m);
    }
    if (all.size() == 1) {
      return all.entrySet().iterator().next();
    }
    if (all.containsKey(DEFAULT_NAME)) {
      return Map.entry(DEFAULT_NAME, all.get(DEFAULT_NAME));
    }
    throw new CliException(
        all.isEmpty()
            ? "no mailbox yet in "
                + keystore.file()
                + " (create one: sealpost mailbox create <relay-address>)"
            : "several mailboxes: name one (see: sealpost mailbox list)",
        Failures.FAILED);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a mailbox on a relay and keep its credentials in the keystore.")
  static final class Create implements Runnable {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystoreOption;
    @Mixin ProxyOption proxy;

    @Parameters(
        index = "0",
        paramLabel = "RELAY-ADDRESS",
        description = "The relay's address, as printed by 'sealpost relay'.")
    String relayAddress;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "Local name of the mailbox (default: inbox, or mailbox-N when taken).")
    String name;

    @Option(
        names = "--create-token",
        paramLabel = "TOKEN",
        defaultValue = "${env:" + CREATE_TOKEN_VARIABLE + "}",
        description =
            "The operator's creation token, for a relay that requires one. Prefer the"
                + " environment variable "
                + CREATE_TOKEN_VARIABLE
                + ": it stays out of shell history and process listings.")
    String createToken;

    @Option(
        names = "--no-secure",
        description =
            "Do not register a send token: anyone who learns the sender ID may send. A relay may"
                + " delete a mailbox never secured soon after its creation"
                + " (queue.unsecured-expiry).")
    boolean noSecure;

    @Override
    public void run() {
      RelayAddress relay = parseRelay(relayAddress);
      Keystore keystore = keystoreOption.open();
      String chosen = name != null ? name : freeName(keystore);
      if (!Keystore.isValidName(chosen)) {
        throw new CliException(
            "a mailbox name is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'",
            Failures.USAGE);
      }
      if (keystore.mailbox(chosen).isPresent()) {
        throw new CliException("a mailbox named '" + chosen + "' already exists", Failures.FAILED);
      }
      Mailbox mailbox;
      try (SealpostClient client = Clients.oneShot(proxy)) {
        mailbox = create(client, relay);
        if (!noSecure) {
          mailbox = Clients.await(client.secure(mailbox));
        }
      }
      keystore.put(chosen, mailbox);
      keystore.save();
      PrintWriter out = spec.commandLine().getOut();
      out.println("created mailbox '" + chosen + "' on " + relay.authority());
      out.println("its address (give it to the people who may write to you):");
      out.println(mailbox.address().format());
    }

    private Mailbox create(SealpostClient client, RelayAddress relay) {
      byte[] token =
          createToken == null || createToken.isEmpty()
              ? null
              : createToken.getBytes(StandardCharsets.UTF_8);
      try {
        if (token != null
            && !Clients.await(client.connection(relay).info()).creationTokenRequired()) {
          Arrays.fill(token, (byte) 0);
          token = null; // a relay that asks for none never sees it
        }
        return Clients.await(client.createMailbox(relay, token));
      } catch (RuntimeException e) {
        if (Failures.unwrap(e) instanceof SealpostException se
            && se.error() == ClientError.PROHIBITED
            && se.relayCode().orElse(null) != ErrorCode.ERROR_CODE_PROHIBITED) {
          // issue 12: a proof of work this client would not make (the relay's POW, or too many
          // bits to try); the library's message says which
          throw new CliException(se.getMessage(), Failures.PROHIBITED);
        }
        if (Failures.unwrap(e) instanceof SealpostException se
            && se.error() == ClientError.PROHIBITED) {
          throw new CliException(
              token == null
                  ? "the relay creates mailboxes only with its operator's creation token:"
                      + " set "
                      + CREATE_TOKEN_VARIABLE
                      + " or give --create-token"
                  : "the relay refused the creation token (or a session limit was reached)",
              Failures.PROHIBITED);
        }
        throw e;
      } finally {
        if (token != null) {
          Arrays.fill(token, (byte) 0);
        }
      }
    }

    private static String freeName(Keystore keystore) {
      if (keystore.mailbox(DEFAULT_NAME).isEmpty()) {
        return DEFAULT_NAME;
      }
      for (int i = 2; ; i++) {
        if (keystore.mailbox("mailbox-" + i).isEmpty()) {
          return "mailbox-" + i;
        }
      }
    }
  }

  static RelayAddress parseRelay(String text) {
    try {
      return RelayAddress.parse(text);
    } catch (AddressException e) {
      throw new SealpostException(
          ClientError.BAD_ADDRESS, "not a relay address: " + e.getMessage(), e);
    }
  }

  @Command(
      name = "address",
      mixinStandardHelpOptions = true,
      description = "Print a mailbox's address (one line), to hand to contacts.")
  static final class Address implements Runnable {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystoreOption;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Mailbox name.")
    String name;

    @Override
    public void run() {
      Map.Entry<String, Mailbox> m = find(Keystore.load(keystoreOption.path()), name);
      spec.commandLine().getOut().println(m.getValue().address().format());
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the mailboxes in the keystore.")
  static final class ListMailboxes implements Runnable {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystoreOption;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      Keystore keystore = keystoreOption.open();
      Map<String, Mailbox> all = keystore.mailboxes();
      if (all.isEmpty()) {
        out.println("no mailboxes (create one: sealpost mailbox create <relay-address>)");
        return;
      }
      all.forEach(
          (n, m) ->
              out.println(
                  n
                      + "  "
                      + m.relay().authority()
                      + "  "
                      + (m.isSecured() ? "secured" : "open (no send token)")
                      + keystore
                          .movedTo(n)
                          .map(t -> "  moved to " + t + " (drained until retired)")
                          .orElse("")));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a mailbox on its relay (with everything in it) and from the keystore.")
  static final class Delete implements Runnable {
    @Spec CommandSpec spec;
    @Mixin KeystoreOption keystoreOption;
    @Mixin ProxyOption proxy;

    @Parameters(index = "0", paramLabel = "NAME", description = "Mailbox name.")
    String name;

    @Override
    public void run() {
      Keystore keystore = Keystore.load(keystoreOption.path());
      Mailbox mailbox = find(keystore, name).getValue();
      String note = "";
      try (SealpostClient client = Clients.oneShot(proxy)) {
        Clients.await(client.delete(mailbox));
      } catch (RuntimeException e) {
        if (!(Failures.unwrap(e) instanceof SealpostException se)
            || se.error() != ClientError.AUTH) {
          throw e;
        }
        note = " (the relay no longer knew it)";
      }
      keystore.remove(name);
      keystore.save();
      spec.commandLine().getOut().println("deleted mailbox '" + name + "'" + note);
    }
  }
}
