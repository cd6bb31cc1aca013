package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.caliop.james.it.JamesServerFixture.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real James 3.8.1 running examples/james without StripForeignHeaders: CaliopScore alone removes forged
 * {@code Caliop-*} fields by name in the message James delivers (behind a bare CR, after 10,000 other foreign
 * fields; past the engine's count the shipped example defers), and a user rule meets every spelling of its address through
 * James's {@code MailAddress} (it-policy/caliop-edges-policy.yaml).
 */
class CaliopScoreAloneIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FROM = "alice@example.org";

  @TempDir
  static Path workDir;
  private static JamesServerFixture james;

  @BeforeAll
  static void startJames() throws Exception {
    james = JamesServerFixture.start(workDir, Variant.CALIOP_SCORE_ALONE, "bob");
  }

  @AfterAll
  static void stopJames() {
    if (james != null) {
      james.close();
    }
  }

  private static byte[] message(String subject, String headers) {
    return (headers + "From: " + FROM + "\r\nTo: bob@caliop.test\r\nSubject: " + subject + "\r\nMessage-ID: <"
        + subject.replace(' ', '-') + "@example.org>\r\n\r\nHello Bob.\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String delivered(String subject) throws Exception {
    String raw = new String(james.awaitMessage("bob", subject, WAIT), StandardCharsets.ISO_8859_1);
    return raw.substring(0, raw.indexOf("\r\n\r\n"));
  }

  /** James's injector hands CaliopScore its metric factory: the judged mail is counted where James counts. */
  @Test
  void aJudgedMailShouldBeCountedAndTimedInJamesMetrics() throws Exception {
    long accepted = james.counter("caliopJudgedMails-accept");
    long timed = james.timerCount("caliopJudgement");
    assertThat(james.counter("caliopJudgedMails-reject")).as("made at start").isGreaterThanOrEqualTo(0);
    assertThat(james.counter("caliopErrors-unreadable_message")).as("made at start").isZero();

    assertThat(james.sendRaw(message("counted", ""), FROM, "bob@caliop.test")).startsWith("250");
    delivered("counted");

    assertThat(james.counter("caliopJudgedMails-accept")).isEqualTo(accepted + 1);
    assertThat(james.timerCount("caliopJudgement")).isEqualTo(timed + 1);
  }

  @Test
  void aForgedFieldBehindABareCrShouldBeRemoved() throws Exception {
    String reply = james.sendRaw(message("bare cr", "X-Note: hello\rCaliop-Privacy: v=2, score=100, forged\r\n"),
        FROM, "bob@caliop.test");

    assertThat(reply).startsWith("250");
    String header = delivered("bare cr");
    assertThat(header).doesNotContain("forged");
    assertThat(header.lines().filter(l -> l.startsWith("Caliop-Privacy:"))).hasSize(1);
  }

  @Test
  void aForgedFieldAfterTenThousandOtherForeignFieldsShouldBeRemoved() throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      h.append("Caliop-Junk: ").append(i).append("\r\n");
    }
    h.append("Caliop-Privacy: v=2, score=100, forged\r\n");

    assertThat(james.sendRaw(message("ten thousand", h.toString()), FROM, "bob@caliop.test")).startsWith("250");

    String header = delivered("ten thousand");
    assertThat(header).doesNotContain("Caliop-Junk").doesNotContain("forged");
    assertThat(header.lines().filter(l -> l.startsWith("Caliop-Privacy:"))).hasSize(1);
  }

  @Test
  void pastTheEnginesBoundTheShippedExampleShouldDefer() throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i <= 1_000; i++) {
      h.append("Caliop-X").append(i).append(": forged\r\n");
    }

    // The engine cannot count them all: the hook answers its onError (tempfail in the shipped example), so no
    // forged field is delivered. With onError accept/pass, CaliopScore strips them by name (CaliopScoreTest).
    assertThat(james.sendRaw(message("past the bound", h.toString()), FROM, "bob@caliop.test"))
        .startsWith("451 4.3.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ceo@example.org", "\"ceo\"@example.org", "CEO@EXAMPLE.ORG", "ceo+board@example.org"})
  void everySpellingOfTheCeoShouldMeetTheCeoRule(String spelling) throws Exception {
    String reply = james.sendRaw(message("to the ceo", ""), FROM, spelling);

    assertThat(reply).as(spelling).startsWith("550").contains("ceo rule");
  }
}
