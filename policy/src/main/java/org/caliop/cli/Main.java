package org.caliop.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@code caliop} command line: {@code score}, {@code stamp}, {@code policy check|explain|replay} and
 * {@code keys list|check|import} (docs/cli.md). */
public final class Main {
  static final String USAGE = "usage: caliop score [--json] [--policy FILE] PATH...\n"
      + "       caliop stamp [--policy FILE] [--by NAME] [MESSAGE]\n"
      + "       caliop policy check|explain|replay|export ...\n"
      + "       caliop keys list|check|import ...";

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
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "score":
        return ScoreCommand.run(rest, stdin, out, err);
      case "stamp":
        return StampCommand.run(rest, stdin, out, err);
      case "policy":
        return PolicyCommand.run(rest, stdin, out, err);
      case "keys":
        return KeysCommand.run(rest, out, err, java.time.Clock.systemUTC());
      case "-h":
      case "--help":
      case "help":
        out.println(USAGE);
        return 0;
      default:
        err.println("caliop: unknown command " + args[0]);
        err.println(USAGE);
        return 2;
    }
  }
}
