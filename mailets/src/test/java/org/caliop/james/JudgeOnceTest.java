package org.caliop.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.mail.internet.MimeMessage;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.caliop.facts.MessageFacts;
import org.caliop.james.mailets.CaliopScore;
import org.caliop.james.smtp.CaliopSmtpPolicyHook;
import org.caliop.james.smtp.FakeSessions;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.score.Score;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * James judges a message once: the SMTP hook's judgement reaches {@code CaliopScore} through {@link JudgedAtSmtp},
 * and only when nothing the engine reads changed since. Nothing a sender or another mailet writes makes
 * {@code CaliopScore} take a judgement that is not the one it would make itself.
 */
class JudgeOnceTest {
  private CaliopSmtpPolicyHook hook;
  private CaliopScore score;

  @BeforeEach
  void setUp() throws Exception {
    CountingPolicy.DECISIONS.set(0);
    BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
    config.addProperty("policyClass", CountingPolicy.class.getName());
    hook = new CaliopSmtpPolicyHook();
    hook.init(config);
    score = new CaliopScore();
    score.init(FakeMailetConfig.builder().mailetName("CaliopScore").mailetContext(FakeMailContext.defaultContext())
        .setProperty("policyClass", CountingPolicy.class.getName()).build());
  }

  /** Clear, encrypted (whose body the engine skips: the digest covers skipped bytes too), signed. */
  @ParameterizedTest
  @ValueSource(strings = {"", "pgp/thunderbird_encrypted_unsigned.eml", "smime/alice.dsig.SHA256.multipart.env.eml",
      "smime/alice.dsig.SHA256.multipart.eml"})
  void scoreShouldUseTheHooksJudgementOfAnUnchangedMail(String fixture) throws Exception {
    FakeMail mail = mail(fixture.isEmpty() ? TestMails.parse(TestMails.simple()) : TestMails.fixture(fixture));

    atSmtp(mail);
    assertThat(mail.getAttribute(JudgedAtSmtp.ATTRIBUTE)).as("token handed on").isPresent();
    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).as("judged once").hasValue(1);
    assertThat(mail.getAttribute(JudgedAtSmtp.ATTRIBUTE)).as("token used up").isEmpty();
    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isPresent();
  }

  @Test
  void aReusedJudgementShouldLeaveTheMailAsAFreshOne() throws Exception {
    FakeMail reused = mail(TestMails.fixture("smime/alice.dsig.SHA256.multipart.eml"));
    FakeMail fresh = mail(TestMails.fixture("smime/alice.dsig.SHA256.multipart.eml"));

    atSmtp(reused);
    atSmtp(fresh);
    fresh.removeAttribute(JudgedAtSmtp.ATTRIBUTE);
    score.service(reused);
    score.service(fresh);

    assertThat(CountingPolicy.DECISIONS).as("two at SMTP, fresh once more").hasValue(3);
    assertThat(TestMails.headerLines(reused.getMessage())).isEqualTo(TestMails.headerLines(fresh.getMessage()));
    for (var name : List.of(CaliopAttributes.SCORE, CaliopAttributes.GRADE, CaliopAttributes.DISPOSITION,
        CaliopAttributes.SIGNATURE, CaliopAttributes.ENCRYPTION)) {
      assertThat(reused.getAttribute(name)).as(name.asString()).isEqualTo(fresh.getAttribute(name));
    }
  }

  @Test
  void scoreShouldJudgeAgainWhenAMailetChangedTheMessage() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    atSmtp(mail);

    mail.getMessage().setHeader("Subject", "changed after the SMTP hook");
    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).hasValue(2);
  }

  @Test
  void scoreShouldJudgeAgainWhenTheRecipientsChanged() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    atSmtp(mail);

    mail.setRecipients(List.of(new MailAddress("carol@example.net")));
    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).hasValue(2);
  }

  @Test
  void scoreShouldJudgeAgainWhenTheSessionFactsChanged() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    atSmtp(mail);

    mail.setAttribute(new Attribute(CaliopAttributes.TLS_PROTOCOL, AttributeValue.of("TLSv1.3")));
    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).hasValue(2);
  }

  /** A token copied onto another mail (a mailet's duplicate, a forged attribute) names a judgement of other bytes. */
  @Test
  void aTokenOnAnotherMessageShouldNotCarryItsJudgement() throws Exception {
    FakeMail encrypted = mail(TestMails.fixture("pgp/thunderbird_encrypted_unsigned.eml"));
    atSmtp(encrypted);
    FakeMail clear = mail(TestMails.parse(TestMails.simple()));
    clear.setAttribute(encrypted.getAttribute(JudgedAtSmtp.ATTRIBUTE).orElseThrow());
    FakeMail reference = mail(TestMails.parse(TestMails.simple()));

    score.service(clear);
    score.service(reference);

    assertThat(CountingPolicy.DECISIONS).as("hook, clear judged again, reference").hasValue(3);
    assertThat(CaliopAttributes.bool(clear, CaliopAttributes.ENCRYPTED)).contains(false);
    assertThat(clear.getAttribute(CaliopAttributes.SCORE)).isEqualTo(reference.getAttribute(CaliopAttributes.SCORE));
    assertThat(TestMails.headerLines(clear.getMessage())).isEqualTo(TestMails.headerLines(reference.getMessage()));
  }

  @Test
  void aMadeUpTokenShouldBeNoJudgement() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    mail.setAttribute(new Attribute(JudgedAtSmtp.ATTRIBUTE, AttributeValue.of("AAAAAAAAAAAAAAAAAAAAAA")));

    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).hasValue(1);
    assertThat(mail.getAttribute(JudgedAtSmtp.ATTRIBUTE)).isEmpty();
    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isPresent();
  }

  @Test
  void aTokenOfAnotherTypeShouldBeNoJudgement() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    mail.setAttribute(new Attribute(JudgedAtSmtp.ATTRIBUTE, AttributeValue.of(42)));

    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).hasValue(1);
    assertThat(mail.getAttribute(JudgedAtSmtp.ATTRIBUTE)).isEmpty();
  }

  @Test
  void aJudgementShouldBeUsedOnce() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    atSmtp(mail);
    Attribute token = mail.getAttribute(JudgedAtSmtp.ATTRIBUTE).orElseThrow();
    score.service(mail);
    FakeMail again = mail(TestMails.parse(TestMails.simple()));
    again.setAttribute(token);

    score.service(again);

    assertThat(CountingPolicy.DECISIONS).hasValue(2);
  }

  /** A message as James holds it (read from SMTP into its own storage) is read where it lies, and judged once. */
  @Test
  void scoreShouldReuseTheJudgementOfAMessageJamesHolds() throws Exception {
    FakeMail mail = mail(jamesMessage(TestMails.simple()));
    try (HeldMessage held = HeldMessage.of(mail.getMessage(), MessageSpill.DEFAULT_THRESHOLD)) {
      assertThat(held.inPlace()).isTrue();
    }

    atSmtp(mail);
    score.service(mail);

    assertThat(CountingPolicy.DECISIONS).hasValue(1);
    assertThat(mail.getMessage().getHeader("Caliop-Privacy")).isNotNull();
  }

  @Test
  void aPolicyReloadShouldEndTheJudgement() throws Exception {
    Policy[] current = {new CountingPolicy()};
    MailJudge judge = new MailJudge(() -> current[0], MessageSpill.DEFAULT_THRESHOLD, false,
        org.caliop.engine.EncryptorSource.keys(Clock.systemUTC()));
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    try (HeldMessage message = judge.message(mail)) {
      Judgement judgement = judge.assess(mail, message);
      assertThat(judge.stillHolds(judgement, mail, message)).isTrue();

      current[0] = new CountingPolicy();

      assertThat(judge.stillHolds(judgement, mail, message)).isFalse();
    }
  }

  @Test
  void judgementsOfAnotherOutboundHeadersSettingShouldNotHold() throws Exception {
    Policy policy = new CountingPolicy();
    MailJudge privateHeaders = new MailJudge(() -> policy, MessageSpill.DEFAULT_THRESHOLD, false,
        org.caliop.engine.EncryptorSource.keys(Clock.systemUTC()));
    MailJudge fullHeaders = new MailJudge(() -> policy, MessageSpill.DEFAULT_THRESHOLD, true,
        org.caliop.engine.EncryptorSource.keys(Clock.systemUTC()));
    FakeMail mail = mail(TestMails.parse(TestMails.simple()));
    try (HeldMessage message = privateHeaders.message(mail)) {
      Judgement judgement = privateHeaders.assess(mail, message);

      assertThat(fullHeaders.stillHolds(judgement, mail, message)).isFalse();
    }
  }

  @Test
  void theStoreShouldKeepAtMostItsCapacityOldestFirst() throws Exception {
    JudgedAtSmtp store = new JudgedAtSmtp(2, Duration.ofMinutes(10), Clock.systemUTC());
    FakeMail[] mails = new FakeMail[3];
    for (int i = 0; i < mails.length; i++) {
      mails[i] = FakeMail.defaultFakeMail();
      store.hand(mails[i], judgement());
    }

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.take(mails[0])).as("the oldest went").isEmpty();
    assertThat(store.take(mails[1])).isPresent();
    assertThat(store.take(mails[2])).isPresent();
    assertThat(store.size()).isZero();
  }

  @Test
  void theStoreShouldForgetJudgementsPastTheirAge() throws Exception {
    MutableClock clock = new MutableClock();
    JudgedAtSmtp store = new JudgedAtSmtp(10, Duration.ofMinutes(10), clock);
    FakeMail old = FakeMail.defaultFakeMail();
    store.hand(old, judgement());
    clock.now = clock.now.plus(Duration.ofMinutes(10)).plusMillis(1);
    FakeMail young = FakeMail.defaultFakeMail();
    store.hand(young, judgement());

    assertThat(store.take(old)).isEmpty();
    assertThat(store.take(young)).isPresent();
  }

  @Test
  void tokensShouldDifferFromMailToMail() throws Exception {
    JudgedAtSmtp store = new JudgedAtSmtp(10, Duration.ofMinutes(10), Clock.systemUTC());
    FakeMail a = FakeMail.defaultFakeMail();
    FakeMail b = FakeMail.defaultFakeMail();
    store.hand(a, judgement());
    store.hand(b, judgement());

    assertThat(CaliopAttributes.string(a, JudgedAtSmtp.ATTRIBUTE).orElseThrow())
        .hasSize(22).isNotEqualTo(CaliopAttributes.string(b, JudgedAtSmtp.ATTRIBUTE).orElseThrow());
  }

  private void atSmtp(Mail mail) {
    HookResult result = hook.onMessage(FakeSessions.session(null, null, "EHLO", null), mail);
    assertThat(result).isEqualTo(HookResult.DECLINED);
  }

  private static Judgement judgement() {
    try {
      MailJudge judge = new MailJudge(Policy::builtIn, MessageSpill.DEFAULT_THRESHOLD, false,
          org.caliop.engine.EncryptorSource.keys(Clock.systemUTC()));
      FakeMail mail = mail(TestMails.parse(TestMails.simple()));
      try (HeldMessage message = judge.message(mail)) {
        return judge.assess(mail, message);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static FakeMail mail(MimeMessage message) throws Exception {
    return FakeMail.builder().name("Q1").mimeMessage(message).sender("alice@example.org")
        .recipients("bob@example.net").remoteAddr("203.0.113.9").remoteHost("client.example").build();
  }

  /** The message as James's SMTP server stores it: its own source, wrapped. */
  private static MimeMessage jamesMessage(String raw) throws Exception {
    MimeMessageInputStreamSource source = MimeMessageInputStreamSource.create("test-" + System.nanoTime(),
        new java.io.ByteArrayInputStream(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return new MimeMessageWrapper(source);
  }

  /** The built-in policy, counting its decisions (one per judgement). */
  public static final class CountingPolicy extends TestMails.DelegatingPolicy {
    static final AtomicInteger DECISIONS = new AtomicInteger();

    public CountingPolicy() {
      super(Policy.builtIn());
    }

    @Override
    public Decision decide(MessageFacts facts, Score score) {
      DECISIONS.incrementAndGet();
      return super.decide(facts, score);
    }
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
