package org.caliop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code caliop help [COMMAND...]}: the usage of {@code caliop COMMAND...}, as {@code caliop COMMAND... --help}
 * prints it. picocli's own help command takes an unknown option for a command name and exits 0; this one is an
 * ordinary command, so a usage error is one line and exit 2 as everywhere else in the tree.
 */
@Command(name = "help", description = "Prints the usage of COMMAND (e.g. help policy check), as COMMAND --help does.",
    footer = "Exit status: 0 printed, 2 no such command.")
final class HelpCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "a command, with its subcommands")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine target = spec.root().commandLine();
    for (String name : command) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "no command '" + name + "' in " + target.getCommandSpec().qualifiedName());
      }
      target = sub;
    }
    target.usage(spec.commandLine().getOut());
    return CommandLine.ExitCode.OK;
  }
}
