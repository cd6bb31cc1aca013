package org.caliop.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.caliop.address.EmailAddress;
import org.caliop.facts.ConnectionFacts;
import org.caliop.hop.TlsVersion;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMailContext;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.engine.Disposition;
import org.caliop.engine.EncryptorSource;
import org.caliop.facts.HeaderEdit;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.TestMails.FixedPolicy;
import org.caliop.james.TestMails;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaliopScoreTest {
  private static CaliopScore mailet(Policy policy, String... params) throws MessagingException {
    CaliopScore mailet = new CaliopScore(() -> policy);
    FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("CaliopScore");
    for (int i = 0; i < params.length; i += 2) {
      config.setProperty(params[i], params[i + 1]);
    }
    mailet.init(config.build());
    return mailet;
  }

  private static FakeMail.Builder mail(MimeMessage message) throws MessagingException {
    return FakeMail.builder().name("Q1").mimeMessage(message).sender("alice@example.org")
        .recipients("bob@example.net").remoteAddr("192.0.2.10").remoteHost("mx.example.org");
  }

  private static FakeMail.Builder mailTo(String... recipients) throws MessagingException {
    return FakeMail.builder().name("Q1").mimeMessage(TestMails.parse(TestMails.simple())).sender("alice@example.org")
        .recipients(recipients).remoteAddr("192.0.2.10").remoteHost("mx.example.org");
  }

  @Test
  void initShouldThrowOnUnknownParameter() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "policy", "x"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("policy");
  }

  @Test
  void initShouldThrowOnInvalidOnError() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "onError", "ignore"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("CaliopScore: invalid onError 'ignore': expected pass or error");
  }

  @Test
  void initShouldThrowOnSpillThresholdBelowMinimum() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "spillThreshold", "4095"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("CaliopScore: invalid spillThreshold '4095': expected an integer from 4096 to 67108864");
  }

  @Test
  void initShouldAcceptSpillThresholdAtMinimum() throws Exception {
    mailet(Policy.builtIn(), "spillThreshold", "4096");
  }

  @Test
  void initShouldThrowOnInvalidBoolean() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "applyHeaders", "maybe"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("applyHeaders");
  }

  @Test
  void serviceShouldAddCaliopPrivacyAtTheTop() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple("Received: from x by y"))).build();

    mailet(Policy.builtIn()).service(mail);

    assertThat(TestMails.headerLines(mail.getMessage()).get(0)).startsWith("Caliop-Privacy: ");
  }

  @Test
  void serviceShouldStoreTheVerdictAsAttributes() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple())).build();

    mailet(Policy.builtIn()).service(mail);

    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isPresent();
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.GRADE)).hasValueSatisfying(g -> assertThat(g)
        .matches("[A-E]"));
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.ACTION)).contains("accept");
    assertThat(CaliopAttributes.bool(mail, CaliopAttributes.ENCRYPTED)).contains(false);
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.RULE)).isEmpty();
  }

  @Test
  void serviceShouldStoreThePolicyDecision() throws Exception {
    Decision reject = Decision.builder(Action.REJECT).rule("policy.yaml:12")
        .reply(SmtpReply.of(550, "5.7.1", "TLS 1.2 required")).build();
    FakeMail mail = mail(TestMails.parse(TestMails.simple())).build();

    mailet(new FixedPolicy(reject)).service(mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.ACTION)).contains("reject");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION)).contains("reject");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.SMTP_CODE)).contains("550");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.RULE)).contains("policy.yaml:12");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.REPLY_TEXT)).contains("TLS 1.2 required");
  }

  @Test
  void serviceShouldGiveTheEngineTheSmtpSessionFacts() throws Exception {
    FixedPolicy policy = new FixedPolicy(Decision.accept());
    FakeMail mail = mail(TestMails.parse(TestMails.simple()))
        .attribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of("mx.example.org")))
        .attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of("alice")))
        .attribute(new Attribute(CaliopAttributes.TLS_PROTOCOL, AttributeValue.of("TLSv1.3")))
        .attribute(new Attribute(CaliopAttributes.TLS_CIPHER, AttributeValue.of("TLS_AES_256_GCM_SHA384")))
        .attribute(new Attribute(CaliopAttributes.SMTP_PROTOCOL, AttributeValue.of("ESMTPSA")))
        .attribute(new Attribute(CaliopAttributes.SMTP_BY, AttributeValue.of("mx.caliop.test")))
        .build();

    mailet(policy).service(mail);

    ConnectionFacts facts = policy.seen().connection().orElseThrow();
    assertThat(facts.clientAddress().map(Object::toString)).contains("192.0.2.10");
    assertThat(facts.clientName()).contains("mx.example.org");
    assertThat(facts.helo()).contains("mx.example.org");
    assertThat(facts.authUser()).contains("alice");
    assertThat(facts.tlsVersion()).contains(TlsVersion.TLSV1_3);
    assertThat(facts.cipher()).contains("TLS_AES_256_GCM_SHA384");
    assertThat(facts.protocol()).contains(org.caliop.hop.Protocol.ESMTPSA);
    assertThat(facts.queueId()).contains("Q1");
    assertThat(facts.receivedBy()).contains("mx.caliop.test");
    assertThat(policy.seen().envelope().sender()).contains(EmailAddress.of("alice@example.org"));
    assertThat(policy.seen().envelope().recipients()).containsExactly(EmailAddress.of("bob@example.net"));
  }

  @Test
  void serviceShouldNotTakeAnAddressForAHostName() throws Exception {
    FixedPolicy policy = new FixedPolicy(Decision.accept());
    FakeMail mail = mail(TestMails.parse(TestMails.simple())).remoteHost("192.0.2.10").build();

    mailet(policy).service(mail);

    assertThat(policy.seen().connection().orElseThrow().clientName()).isEmpty();
    assertThat(policy.seen().connection().orElseThrow().tls()).isFalse();
  }

  @Test
  void serviceShouldJudgeOnHeadersAloneWithoutRemoteAddress() throws Exception {
    FixedPolicy policy = new FixedPolicy(Decision.accept());
    FakeMail mail = FakeMail.builder().name("local").mimeMessage(TestMails.parse(TestMails.simple()))
        .recipients("bob@example.net").remoteAddr("").build();

    mailet(policy).service(mail);

    assertThat(policy.seen().connection()).isEmpty();
    assertThat(policy.seen().envelope().sender()).isEmpty();
  }

  @Test
  void serviceShouldNotChangeHeadersWhenApplyHeadersIsFalse() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple())).build();
    List<String> before = TestMails.headerLines(mail.getMessage());

    mailet(Policy.builtIn(), "applyHeaders", "false").service(mail);

    assertThat(TestMails.headerLines(mail.getMessage())).isEqualTo(before);
    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isPresent();
  }

  @Test
  void serviceShouldJudgeMalformedMime() throws Exception {
    String broken = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"never\"\r\n"
        + "Content-Transfer-Encoding: x-unknown\r\n\r\n--other\r\nContent-Type: text/plain; charset=x-bogus\r\n"
        + "\r\n\0\0binary\r\n";
    FakeMail mail = mail(TestMails.parse(broken)).build();

    mailet(Policy.builtIn()).service(mail);

    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isPresent();
  }

  @Test
  void serviceShouldJudgeAMessageLargerThanTheSpillThreshold() throws Exception {
    String big = TestMails.simple() + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n"
        .repeat(1000);
    FakeMail mail = mail(TestMails.parse(big)).build();

    mailet(Policy.builtIn(), "spillThreshold", "4096").service(mail);

    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isPresent();
    assertThat(mail.getMessage().getContent().toString()).hasSizeGreaterThan(60000);
  }

  @Test
  void serviceShouldPassAnUnreadableMessageWhenOnErrorIsPass() throws Exception {
    FakeMail mail = mail(new UnreadableMessage()).build();

    mailet(Policy.builtIn(), "onError", "pass").service(mail);

    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isEmpty();
  }

  @Test
  void pastTheForeignFieldBoundServiceShouldPassUnjudgedWithEveryForgedFieldRemovedWhenOnErrorIsPass()
      throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i <= 1_000; i++) {
      h.append("Caliop-X").append(i).append(": forged\r\n");
    }
    FakeMail mail = mail(TestMails.parse(TestMails.simple(h.toString().trim()))).build();

    mailet(Policy.builtIn(), "onError", "pass").service(mail);

    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SCORE)).isEmpty();
    assertThat(TestMails.headerLines(mail.getMessage())).noneMatch(l -> l.startsWith("Caliop-"));
  }

  @Test
  void pastTheForeignFieldBoundServiceShouldThrowByDefault() throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i <= 1_000; i++) {
      h.append("Caliop-X").append(i).append(": forged\r\n");
    }
    FakeMail mail = mail(TestMails.parse(TestMails.simple(h.toString().trim()))).build();

    assertThatThrownBy(() -> mailet(Policy.builtIn()).service(mail))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("limit");
    assertThat(TestMails.headerLines(mail.getMessage())).noneMatch(l -> l.startsWith("Caliop-"));
  }

  @Test
  void serviceShouldCountEachJudgedMailByDispositionAndEachFailureByKindInJamesMetrics() throws Exception {
    RecordingMetricFactory metrics = new RecordingMetricFactory();
    CaliopScore mailet = new CaliopScore(Policy::builtIn, EncryptorSource.keys(java.time.Clock.systemUTC()), metrics);
    mailet.init(FakeMailetConfig.builder().mailetName("CaliopScore").setProperty("onError", "pass").build());
    StringBuilder h = new StringBuilder();
    for (int i = 0; i <= 1_000; i++) {
      h.append("Caliop-X").append(i).append(": forged\r\n");
    }

    mailet.service(mail(TestMails.parse(TestMails.simple())).build());
    mailet.service(mail(TestMails.parse(TestMails.simple())).build());
    mailet.service(mail(new UnreadableMessage()).build());
    mailet.service(mail(TestMails.parse(TestMails.simple(h.toString().trim()))).build());

    assertThat(metrics.countForPrefixName("caliopJudgedMails-")).containsEntry("caliopJudgedMails-accept", 2)
        .containsEntry("caliopJudgedMails-reject", 0).hasSize(Disposition.Kind.values().length);
    assertThat(metrics.countForPrefixName("caliopErrors-")).containsEntry("caliopErrors-unreadable_message", 1)
        .containsEntry("caliopErrors-limit", 1).containsEntry("caliopErrors-encryption", 0);
    assertThat(metrics.executionTimesFor("caliopJudgement")).hasSize(4);
  }

  @Test
  void serviceShouldThrowOnAnUnreadableMessageByDefault() throws Exception {
    FakeMail mail = mail(new UnreadableMessage()).build();

    assertThatThrownBy(() -> mailet(Policy.builtIn()).service(mail))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("Q1");
  }

  @Test
  void initShouldRefuseOnErrorPassWhenThePolicyCanHoldOrEncrypt() {
    for (Action action : new Action[] {Action.HOLD, Action.ENCRYPT, Action.TEMPFAIL}) {
      assertThatThrownBy(() -> mailet(new FixedPolicy(Decision.builder(action).build()), "onError", "pass"))
          .isInstanceOf(MessagingException.class)
          .hasMessageStartingWith("CaliopScore: invalid onError 'pass': expected error: the policy can encrypt or"
              + " hold");
    }
  }

  @Test
  void initShouldThrowOnInvalidOutboundHeaders() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "outboundHeaders", "none"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("CaliopScore: invalid outboundHeaders 'none': expected private or full");
  }

  @Test
  void serviceShouldReplaceTheMessageByItsEncryptedForm() throws Exception {
    FakeMail mail = mailTo("bob@example.net", "carol@example.net").build();

    encrypting(false).service(mail);

    assertThat(mail.getMessage().getContent().toString()).contains("BEGIN TEST MESSAGE")
        .contains("for bob@example.net,carol@example.net").doesNotContain("Hello Bob");
    assertThat(mail.getMessage().getHeader("Content-Type")).containsExactly("text/plain; x-test=encrypted");
    assertThat(mail.getMessage().getHeader("Subject")).containsExactly("hello");
    assertThat(TestMails.headerLines(mail.getMessage()).get(0)).startsWith("Caliop-Privacy: ");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION)).contains("encrypted");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.ENCRYPTED_FORMAT)).contains("test");
  }

  @Test
  void serviceShouldSendOneEncryptedCopyPerRecipientWhenSplit() throws Exception {
    FakeMailContext context = FakeMailContext.defaultContext();
    FakeMail mail = mailTo("bob@example.net", "carol@example.net").state("root").build();

    encrypting(true, context).service(mail);

    assertThat(mail.getRecipients()).containsExactly(new MailAddress("bob@example.net"));
    assertThat(mail.getMessage().getContent().toString()).contains("for bob@example.net\r\n")
        .doesNotContain("carol");
    assertThat(context.getSentMails()).hasSize(1);
    FakeMailContext.SentMail copy = context.getSentMails().get(0);
    assertThat(copy.getRecipients()).containsExactly(new MailAddress("carol@example.net"));
    assertThat(copy.getState()).isEqualTo("root");
    assertThat(copy.getAttributes()).containsKey(CaliopAttributes.SPLIT_COPY);
    assertThat(copy.getMsg().getContent().toString()).contains("for carol@example.net\r\n").doesNotContain("bob");
  }

  @Test
  void serviceShouldLetAnEncryptedCopyPassAsItIs() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple("Caliop-Privacy: score=1"))).attribute(
        new Attribute(CaliopAttributes.SPLIT_COPY, AttributeValue.of(true))).build();

    encrypting(false).service(mail);

    assertThat(TestMails.headerLines(mail.getMessage())).containsOnlyOnce("Caliop-Privacy: score=1");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION)).isEmpty();
  }

  @Test
  void serviceShouldLeaveTheMessageInClearAndRecordTheHoldWhenAKeyIsMissing() throws Exception {
    FakeMail mail = mailTo("bob@example.net", "nokey@example.net").build();

    encrypting(false).service(mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION)).contains("hold");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.HOLD_REASON))
        .contains("caliop: no key for nokey@example.net");
  }

  /** A policy that encrypts every mail, with an encryptor that writes a marker per recipient list. */
  private static CaliopScore encrypting(boolean split) throws MessagingException {
    return encrypting(split, FakeMailContext.defaultContext());
  }

  private static CaliopScore encrypting(boolean split, FakeMailContext context) throws MessagingException {
    Decision encrypt = Decision.builder(Action.ENCRYPT).rule("test:encrypt")
        .encrypt(EncryptSpec.of(EncryptOptions.Format.PGP, Action.HOLD, split, null)).build();
    GatewayEncryptor encryptor = (message, recipients, options, newBody) -> {
      message.readAllBytes();
      if (recipients.stream().anyMatch(r -> r.startsWith("nokey@"))) {
        return EncryptionResult.missingKeys(List.of("nokey@example.net"));
      }
      newBody.write(("-----BEGIN TEST MESSAGE-----\r\nfor " + String.join(",", recipients)
          + "\r\n-----END TEST MESSAGE-----\r\n").getBytes(StandardCharsets.US_ASCII));
      return EncryptionResult.encrypted("test", List.of(HeaderEdit.add("Content-Type",
          "text/plain; x-test=encrypted")));
    };
    FixedPolicy policy = new FixedPolicy(encrypt);
    CaliopScore mailet = new CaliopScore(() -> policy, p -> encryptor);
    mailet.init(FakeMailetConfig.builder().mailetName("CaliopScore").mailetContext(context).build());
    return mailet;
  }

  @Test
  void serviceShouldReplaceAttributesOfAPreviousJudgement() throws Exception {
    FakeMail mail = mail(TestMails.parse(TestMails.simple()))
        .attribute(new Attribute(CaliopAttributes.RULE, AttributeValue.of("stale:1"))).build();

    mailet(Policy.builtIn()).service(mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.RULE)).isEmpty();
  }

  @Test
  void initShouldThrowOnAPolicyClassThatIsNotAPolicy() {
    assertThatThrownBy(() -> {
      CaliopScore mailet = new CaliopScore();
      mailet.init(FakeMailetConfig.builder().mailetName("CaliopScore").setProperty("policyClass", "java.lang.String")
          .build());
    }).isInstanceOf(MessagingException.class)
        .hasMessageContaining("invalid policyClass 'java.lang.String'");
  }

  @Test
  void initShouldLoadAPolicyClass() throws Exception {
    CaliopScore mailet = new CaliopScore();
    mailet.init(FakeMailetConfig.builder().mailetName("CaliopScore")
        .setProperty("policyClass", HoldEverything.class.getName()).build());
    FakeMail mail = mail(TestMails.parse(TestMails.simple())).build();

    mailet.service(mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.ACTION)).contains("hold");
  }

  @Test
  void initShouldLoadAPolicyFile() throws Exception {
    CaliopScore mailet = new CaliopScore();
    mailet.init(FakeMailetConfig.builder().mailetName("CaliopScore")
        .setProperty("policyFile", "../conf/default.yaml").build());
    FakeMail mail = mail(TestMails.parse(TestMails.simple())).build();

    mailet.service(mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.ACTION)).isPresent();
  }

  @Test
  void initShouldThrowOnABrokenPolicyFile(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "version: 1\nglobal:\n  action: explode\n");

    assertThatThrownBy(() -> new CaliopScore().init(FakeMailetConfig.builder().mailetName("CaliopScore")
        .setProperty("policyFile", broken.toString()).build()))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("CaliopScore: invalid policyFile '" + broken + "'")
        .hasMessageContaining("broken.yaml");
  }

  @Test
  void initShouldThrowOnBothPolicyFileAndPolicyClass() {
    assertThatThrownBy(() -> new CaliopScore().init(FakeMailetConfig.builder().mailetName("CaliopScore")
        .setProperty("policyFile", "../conf/default.yaml").setProperty("policyClass", HoldEverything.class.getName())
        .build()))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("either policyFile or policyClass, not both");
  }

  public static final class HoldEverything extends TestMails.DelegatingPolicy {
    public HoldEverything() {
      super(new FixedPolicy(Decision.builder(Action.HOLD).rule("test:1").build()));
    }
  }

  private static final class UnreadableMessage extends MimeMessage {
    UnreadableMessage() {
      super(Session.getInstance(new Properties()));
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
      throw new IOException("disk gone");
    }
  }
}
