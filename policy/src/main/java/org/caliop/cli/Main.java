package org.caliop.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code caliop}: one picocli command tree, {@code score}, {@code stamp}, {@code policy check|explain|replay|export},
 * {@code keys list|check|import}, {@code hold list|release|delete}, {@code version} (docs/cli.md). Every command in
 * the tree answers {@code --help} (standard output, exit 0) and {@code --version}; a usage error is one line on
 * standard error and exit 2. The tree is also what the bash completion script is generated from.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    // UTF-8 whatever the locale: reason texts carry arrows, host names may not be ASCII.
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int status = run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs a command; returns the exit status (0 ok, 1 some input failed, 2 usage). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    return commandLine(stdin, out, err, Clock.systemUTC(), "postconf").execute(args);
  }

  /** The whole tree with the real clock and Postfix's own postconf, for the man page and completion generators. */
  public static CommandLine commandLine(InputStream stdin, PrintStream out, PrintStream err) {
    return commandLine(stdin, out, err, Clock.systemUTC(), "postconf");
  }

  /**
   * The whole tree, printing to {@code out} and {@code err}; {@code clock} for key expiry, {@code postconf} the
   * program {@code policy export} asks about Postfix (tests give their own).
   */
  static CommandLine commandLine(InputStream stdin, PrintStream out, PrintStream err, Clock clock, String postconf) {
    CommandLine policy = new CommandLine(new PolicyCommand(out, err, stdin))
        .addSubcommand(new CommandLine(new PolicyExportCommand.Group(err))
            .addSubcommand(new PolicyExportCommand(out, err, postconf)));
    CommandLine root = new CommandLine(new Root(err))
        .addSubcommand(new ScoreCommand(stdin, out, err))
        .addSubcommand(new StampCommand(stdin, out, err))
        .addSubcommand(policy)
        .addSubcommand(new KeysCommand(out, err, clock))
        .addSubcommand(new HoldCommand(out, err))
        .addSubcommand(new VersionCommand(out))
        .addSubcommand(new HelpCommand());
    standardOptions(root);
    // After the tree is complete: these settings reach every command already in it.
    root.setOut(new PrintWriter(out, true));
    root.setErr(new PrintWriter(err, true));
    root.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println(usageError(e));
      return CommandLine.ExitCode.USAGE;
    });
    return root;
  }

  /**
   * {@code --help} and {@code --version} on every command of the tree, whatever its annotation says, so a command
   * added later has them too; the version is the build's ({@link VersionCommand}).
   */
  private static void standardOptions(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    if (spec.findOption("--help") == null) {
      spec.mixinStandardHelpOptions(true);
    } else if (spec.findOption("--version") == null) {
      spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
          .description("Print version information and exit.").build());
    }
    spec.versionProvider(new VersionCommand(null));
    for (CommandLine sub : cl.getSubcommands().values()) {
      standardOptions(sub);
    }
  }

  /** One line: the command, picocli's first line of complaint, where to read more. */
  static String usageError(CommandLine.ParameterException e) {
    CommandLine cl = e.getCommandLine();
    String name = cl.getCommandSpec().qualifiedName();
    String message = e.getMessage() == null ? "usage error" : e.getMessage().lines().findFirst().orElse("");
    if (e instanceof CommandLine.UnmatchedArgumentException) {
      CommandLine.UnmatchedArgumentException u = (CommandLine.UnmatchedArgumentException) e;
      String first = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
      if (!cl.getSubcommands().isEmpty() && !first.isEmpty() && !first.startsWith("-")) {
        message = "unknown command '" + first + "': say " + String.join(", ", cl.getSubcommands().keySet());
      } else if (!u.getSuggestions().isEmpty()) {
        message += ", did you mean " + u.getSuggestions().get(0) + "?";
      }
    }
    return name + ": " + message + " (" + name + " --help)";
  }

  /** {@code first} followed by {@code rest}: a subcommand's arguments as the whole tree reads them. */
  static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** {@code caliop} alone: which commands there are. */
  @Command(name = "caliop",
      description = "Scores and stamps stored messages, checks, explains, replays and exports policy files, manages"
          + " the recipients' keys and the messages caliop holds. The milter daemon is caliop-milter(8).",
      footer = "Exit status: 0 ok, 1 some input failed, 2 usage. See caliop(1) and docs/cli.md.")
  static final class Root implements Callable<Integer> {
    private final PrintStream err;

    Root(PrintStream err) {
      this.err = err;
    }

    @Override
    public Integer call() {
      err.println("caliop: say a command: score, stamp, policy, keys, hold or version (caliop --help)");
      return CommandLine.ExitCode.USAGE;
    }
  }
}
