package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyCommandTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PolicyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static Stream<Path> samples() throws IOException {
    return Files.list(Path.of("../conf")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void checkShouldPassOnEverySample(Path sample) {
    assertThat(run("check", sample.toString())).as(err() + out()).isZero();
    // The one warning a sample may earn says what the milter does with split_per_recipient, which James honours.
    String rest = out().lines().filter(l -> !l.contains(": warning: split_per_recipient: "))
        .collect(java.util.stream.Collectors.joining("\n"));
    assertThat(rest).startsWith(sample + ": ok, mode ").doesNotContain(" warning: ");
    assertThat(err()).isEmpty();
  }

  @Test
  void checkShouldPrintEachErrorAndExitOne() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "global:\n  action: explode\n  min_scor: 3\n");
    assertThat(run("policy", "check", bad.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo(bad + ":2:11: unknown action 'explode' (expected accept, tag, reject, tempfail, hold"
        + " (or quarantine), redirect or encrypt)\n" + bad + ":3:3: unknown key 'min_scor' in a rule (did you mean 'min_score'?)\n"
        + bad + ": 2 error(s), policy not usable\n");
  }

  private Path policyWithKeys(Path keys) throws IOException {
    Path policy = dir.resolve("encrypt.yaml");
    Files.writeString(policy, "encryption:\n  keys_dir: " + keys + "\nglobal:\n  require_encryption: any\n"
        + "  action: encrypt\n");
    return policy;
  }

  @Test
  void checkShouldFailOnSecretKeyMaterialInTheKeyDirectory() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(Path.of("../../shared/fixtures/pgp/alice-public.asc"), keys.resolve("alice.asc"));
    Files.copy(Path.of("../../shared/fixtures/pgp/bob-secret.asc"), keys.resolve("bob.asc"));
    Path policy = policyWithKeys(keys);

    assertThat(run("check", policy.toString())).isEqualTo(1);
    assertThat(err()).contains(keys.resolve("bob.asc") + ": error: holds an OpenPGP secret key")
        .endsWith(policy + ": keys_dir not usable (secret key material or broken files)\n");
    assertThat(out()).doesNotContain(": ok,");
  }

  @Test
  void checkShouldFailOnABrokenKeyFile() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.writeString(keys.resolve("carol.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertThat(run("check", policyWithKeys(keys).toString())).isEqualTo(1);
    assertThat(err()).contains(keys.resolve("carol.pem") + ": error: ");
  }

  @Test
  void checkShouldOnlyWarnOfAKeyExpiringSoon() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path home = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    java.util.Map<String, String> env = java.util.Map.of("GNUPGHOME", home.toString());
    try {
      exec(env, "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
          "<soon@example.org>", "future-default", "default", "10d");
      Files.write(keys.resolve("soon.asc"), exec(env, "gpg", "--batch", "--armor", "--export", "soon@example.org"));
    } finally {
      exec(env, "gpgconf", "--kill", "gpg-agent");
    }
    Path policy = policyWithKeys(keys);

    assertThat(run("check", policy.toString())).as(err()).isZero();
    assertThat(out()).startsWith(policy + ": ok, mode enforce").contains("soon@example.org expires ")
        .contains("(within 30 days)").contains("keys: 1 file(s), 1 key(s), 1 usable, 1 warning(s)");
    assertThat(err()).isEmpty();
  }

  private static byte[] exec(java.util.Map<String, String> env, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  @Test
  void checkShouldExitTwoOnUsageErrors() {
    assertThat(run("check")).isEqualTo(2);
    assertThat(run("frobnicate", "x")).isEqualTo(2);
    assertThat(err()).isEqualTo("caliop policy check: Missing required parameter: 'FILE' (caliop policy check --help)\n"
        + "caliop policy: unknown command 'frobnicate': say check, explain, replay, export (caliop policy --help)\n");
  }

  @Test
  void explainShouldShowLayersAndDecision() {
    int rc = run("explain", "../conf/require-tls-partners.yaml", "--from", "alice@partner.example", "--to",
        "bob@example.org", "--tls", "TLSv1.1", "--direction", "inbound");
    assertThat(rc).as(err()).isZero();
    assertThat(out()).contains(
        "policy: ../conf/require-tls-partners.yaml (enforce)",
        "direction=inbound tls=TLSv1.1",
        "recipient <bob@example.org>:",
        "    1. global: global (require-tls-partners.yaml:17)",
        "    2. sender's domain: domain partner.example (require-tls-partners.yaml:22)",
        "    3. sender's domain, inbound: domain partner.example inbound (require-tls-partners.yaml:25)",
        "    min_tls_version = TLSv1.2   (domain partner.example, require-tls-partners.yaml:22)",
        "  failed: our hop used TLSv1.1, below TLSv1.2",
        "decision for the message: reject 550 5.7.1 \"partner.example mail must arrive over TLS 1.2 or better:"
            + " our hop used TLSv1.1, below TLSv1.2");
    assertThat(out()).contains("rule=require-tls-partners.yaml:25 (domain partner.example inbound)");
  }

  @Test
  void explainShouldReadAMessageFile() throws IOException {
    Path msg = dir.resolve("m.eml");
    Files.writeString(msg, "From: a@x.example\r\nTo: b@y.example\r\nSubject: hi\r\n\r\nbody\r\n");
    assertThat(run("explain", "../conf/default.yaml", "--from", "a@x.example", "--to", "b@y.example",
        msg.toString())).as(err()).isZero();
    assertThat(out()).contains("decision for the message: ");
  }

  @Test
  void replayShouldCountPerActionAndRule() throws IOException {
    Path maildir = dir.resolve("Maildir/cur");
    Files.createDirectories(maildir);
    for (int i = 0; i < 3; i++) {
      Files.writeString(maildir.resolve("m" + i), "Return-Path: <x@partner.example>\r\nDelivered-To: me@example.org"
          + "\r\nSubject: " + i + "\r\n\r\nbody\r\n");
    }
    Path mbox = dir.resolve("mbox");
    Files.writeString(mbox, "From x@y Mon Jan  1 00:00:00 2024\nFrom: a@other.example\nTo: b@example.org\n\nhello\n\n"
        + "From x@y Mon Jan  1 00:00:00 2024\nFrom: a@other.example\nTo: c@example.org\n\nhello\n");
    Path policy = dir.resolve("partners.yaml");
    Files.writeString(policy, "domains:\n  partner.example:\n    min_tls_version: TLSv1.2\n    action: reject\n");
    int rc = run("replay", policy.toString(), dir.resolve("Maildir").toString(), mbox.toString());
    assertThat(rc).as(err()).isZero();
    assertThat(out()).contains("messages: 5");
    // Stored mail carries no first-hand TLS: the partner rule fails on every message from partner.example.
    assertThat(out()).containsPattern("accept\\s+2\\s+40\\.0%").containsPattern("reject\\s+3\\s+60\\.0%");
    assertThat(out()).containsPattern("partners.yaml:2 domain partner.example\\s+reject\\s+reject\\s+3");
  }

  @Test
  void explainAndReplayShouldSayWhatTheMtaReallyDoesWithAnEncryptRule() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(Path.of("../../shared/fixtures/pgp/bob-public.asc"), keys.resolve("bob-public.asc"));
    Path policy = dir.resolve("encrypt.yaml");
    Files.writeString(policy, "mode: dry-run\nencryption:\n  keys_dir: keys\ndomains:\n  example.net:\n"
        + "    applies_to: recipient\n    require_encryption: any\n    action: encrypt\n");

    assertThat(run("explain", policy.toString(), "--from", "a@example.org", "--to", "nokey@example.net"))
        .as(err()).isZero();
    assertThat(out()).contains("what the MTA does: hold: caliop: no key for nokey@example.net"
        + " (encrypt_missing_keys=1 on_missing_key=hold) (when enforced; in dry-run the message is only tagged)");
    // per recipient, the key the gateway would use, or what happens without one
    out.reset();
    assertThat(run("explain", policy.toString(), "--from", "a@example.org", "--to", "bob@example.net,nokey@example.net"))
        .as(err()).isZero();
    assertThat(out()).containsPattern("recipient <bob@example.net>:\n(  .*\n)*  key: pgp-mime 0x[0-9A-F]{16} "
        + java.util.regex.Pattern.quote(keys.resolve("bob-public.asc").toString()) + "\n")
        .containsPattern("recipient <nokey@example.net>:\n(  .*\n)*  key: none -> on_missing_key: hold\n");
    assertThat(run("explain", policy.toString(), "--from", "a@example.org", "--to", "bob@example.net")).isZero();
    assertThat(out()).contains("what the MTA does: encrypted");
    // no key line when the decision is not to encrypt
    out.reset();
    assertThat(run("explain", policy.toString(), "--from", "a@example.org", "--to", "bob@example.org")).isZero();
    assertThat(out()).doesNotContain("key:");

    out.reset();
    Path maildir = Files.createDirectories(dir.resolve("Maildir/cur"));
    Files.writeString(maildir.resolve("1"), "Return-Path: <a@example.org>\r\nTo: bob@example.net\r\n\r\nhi\r\n");
    Files.writeString(maildir.resolve("2"), "Return-Path: <a@example.org>\r\nTo: nokey@example.net\r\n\r\nhi\r\n");
    assertThat(run("replay", policy.toString(), dir.resolve("Maildir").toString())).as(err()).isZero();
    assertThat(out()).containsPattern("encrypted\\s+1\\s+50\\.0%").containsPattern("hold\\s+1\\s+50\\.0%")
        .containsPattern("encrypt\\s+encrypted\\s+1").containsPattern("encrypt\\s+hold\\s+1")
        .contains("dry-run policy: the counts are what enforcing would do");
  }

  /**
   * Hostile address headers in linear time (issue 13): 1 MiB of {@code To:} (all the envelope guess reads) in one run
   * without an {@code @}, and one made of {@code a@} pairs. The regular expression this replaces went back over the
   * run once per position: 128 KiB took 20-48 s, so 1 MiB would take tens of minutes.
   */
  @Test
  void replayAndExplainShouldReadAMebibyteAddressHeaderInOnePass() throws IOException {
    Path plain = dir.resolve("plain.eml");
    Files.writeString(plain, "From: a@x.example\r\nTo: " + "b".repeat(1 << 20) + "\r\n\r\nbody\r\n");
    Path pairs = dir.resolve("pairs.eml");
    Files.writeString(pairs, "From: a@x.example\r\nTo: " + "a@".repeat(1 << 19) + "\r\n\r\nbody\r\n");

    assertThat(run("replay", "../conf/default.yaml", plain.toString(), pairs.toString())).as(err()).isZero();
    assertThat(out()).contains("messages: 2");
    assertThat(run("explain", "../conf/default.yaml", "--from", "a@x.example", "--to", "b@y.example",
        plain.toString())).as(err()).isZero();
  }

  @Test
  void headerEnvelopeShouldFindAddressesBetweenDelimiters() {
    assertThat(PolicyCommand.HeaderEnvelope.addresses(java.util.List.of(
        "Bob <bob@example.org>, \"x@y\" carol@example.net;dave@[192.0.2.1] @nobody@ a@@b e@ @f g@h@i")))
        .containsExactly("bob@example.org", "x@y", "carol@example.net", "a@@b", "g@h@i");
  }
}
