package org.caliop.cli;

import java.io.PrintStream;

/** {@code caliop policy check|explain|replay}: placeholder until the policy tools land (issue 4). */
public final class PolicyCommand {
  private PolicyCommand() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("caliop policy: not yet available");
    return 2;
  }
}
