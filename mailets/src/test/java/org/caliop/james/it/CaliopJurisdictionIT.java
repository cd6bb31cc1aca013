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
 * A real James 3.8.1 with it-policy/caliop-geo-policy.yaml: the test country database maps the loopback client to
 * NL; carol denies NL.
 */
class CaliopJurisdictionIT {
  @TempDir
  static Path workDir;
  private static JamesServerFixture james;

  @BeforeAll
  static void startJames() throws Exception {
    james = JamesServerFixture.start(workDir, Variant.CALIOP_GEO_POLICY_FILE, "bob", "carol");
  }

  @AfterAll
  static void stopJames() {
    if (james != null) {
      james.close();
    }
  }

  private static byte[] message(String to, String subject) {
    return ("From: alice@example.org\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n"
        + "Message-ID: <" + subject.replace(' ', '-') + "@example.org>\r\n\r\nHello.\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void denyJurisdictionsShouldRejectAtSmtpTimeNamingTheHop() {
    assertThatThrownBy(() -> james.send(message("carol@caliop.test", "jurisdiction, carol"), "alice@example.org",
        false, "carol@caliop.test"))
        .isInstanceOfSatisfying(SMTPSendFailedException.class, e -> {
          assertThat(e.getReturnCode()).isEqualTo(550);
          assertThat(e.getMessage()).contains("carol takes no mail through NL").contains("firsthand hop 1")
              .contains("registered in NL per Caliop-Test-Country");
        });
  }

  @Test
  void caliopHopShouldCarryTheCountryForOtherRecipients() throws Exception {
    james.send(message("bob@caliop.test", "jurisdiction, bob"), "alice@example.org", false, "bob@caliop.test");

    String delivered = new String(james.awaitMessage("bob", "jurisdiction, bob", Duration.ofSeconds(30)),
        StandardCharsets.ISO_8859_1);

    assertThat(delivered).containsPattern("Caliop-Hop: .*ip=\"127\\.0\\.0\\.1\", cc=NL, ccdb=\"Caliop-Test-Country ");
  }
}
