package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampCommandTest {
  private static final Path SAMPLE = Path.of("../examples/messages/grade-C-pgp-encrypted-from-outside.eml");
  private static final String TRUST = "../examples/messages/trust.yaml";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(byte[] stdin, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "stamp";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.run(all, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void stampShouldPutOurFieldsOnTopAndKeepTheMessageAsItWas() throws Exception {
    byte[] original = Files.readAllBytes(SAMPLE);
    assertThat(run(new byte[0], "--policy", TRUST, "--by", "mail.example.org", SAMPLE.toString())).isZero();
    String stamped = output();
    assertThat(stamped).startsWith("Caliop-Privacy: score=40, grade=C, v=2, reasons=(transport-unknown "
        + "hop-claimed-tls auth-unknown e2e-pgp-mime), encrypted=pgp-mime, signed=none, hops=3, by=\"mail.example.org\"\n"
        + "Caliop-Path: claimed;tls=none;local;proto=LMTP;from=\"hq5.example.org\", ");
    String rest = stamped.substring(stamped.indexOf("Return-Path:"));
    assertThat(rest).isEqualTo(new String(original, StandardCharsets.ISO_8859_1));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void stampShouldRemoveForgedCaliopFieldsAndReadStandardInput() {
    String forged = "Caliop-Privacy: score=100, grade=A, v=2, by=\"mail.example.org\"\r\n"
        + "Subject: hi\r\nCaliop-Path: firsthand;tls=TLSv1.3\r\n\r\nbody\r\n";
    assertThat(run(forged.getBytes(StandardCharsets.US_ASCII), "--by", "mail.example.org")).isZero();
    String stamped = output();
    assertThat(stamped).startsWith("Caliop-Privacy: score=0, grade=E, v=2, ");
    assertThat(stamped).endsWith("\r\nSubject: hi\r\n\r\nbody\r\n");
    assertThat(stamped).doesNotContain("grade=A").doesNotContain("firsthand");
  }

  @Test
  void stampWithoutByShouldNameNoServer() throws Exception {
    assertThat(run(new byte[0], SAMPLE.toString())).isZero();
    assertThat(output().lines().findFirst().orElseThrow()).doesNotContain("by=");
  }

  @Test
  void stampShouldKeepALineFeedMessageInLineFeeds() throws Exception {
    Path lf = dir.resolve("lf.eml");
    Files.writeString(lf, "Subject: x\nReceived: from a.example by b.example with ESMTP; Mon, 1 Jan 2024 00:00:00 +0000\n\nbody\n");
    assertThat(run(new byte[0], lf.toString())).isZero();
    assertThat(output()).doesNotContain("\r").endsWith("\nSubject: x\nReceived: from a.example by b.example with ESMTP;"
        + " Mon, 1 Jan 2024 00:00:00 +0000\n\nbody\n");
  }

  @Test
  void helpShouldGoToStandardOutputWithStatusZero() {
    assertThat(run(new byte[0], "--help")).isZero();
    assertThat(output()).contains("Usage: caliop stamp").contains("--by=NAME").contains("--policy=FILE");
  }

  @Test
  void usageErrorsShouldBeOneLineWithStatusTwo() {
    assertThat(run(new byte[0], "--bogus")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("caliop stamp: Unknown option: '--bogus'").hasLineCount(1);
  }

  @Test
  void anUnreadableMessageShouldBeStatusOne() {
    assertThat(run(new byte[0], dir.resolve("missing.eml").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("caliop stamp: ");
  }

  @Test
  void aPolicyWithErrorsShouldStopBeforeAnyMessage() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "version: 1\nnonsense_key: 3\n");
    assertThat(run(new byte[0], "--policy", bad.toString(), SAMPLE.toString())).isEqualTo(2);
    assertThat(output()).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.yaml:2");
  }
}
