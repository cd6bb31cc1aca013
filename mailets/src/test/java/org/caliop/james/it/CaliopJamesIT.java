package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.mail.smtp.SMTPSendFailedException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * caliop in a real James 3.8.1, loaded from extensions-jars and configured with examples/james. Decisions come from
 * the test policy (it-policy/ItPolicy.java), which decides by the recipient's local part.
 */
class CaliopJamesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String FROM = "alice@example.org";

  @TempDir
  static Path workDir;
  private static JamesServerFixture james;

  @BeforeAll
  static void startJames() throws Exception {
    james = JamesServerFixture.start(workDir, "bob", "needtls", "hold", "reject", "tempfail", "redirect");
  }

  @AfterAll
  static void stopJames() {
    if (james != null) {
      james.close();
    }
  }

  private static byte[] message(String subject, String... extraHeaders) {
    StringBuilder s = new StringBuilder();
    for (String h : extraHeaders) {
      s.append(h).append("\r\n");
    }
    s.append("From: " + FROM + "\r\nTo: bob@caliop.test\r\nSubject: " + subject + "\r\n"
        + "Message-ID: <" + subject.replace(' ', '-') + "@example.org>\r\nDate: Mon, 2 Sep 2024 10:00:00 +0000\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob.\r\n");
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static MimeMessage parse(byte[] raw) throws MessagingException {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
  }

  @Test
  void pluginClassesShouldComeFromExtensionsJarsOnly() {
    assertThatThrownBy(() -> Class.forName("org.caliop.james.mailets.CaliopScore"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("org.caliop.engine.Engine"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void deliveredMessageShouldCarryCaliopPrivacyWithoutStartTls() throws Exception {
    james.send(message("plain delivery"), FROM, false, "bob@caliop.test");

    MimeMessage delivered = parse(james.awaitMessage("bob", "plain delivery", WAIT));

    assertThat(delivered.getHeader("Caliop-Privacy")).hasSize(1);
  }

  @Test
  void forgedCaliopPrivacyShouldBeRemoved() throws Exception {
    String forged = "score=100, grade=A, v=1, forged=1";
    james.send(message("forged header", "Caliop-Privacy: " + forged, "Caliop-Hop: forged"), FROM, false,
        "bob@caliop.test");

    MimeMessage delivered = parse(james.awaitMessage("bob", "forged header", WAIT));

    assertThat(delivered.getHeader("Caliop-Privacy")).hasSize(1).doesNotContain(forged);
    assertThat(delivered.getHeader("Caliop-Hop") == null ? new String[0] : delivered.getHeader("Caliop-Hop"))
        .doesNotContain("forged");
  }

  @Test
  void engineShouldSeeTheTlsOfTheSmtpSession() throws Exception {
    assertThatThrownBy(() -> james.send(message("needs tls, clear"), FROM, false, "needtls@caliop.test"))
        .isInstanceOf(SMTPSendFailedException.class)
        .hasMessageContaining("5.7.10 caliop it: TLS required");

    james.send(message("needs tls, starttls"), FROM, true, "needtls@caliop.test");

    assertThat(james.awaitMessage("needtls", "needs tls, starttls", WAIT)).isNotEmpty();
  }

  @Test
  void rejectShouldHappenAtSmtpTimeWithThePolicyText() {
    assertThatThrownBy(() -> james.send(message("to be rejected"), FROM, true, "reject@caliop.test"))
        .isInstanceOfSatisfying(SMTPSendFailedException.class, e -> {
          assertThat(e.getReturnCode()).isEqualTo(550);
          assertThat(e.getMessage()).contains("5.7.1 caliop it: rejected by policy");
        });
  }

  @Test
  void tempfailShouldAnswer451AtSmtpTime() {
    assertThatThrownBy(() -> james.send(message("to be tempfailed"), FROM, false, "tempfail@caliop.test"))
        .isInstanceOfSatisfying(SMTPSendFailedException.class, e -> {
          assertThat(e.getReturnCode()).isEqualTo(451);
          assertThat(e.getMessage()).contains("4.7.1 caliop it: try again later");
        });
  }

  @Test
  void holdShouldQuarantineInTheHoldRepository() throws Exception {
    long before = james.heldCount();

    james.send(message("to be held"), FROM, false, "hold@caliop.test");

    awaitHeld(before + 1);
    assertThat(james.fetch("hold", "to be held")).isNull();
  }

  @Test
  void redirectShouldDeliverToTheRuleAddress() throws Exception {
    james.send(message("to be redirected"), FROM, false, "redirect@caliop.test");

    assertThat(james.awaitMessage("bob", "to be redirected", WAIT)).isNotEmpty();
    assertThat(james.fetch("redirect", "to be redirected")).isNull();
  }

  @Test
  void lowGradeShouldBeRoutedByTheGradeMatcher() throws Exception {
    james.send(message("grade routing"), FROM, false, "bob@caliop.test");

    MimeMessage delivered = parse(james.awaitMessage("bob", "grade routing", WAIT));

    String grade = grade(delivered.getHeader("Caliop-Privacy")[0]);
    boolean low = grade.equals("D") || grade.equals("E");
    assertThat(delivered.getHeader("X-Privacy-Warning") != null).isEqualTo(low);
  }

  @Test
  void jamesPathShouldScoreLikeTheEngineCalledDirectly() throws Exception {
    byte[] sample = Files.readAllBytes(Path.of("../../shared/fixtures/pgp/thunderbird_encrypted_signed.eml"));
    String subject = parse(sample).getSubject();
    james.send(sample, FROM, false, "bob@caliop.test");

    byte[] delivered = james.awaitMessage("bob", subject, WAIT);

    DirectEngine.Result direct = DirectEngine.evaluateAsJamesSawIt(delivered, FROM, "bob@caliop.test",
        "client.caliop.test");
    MimeMessage deliveredMessage = parse(delivered);
    assertThat(deliveredMessage.getHeader("Caliop-Privacy")).containsExactly(direct.privacy());
  }

  private static void awaitHeld(long expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (james.heldCount() < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("hold repository has " + james.heldCount() + " mails, expected " + expected);
      }
      Thread.sleep(100);
    }
  }

  static String grade(String privacy) {
    Matcher m = Pattern.compile("grade=\"?([A-E])").matcher(privacy);
    if (!m.find()) {
      throw new AssertionError("no grade in Caliop-Privacy: " + privacy);
    }
    return m.group(1);
  }
}
