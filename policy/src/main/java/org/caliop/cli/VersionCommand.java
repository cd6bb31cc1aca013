package org.caliop.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.caliop.engine.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code caliop version}, and what {@code --version} prints on every command: the release and the score formula
 * version it stamps ({@link BuildInfo}), the same line as {@code caliop-milter --version}.
 */
@Command(name = "version", description = "Prints the release and the score formula version, as --version does.",
    footer = "Exit status: 0.")
final class VersionCommand implements Callable<Integer>, CommandLine.IVersionProvider {
  private final PrintStream out;

  /** {@code out} is where {@code caliop version} prints; null when only the version provider is wanted. */
  VersionCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public String[] getVersion() {
    return new String[] {BuildInfo.current().describe()};
  }

  @Override
  public Integer call() {
    out.println(BuildInfo.current().describe());
    return CommandLine.ExitCode.OK;
  }
}
