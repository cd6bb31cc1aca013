package org.caliop.milter;

/**
 * {@code caliop-milter [--config FILE] [--listen ADDR] [--policy FILE] [--NAME VALUE] [-o caliop_NAME=VALUE]
 * [-n]}: the daemon's entry point ({@link MilterCommand}).
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    int status = MilterCommand.commandLine("caliop-milter", System.out, System.err).execute(args);
    // After a stop the JVM is already exiting (SIGTERM): its status is the signal's, and exit() would only wait.
    System.exit(status);
  }
}
