package org.caliop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.DeliveryTls;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.policy.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caliop policy export postfix-tls FILE}: the delivery TLS a policy asks for outbound mail, as a Postfix
 * {@code smtp_tls_policy_maps} table (docs/policy.md, "TLS on each side"). The milter never sees delivery, so the
 * requirement is handed to the one program that makes the connection. Then {@code postconf} is asked whether mail
 * leaves through a relay, in which case the table, keyed by next hop, does nothing.
 */
@Command(name = "postfix-tls", mixinStandardHelpOptions = true,
    description = "Writes the outbound TLS requirements of the policy FILE as a Postfix smtp_tls_policy_maps table"
        + " (standard output, or --output TABLE).",
    footer = "Exit status: 0 written, 1 the policy has errors or the table cannot be written, 2 usage."
        + " See docs/cli.md.")
public final class PolicyExportCommand implements java.util.concurrent.Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the policy file")
  Path policyFile;

  @Option(names = {"-o", "--output"}, paramLabel = "TABLE",
      description = "write the table here (replaced by rename) instead of standard output")
  Path output;

  @Option(names = "--postfix-config", paramLabel = "DIR",
      description = "the Postfix configuration directory that postconf reads (default: Postfix's own)")
  Path postfixConfig;

  @Option(names = "--no-postconf", description = "do not ask postconf about relayhost and transport_maps")
  boolean noPostconf;

  private final PrintStream out;
  private final PrintStream err;
  private final String postconf;

  PolicyExportCommand(PrintStream out, PrintStream err, String postconf) {
    this.out = out;
    this.err = err;
    this.postconf = postconf;
  }

  /** {@code args} after {@code export}: {@code postfix-tls FILE [options]} (for tests). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, "postconf");
  }

  static int run(String[] args, PrintStream out, PrintStream err, String postconf) {
    return Main.commandLine(System.in, out, err, java.time.Clock.systemUTC(), postconf)
        .execute(Main.prepend("policy", Main.prepend("export", args)));
  }

  /** {@code caliop policy export}: what there is to export (one table so far). */
  @Command(name = "export", description = "Exports what the policy asks of Postfix, in Postfix's own format.",
      footer = "See docs/cli.md.")
  static final class Group implements java.util.concurrent.Callable<Integer> {
    private final PrintStream err;

    Group(PrintStream err) {
      this.err = err;
    }

    @Override
    public Integer call() {
      err.println("caliop policy export: say what to export: postfix-tls (caliop policy export --help)");
      return CommandLine.ExitCode.USAGE;
    }
  }

  @Override
  public Integer call() {
    CompiledPolicy policy;
    try {
      policy = PolicyLoader.load(policyFile);
    } catch (PolicyException e) {
      e.problems().stream().filter(Problem::isError).forEach(err::println);
      err.println(policyFile + ": policy not usable, nothing exported");
      return 1;
    }
    DeliveryTls tls = DeliveryTls.of(policy);
    String table = table(policy, tls);
    if (output == null) {
      out.print(table);
    } else {
      try {
        write(output, table);
      } catch (IOException e) {
        err.println(output + ": cannot write: " + e.getMessage());
        return 1;
      }
    }
    // Everything else goes to standard error, so that standard output stays a table when it is one.
    PrintStream notes = output == null ? err : out;
    for (String n : tls.notes()) {
      notes.println("caliop: note: " + n);
    }
    if (policy.dryRun()) {
      notes.println("caliop: note: the policy is in dry-run: every line is written commented out (a table enforces;"
          + " enable it when the policy does)");
    }
    if (output != null) {
      notes.println(output + ": " + tls.destinations().size() + " destination(s); in main.cf: smtp_tls_policy_maps"
          + " = hash:" + output.toAbsolutePath() + ", then postmap " + output.toAbsolutePath()
          + " and postfix reload");
    }
    if (!noPostconf) {
      relayWarnings(notes, output);
    }
    return CommandLine.ExitCode.OK;
  }

  static String table(CompiledPolicy policy, DeliveryTls tls) {
    StringBuilder b = new StringBuilder();
    b.append("# Postfix smtp_tls_policy_maps table, written by caliop policy export postfix-tls from ")
        .append(policy.source()).append('\n');
    b.append("# Keyed by next-hop domain: mail sent through a relayhost or a transport_maps next hop is not\n");
    b.append("# looked up under the recipient's domain, so these lines do nothing for it (docs/policy.md).\n");
    if (tls.destinations().isEmpty()) {
      b.append("# (the policy asks for no delivery TLS)\n");
    }
    String prefix = policy.dryRun() ? "#dry-run# " : "";
    for (DeliveryTls.Destination d : tls.destinations()) {
      b.append("# ").append(d.rule()).append(d.exempt() ? ": no delivery TLS required (exempt from global)" : "")
          .append('\n');
      b.append(prefix).append(d.postfixLine()).append('\n');
    }
    return b.toString();
  }

  private static void write(Path target, String table) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, table, StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Asks postconf for the settings that route mail past the recipient's domain. The table is looked up under the
   * next hop, so with a relay it never matches.
   */
  private void relayWarnings(PrintStream notes, Path table) {
    List<String> names = List.of("relayhost", "transport_maps", "sender_dependent_relayhost_maps",
        "smtp_tls_policy_maps");
    List<String> values;
    try {
      values = postconf(names);
    } catch (IOException e) {
      notes.println("caliop: warning: postconf did not answer (" + e.getMessage() + "): relayhost and transport_maps"
          + " not checked; the table only works for mail Postfix delivers to the recipient's domain itself");
      return;
    }
    if (!values.get(0).isEmpty()) {
      notes.println("caliop: warning: relayhost = " + values.get(0) + ": every message goes to that relay, whose"
          + " name is the next hop; the table's domains never match, so it does nothing for mail sent through it."
          + " Require TLS to the relay instead (a line for " + values.get(0) + ") and ask the relay's operator"
          + " about delivery");
    }
    if (!values.get(1).isEmpty()) {
      notes.println("caliop: warning: transport_maps = " + values.get(1) + ": a destination routed to an explicit"
          + " next hop (smtp:[host]:port) is looked up under that next hop, not under its domain: check that the"
          + " table has a line for it");
    }
    if (!values.get(2).isEmpty()) {
      notes.println("caliop: warning: sender_dependent_relayhost_maps = " + values.get(2) + ": mail of the senders"
          + " it lists goes through a relay, where the table does nothing");
    }
    if (table != null && !values.get(3).contains(table.toAbsolutePath().toString())) {
      notes.println("caliop: note: smtp_tls_policy_maps = " + (values.get(3).isEmpty() ? "(empty)" : values.get(3))
          + " does not name " + table.toAbsolutePath() + " yet");
    }
  }

  private List<String> postconf(List<String> names) throws IOException {
    List<String> command = new ArrayList<>(List.of(postconf));
    if (postfixConfig != null) {
      command.addAll(List.of("-c", postfixConfig.toString()));
    }
    command.add("-h");
    command.addAll(names);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(postconf + " not found");
    }
    p.getOutputStream().close();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("postconf did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    List<String> lines = text.lines().map(String::trim).collect(java.util.stream.Collectors.toList());
    if (p.exitValue() != 0 || lines.size() != names.size()) {
      throw new IOException("exit " + p.exitValue() + ": " + text.trim());
    }
    return lines;
  }
}
