package org.caliop.dist;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.caliop.cli.Main;
import org.caliop.milter.MilterCommand;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The bash completion scripts, made at build time by picocli's own generator ({@link AutoComplete}) from the command
 * trees the commands run, so completion knows every command and option there is: {@code caliop} (its tree, plus
 * {@code milter}, which the installed {@code caliop} hands to {@code caliop-milter}) and {@code caliop-milter}. They
 * go to /usr/share/bash-completion/completions/, where bash-completion loads a script when its command is first
 * completed.
 *
 * <p>{@code Completions OUT_DIR}
 */
public final class Completions {
  private Completions() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: Completions OUT_DIR");
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    Files.writeString(out.resolve("caliop"), caliop(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("caliop-milter"), milter(), StandardCharsets.UTF_8);
  }

  /** The script for {@code caliop}. */
  static String caliop() {
    PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    CommandLine tree = Main.commandLine(new ByteArrayInputStream(new byte[0]), none, none);
    tree.addSubcommand("milter", MilterCommand.commandLine("caliop milter", none, none));
    return sourced(AutoComplete.bash("caliop", tree));
  }

  /** The script for {@code caliop-milter}. */
  static String milter() {
    PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    return sourced(AutoComplete.bash("caliop-milter", MilterCommand.commandLine("caliop-milter", none, none)));
  }

  /** Without the {@code #!} line: the script is sourced by bash-completion, never run (Debian policy, lintian). */
  private static String sourced(String script) {
    return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
  }
}
