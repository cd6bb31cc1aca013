package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caliop policy export postfix-tls}, with a stand-in postconf that answers what a test needs. */
class PolicyExportCommandTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Path policy(String... lines) throws IOException {
    Path p = dir.resolve("policy.yaml");
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  /** A postconf that prints these four values (relayhost, transport_maps, sender relays, smtp_tls_policy_maps). */
  private String postconf(String relayhost, String transportMaps, String senderRelays, String tlsMaps)
      throws IOException {
    Path script = dir.resolve("postconf");
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' '" + relayhost + "' '" + transportMaps + "' '"
        + senderRelays + "' '" + tlsMaps + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toString();
  }

  private int run(String postconf, String... args) {
    return PolicyExportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), postconf);
  }

  private static final String[] PARTNER = {
      "domains:",
      "  partner.example:",
      "    outbound:",
      "      min_tls_version: TLSv1.2",
      "      action: reject"};

  @Test
  void theTableShouldGoToStandardOutputAndTheNotesToStandardError() throws IOException {
    Path p = policy(PARTNER);
    assertThat(run(postconf("", "", "", ""), "postfix-tls", p.toString())).as(err.toString()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(
        "# domain partner.example outbound (policy.yaml:3)\npartner.example encrypt protocols=>=TLSv1.2\n")
        .startsWith("# Postfix smtp_tls_policy_maps table, written by caliop policy export postfix-tls from ");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aRelayhostShouldBeWarnedAbout() throws IOException {
    Path p = policy(PARTNER);
    Path table = dir.resolve("tls_policy");
    assertThat(run(postconf("[smtp.provider.example]:587", "hash:/etc/postfix/transport", "",
        "hash:/etc/postfix/other"), "postfix-tls", p.toString(), "--output", table.toString())).isZero();
    assertThat(Files.readString(table)).contains("partner.example encrypt protocols=>=TLSv1.2\n");
    String said = out.toString(StandardCharsets.UTF_8);
    assertThat(said).contains(table + ": 1 destination(s); in main.cf: smtp_tls_policy_maps = hash:" + table)
        .contains("caliop: warning: relayhost = [smtp.provider.example]:587: every message goes to that relay")
        .contains("it does nothing for mail sent through it")
        .contains("caliop: warning: transport_maps = hash:/etc/postfix/transport: a destination routed to an"
            + " explicit next hop")
        .contains("caliop: note: smtp_tls_policy_maps = hash:/etc/postfix/other does not name " + table);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(".tls_policy.tmp");
    }
  }

  @Test
  void withoutPostconfTheCheckShouldSaySoAndTheTableStillBeWritten() throws IOException {
    Path p = policy(PARTNER);
    assertThat(run(dir.resolve("no-such-postconf").toString(), "postfix-tls", p.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("partner.example encrypt");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("caliop: warning: postconf did not answer")
        .contains("relayhost and transport_maps not checked");
  }

  @Test
  void aDryRunPolicyShouldExportEveryLineCommentedOut() throws IOException {
    String[] lines = new String[PARTNER.length + 1];
    lines[0] = "mode: dry-run";
    System.arraycopy(PARTNER, 0, lines, 1, PARTNER.length);
    Path p = policy(lines);
    assertThat(run(postconf("", "", "", ""), "postfix-tls", p.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("#dry-run# partner.example encrypt");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the policy is in dry-run");
  }

  @Test
  void usageAndPolicyErrorsShouldExitTwoAndOne() throws IOException {
    assertThat(run("postconf", "frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("caliop policy export: unknown command"
        + " 'frobnicate': say postfix-tls (caliop policy export --help)\n");
    assertThat(run("postconf", "postfix-tls")).isEqualTo(2);
    Path bad = policy("global:", "  action: explode");
    assertThat(run("postconf", "postfix-tls", bad.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown action 'explode'")
        .contains("policy not usable, nothing exported");
  }

  @Test
  void policyCommandShouldDispatchExport() throws IOException {
    Path p = policy(PARTNER);
    assertThat(PolicyCommand.run(new String[] {"export", "postfix-tls", p.toString(), "--no-postconf"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("partner.example encrypt protocols=>=TLSv1.2");
  }
}
