package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy replay} tells the truth about stored mail: which decisions rested on facts the stored copy does not
 * show, which messages it could not judge, and, with {@code --list}/{@code --json}, what it decided for each; and
 * {@code policy explain --stored} shows exactly what replay decided for one of them.
 */
class PolicyReplayTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Path policy;
  private Path maildir;

  /** Dovecot's LMTP delivery above Postfix's reception line: the local hop is skipped, as by the score. */
  private static String stored(String reception, String headers) {
    return "Return-Path: <alice@partner.example>\r\n"
        + "Received: from mail.example.org\r\n\tby mail.example.org with LMTP\r\n\tid 0qLhBq2; Mon, 01 Jan 2024"
        + " 00:00:01 +0000\r\n"
        + reception
        + "From: alice@partner.example\r\n" + headers + "Subject: hello\r\n\r\nbody\r\n";
  }

  private static final String TLS13 = "Received: from mx.partner.example (mx.partner.example [198.51.100.7])\r\n"
      + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
      + "\tby mail.example.org (Postfix) with ESMTPS id 4AB12;\r\n\tMon, 01 Jan 2024 00:00:00 +0000\r\n";
  /** Postfix without smtpd_tls_received_header: TLS, but which version nobody wrote down. */
  private static final String TLS_UNKNOWN = "Received: from mx.partner.example (mx.partner.example"
      + " [198.51.100.7])\r\n\tby mail.example.org (Postfix) with ESMTPS id 4AB13;\r\n\tMon, 01 Jan 2024 00:00:00"
      + " +0000\r\n";
  private static final String PLAIN = "Received: from mx.partner.example (mx.partner.example [198.51.100.7])\r\n"
      + "\tby mail.example.org (Postfix) with ESMTP id 4AB14;\r\n\tMon, 01 Jan 2024 00:00:00 +0000\r\n";

  @BeforeEach
  void mail() throws IOException {
    policy = dir.resolve("partners.yaml");
    Files.writeString(policy, "trust:\n  internal_hosts: [mail.example.org]\n  local_domains: [example.org]\n"
        + "domains:\n  partner.example:\n    name: partner-tls\n    min_tls_version: TLSv1.2\n    action: reject\n");
    maildir = dir.resolve("Maildir");
    Path cur = Files.createDirectories(maildir.resolve("cur"));
    Files.createDirectories(maildir.resolve("new"));
    Files.createDirectories(maildir.resolve("tmp"));
    Files.writeString(cur.resolve("1-tls13"), stored(TLS13, "Delivered-To: bob@example.org\r\n"));
    Files.writeString(cur.resolve("2-tls-unknown"), stored(TLS_UNKNOWN, "Delivered-To: bob@example.org\r\n"));
    Files.writeString(cur.resolve("3-plain"), stored(PLAIN, "Delivered-To: bob@example.org\r\n"));
    Files.writeString(cur.resolve("4-no-recipient"), stored(TLS13, ""));
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return PolicyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void replayShouldCountTheDecisionsRestingOnUnknownsAndSayWhich() {
    assertThat(run("replay", policy.toString(), maildir.toString())).as(err()).isZero();
    assertThat(out()).contains("messages: 4, decisions resting on unknowns: 2")
        .containsPattern("accept\\s+2\\s+50\\.0%").containsPattern("reject\\s+2\\s+50\\.0%")
        .containsPattern("partner-tls domain partner.example, partners.yaml:5\\s+reject\\s+reject\\s+2")
        .contains("decisions resting on unknowns (facts the stored copy does not show; see docs/cli.md):")
        .containsPattern("1  TLS version on our hop is unknown \\(need TLSv1.2\\)\\n\\s+e\\.g\\. \\S+2-tls-unknown\\n")
        .containsPattern("1  " + java.util.regex.Pattern.quote(StoredJudge.NO_RECIPIENT)
            + "\\n\\s+e\\.g\\. \\S+4-no-recipient\\n");
    // A reception in clear is a fact, not an unknown.
    assertThat(out()).doesNotContain("3-plain");
  }

  @Test
  void replayShouldListEveryMessage() {
    assertThat(run("replay", "--list", policy.toString(), maildir.toString())).as(err()).isZero();
    List<String> lines = out().lines().filter(l -> l.contains(": disposition=")).collect(Collectors.toList());
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).endsWith("1-tls13: disposition=accept action=accept rule=- direction=inbound score="
        + lines.get(0).replaceAll(".* score=(\\d+) .*", "$1") + " grade=" + lines.get(0).replaceAll(".* grade=(\\S+).*",
        "$1"));
    assertThat(lines.get(1)).contains("2-tls-unknown: disposition=reject action=reject rule=partner-tls ")
        .endsWith(" reasons=\"TLS version on our hop is unknown (need TLSv1.2)\""
            + " unknowns=\"TLS version on our hop is unknown (need TLSv1.2)\"");
    assertThat(lines.get(2)).contains("3-plain: disposition=reject action=reject rule=partner-tls ")
        .endsWith(" reasons=\"no TLS on our hop (need TLSv1.2)\"");
    assertThat(lines.get(3)).contains("4-no-recipient: disposition=accept")
        .endsWith("unknowns=\"" + StoredJudge.NO_RECIPIENT + "\"");
    assertThat(out()).contains("messages: 4, decisions resting on unknowns: 2");
  }

  @Test
  void replayShouldWriteOneJsonObjectPerMessage() {
    assertThat(run("replay", policy.toString(), "--json", maildir.toString())).as(err()).isZero();
    List<String> lines = out().lines().collect(Collectors.toList());
    assertThat(lines).hasSize(4).allMatch(l -> l.startsWith("{\"file\": \"") && l.endsWith("}"));
    assertThat(lines.get(1)).contains("2-tls-unknown\", \"sender\": \"alice@partner.example\", \"recipients\":"
        + " [\"bob@example.org\"], \"direction\": \"inbound\", \"score\": ")
        .contains("\"action\": \"reject\", \"dry_run\": false, \"disposition\": \"reject\", \"rule\": \"partner-tls\","
            + " \"rule_location\": \"partners.yaml:5\", \"reasons\": [\"TLS version on our hop is unknown (need"
            + " TLSv1.2)\"], \"unknowns\": [\"TLS version on our hop is unknown (need TLSv1.2)\"]}");
    assertThat(lines.get(0)).contains("\"disposition\": \"accept\", \"rule\": null, \"rule_location\": null,"
        + " \"reasons\": [], \"unknowns\": []}");
  }

  @Test
  void aMessageThatCannotBeReadShouldBeCountedListedAndFailTheRun() {
    Path missing = dir.resolve("gone.eml");
    assertThat(run("replay", policy.toString(), maildir.toString(), missing.toString())).isEqualTo(1);
    assertThat(out()).contains("messages: 4, not judged: 1, decisions resting on unknowns: 2",
        "not judged (also on standard error):\n  " + missing + ": no such file or directory");
    assertThat(err()).contains(missing + ": not judged: no such file or directory");

    assertThat(run("replay", policy.toString(), "--json", missing.toString())).isEqualTo(1);
    assertThat(out()).isEqualTo("{\"file\": \"" + missing + "\", \"error\": \"no such file or directory\"}\n");
  }

  @Test
  void explainStoredShouldReproduceWhatReplayDecided() {
    for (String name : List.of("1-tls13", "2-tls-unknown", "3-plain", "4-no-recipient")) {
      Path file = maildir.resolve("cur").resolve(name);
      assertThat(run("replay", "--list", policy.toString(), file.toString())).as(err()).isZero();
      String listed = out().lines().findFirst().orElseThrow();
      String disposition = listed.replaceAll(".*disposition=(\\S+).*", "$1");
      String rule = listed.replaceAll(".* rule=(\\S+).*", "$1");
      String score = listed.replaceAll(".* score=(\\d+).*", "$1");

      assertThat(run("explain", policy.toString(), "--stored", file.toString())).as(err()).isZero();
      assertThat(out()).as(name).contains("what the MTA does: " + disposition, "tls=(stored: no session) score="
          + score + " ");
      if (rule.equals("-")) {
        assertThat(out()).as(name).doesNotContain(" rule=");
      } else {
        assertThat(out()).as(name).contains("decision for the message: reject 550 5.7.1", " rule=" + rule
            + " (domain partner.example, partners.yaml:5)");
      }
    }
    assertThat(run("explain", policy.toString(), "--stored", maildir.resolve("cur/2-tls-unknown").toString()))
        .isZero();
    assertThat(out()).contains("rests on an unknown: TLS version on our hop is unknown (need TLSv1.2)");
    assertThat(run("explain", policy.toString(), "--stored", maildir.resolve("cur/1-tls13").toString())).isZero();
    assertThat(out()).contains("met:    our hop").contains("used TLSv1.3, at or above TLSv1.2");
  }

  @Test
  void optionsThatWouldBeIgnoredShouldBeRefused() {
    assertThat(run("replay", policy.toString(), "--tls", "TLSv1.3", maildir.toString())).isEqualTo(2);
    assertThat(err()).contains("caliop policy replay: Unknown option: '--tls'");
    assertThat(run("replay", policy.toString(), "--auth", "me", maildir.toString())).isEqualTo(2);
    assertThat(run("replay", policy.toString(), "--list", "--json", maildir.toString())).isEqualTo(2);
    assertThat(err()).contains("choose one");
    assertThat(run("explain", policy.toString(), "--stored", "--tls", "TLSv1.3",
        maildir.resolve("cur/1-tls13").toString())).isEqualTo(2);
    assertThat(err()).contains("has no SMTP session");
    assertThat(run("explain", policy.toString(), "--stored")).isEqualTo(2);
  }

  /**
   * Mail our server relayed for an authenticated submitter (an archive copy, a Bcc to oneself) is outbound by the line
   * our server wrote; the same line written by the sender below ours leaves it inbound.
   */
  @Test
  void replayShouldInferOutboundFromOurOwnAuthenticatedLineOnly() throws IOException {
    String submission = "Received: from laptop (dyn-20.isp.example [198.51.100.20])\r\n"
        + "\t(Authenticated sender: alice)\r\n\tby mail.example.org (Postfix) with ESMTPSA id 4SUB1;\r\n"
        + "\tMon, 01 Jan 2024 00:00:00 +0000\r\n";
    Path real = Files.writeString(dir.resolve("sent.eml"), stored(submission, "To: carol@partner.example\r\n")
        .replace("Return-Path: <alice@partner.example>", "Return-Path: <alice@example.org>"));
    Path forged = Files.writeString(dir.resolve("forged.eml"), stored(PLAIN + submission.replace(
        "mail.example.org", "mx.partner.example"), "To: carol@partner.example\r\n"));
    assertThat(run("replay", "--json", policy.toString(), real.toString(), forged.toString())).as(err()).isZero();
    List<String> lines = out().lines().collect(Collectors.toList());
    assertThat(lines.get(0)).contains("sent.eml\", \"sender\": \"alice@example.org\"", "\"direction\": \"outbound\"");
    assertThat(lines.get(1)).contains("forged.eml\"", "\"direction\": \"inbound\"");
    assertThat(run("explain", policy.toString(), "--stored", real.toString())).as(err()).isZero();
    assertThat(out()).contains("direction=outbound");
  }

  @Test
  void replayShouldHonourDirection() {
    assertThat(run("replay", "--json", "--direction", "outbound", policy.toString(),
        maildir.resolve("cur/3-plain").toString())).as(err()).isZero();
    assertThat(out()).contains("\"direction\": \"outbound\"");
    assertThat(run("replay", "--direction", "sideways", policy.toString(), maildir.toString())).isEqualTo(2);
    assertThat(err()).contains("must be inbound, outbound or internal, not 'sideways'");
  }
}
