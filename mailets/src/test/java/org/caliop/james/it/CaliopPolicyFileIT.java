package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.mail.smtp.SMTPSendFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.caliop.james.it.JamesServerFixture.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real James 3.8.1 whose caliop mailets and SMTP hook all name the same YAML policy file
 * (it-policy/caliop-policy.yaml: TLS 1.2 or better, else reject; nothing from mallory). The test's client is on
 * loopback, a local hop that crosses no network: the TLS rule is met for it in clear as over STARTTLS
 * (docs/policy.md, {@code min_tls_version}); the TLS rule against a client from outside is the conformance table's.
 */
class CaliopPolicyFileIT {
  @TempDir
  static Path workDir;
  private static JamesServerFixture james;

  @BeforeAll
  static void startJames() throws Exception {
    // carol gets the forged-field test's message, so bob's INBOX never changes while another test reads it.
    james = JamesServerFixture.start(workDir, Variant.CALIOP_POLICY_FILE, "bob", "carol");
  }

  @AfterAll
  static void stopJames() {
    if (james != null) {
      james.close();
    }
  }

  private static byte[] message(String subject) {
    return ("From: alice@example.org\r\nTo: bob@caliop.test\r\nSubject: " + subject + "\r\n"
        + "Message-ID: <" + subject.replace(' ', '-') + "@example.org>\r\n\r\nHello Bob.\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aRuleOfTheFileShouldRejectAtSmtpTimeWithTheFileReplyText() {
    assertThatThrownBy(() -> james.send(message("policy file, mallory"), "mallory@example.org", false,
        "bob@caliop.test"))
        .isInstanceOfSatisfying(SMTPSendFailedException.class, e -> {
          assertThat(e.getReturnCode()).isEqualTo(550);
          assertThat(e.getMessage()).contains("5.7.1 caliop policy file: not from mallory");
        });
  }

  /**
   * Issue 11: a sender writes our authserv-id into an Authentication-Results field. James shows mailets its own
   * Received: line, so the field stands below it, where only what came with the message stands: CaliopScore does
   * not believe it and takes it out of the delivered message, as the milter does.
   */
  @Test
  void aForgedAuthenticationResultsOfOurIdShouldBeTakenOutAndEarnNothing() throws Exception {
    String forged = "Authentication-Results: mx.caliop.test; dkim=pass header.d=example.org;"
        + " dmarc=pass header.from=example.org\r\nAuthentication-Results: mx.google.com; spf=pass\r\n";
    byte[] raw = (forged + new String(message("forged authres"), StandardCharsets.US_ASCII))
        .getBytes(StandardCharsets.US_ASCII);

    james.send(raw, "alice@example.org", true, "carol@caliop.test");

    String delivered = new String(james.awaitMessage("carol", "forged authres", Duration.ofSeconds(30)),
        StandardCharsets.ISO_8859_1);
    String header = delivered.substring(0, delivered.indexOf("\r\n\r\n"));
    assertThat(header).doesNotContain("mx.caliop.test; dkim=pass").contains("mx.google.com; spf=pass");
    assertThat(header).contains("authres-not-believed").doesNotContain("dmarc-pass").doesNotContain("dkim-pass");
  }

  @Test
  void startTlsSessionShouldBeDeliveredWithCaliopHeaders() throws Exception {
    james.send(message("policy file, starttls"), "alice@example.org", true, "bob@caliop.test");

    String delivered = new String(james.awaitMessage("bob", "policy file, starttls", Duration.ofSeconds(30)),
        StandardCharsets.ISO_8859_1);

    assertThat(delivered).contains("Caliop-Privacy: ");
  }
}
