package org.sealpost.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code sealpost} command. Exit codes: the constants of {@link Failures}, listed in help. */
@Command(
    name = "sealpost",
    mixinStandardHelpOptions = true,
    version = "sealpost 0.1.0",
    description = "A privacy-first sealed-sender relay and its client.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure",
      "2:usage",
      "3:bad address",
      "4:relay unreachable (nothing was sent)",
      "5:wrong relay key (the relay refused the Noise handshake)",
      "6:queue full",
      "7:keystore problem",
      "8:connection to the relay lost (a command in flight may or may not have been carried out)",
      "9:refused by the relay: creation token missing or wrong",
      "10:destination unreachable: the first relay (send --via) cannot reach the mailbox's relay",
      "11:forwarding refused: the first relay (send --via) does not forward"
    },
    subcommands = {
      RelayCommand.class,
      MailboxCommand.class,
      SendCommand.class,
      ReceiveCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SealpostCli implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  // Held so the settings stay: JUL keeps loggers only weakly.
  private static final List<Logger> QUIETED = new ArrayList<>();

  /** Runs the command line in this process, writing to the given streams; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length == 0 || !args[0].equals("relay")) {
      // client commands print their own one-line errors; library warnings would only add noise
      for (String name : List.of("io.vertx", "io.netty", "org.bouncycastle")) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        QUIETED.add(logger);
      }
    }
    CommandLine cl = new CommandLine(new SealpostCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + Failures.message(e));
          cmd.getErr().flush();
          return Failures.exitCode(e);
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
