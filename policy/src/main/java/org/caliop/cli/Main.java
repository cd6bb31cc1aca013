package org.caliop.cli;

import java.io.PrintStream;

/** {@code caliop} command line: score, policy check|explain|replay. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit status (0 ok, 1 some input failed, 2 usage). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    // Skeleton: replaced by the real commands.
    err.println("usage: caliop score [--json] PATH... | caliop policy check|explain|replay ...");
    return 2;
  }
}
