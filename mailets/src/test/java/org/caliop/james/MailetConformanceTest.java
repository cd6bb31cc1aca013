package org.caliop.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.caliop.conformance.ConformanceCase;
import org.caliop.conformance.ConformanceCases;
import org.caliop.conformance.ConformanceRun;
import org.caliop.conformance.Outcome;
import org.caliop.james.mailets.CaliopApplyPolicy;
import org.caliop.james.mailets.CaliopScore;
import org.caliop.james.smtp.CaliopSmtpPolicyHook;
import org.caliop.james.smtp.FakeSessions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table ({@code org.caliop.conformance.ConformanceCases}) through James's side: the SMTP hook at the
 * end of DATA, then {@code CaliopScore} and {@code CaliopApplyPolicy} in the mailet container, each configured as
 * an operator does (the case's policy file by {@code policyFile}, James's test kit for mails, sessions and the
 * mailet context). What they do to the mail is read back as an outcome, which must be the table's (for James, which
 * sends one copy per recipient when the rule splits).
 */
class MailetConformanceTest {
  private static final MailRepositoryUrl HOLD = MailRepositoryUrl.from("file://var/mail/caliop-hold/");

  @TempDir
  Path dir;

  static Stream<ConformanceCase> cases() {
    return ConformanceCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void jamesShouldReachTheOutcomeOfTheTable(ConformanceCase c) throws Exception {
    Outcome want = ConformanceRun.wanted(c, dir, true);
    Path d = dir.resolve("james");
    String policy = c.writePolicy(d).toAbsolutePath().toString();
    CaliopSmtpPolicyHook hook = new CaliopSmtpPolicyHook();
    BaseHierarchicalConfiguration hookConfig = new BaseHierarchicalConfiguration();
    hookConfig.addProperty("policyFile", policy);
    hook.init(hookConfig);
    FakeMailContext context = FakeMailContext.defaultContext();
    CaliopScore score = new CaliopScore();
    score.init(FakeMailetConfig.builder().mailetName("CaliopScore").mailetContext(context)
        .setProperty("policyFile", policy).build());
    MemoryRepositories repositories = new MemoryRepositories();
    CaliopApplyPolicy apply = new CaliopApplyPolicy(repositories);
    apply.init(FakeMailetConfig.builder().mailetName("CaliopApplyPolicy").mailetContext(context)
        .setProperty("policyFile", policy).setProperty("repositoryPath", HOLD.asString()).build());
    c.afterPolicyLoaded(d);

    FakeMail mail = mail(c);
    HookResult smtp = hook.onMessage(FakeSessions.session(c.client.tls, c.client.cipher, "EHLO", c.client.authUser),
        mail);
    Outcome got;
    if (smtp.getResult().equals(HookReturnCode.deny()) || smtp.getResult().equals(HookReturnCode.denySoft())) {
      String reply = smtp.getSmtpRetCode() + " " + smtp.getSmtpDescription();
      got = reply.startsWith("5") ? Outcome.reject(reply) : Outcome.tempfail(reply);
    } else {
      score.service(mail);
      apply.service(mail);
      got = outcome(c, mail, context, repositories);
      if (want.subject().isPresent()) {
        String[] subject = mail.getMessage().getHeader("Subject");
        got = got.withSubject(subject == null ? "" : subject[0].strip());
      }
    }
    assertThat(got).isEqualTo(want);
  }

  private static FakeMail mail(ConformanceCase c) throws Exception {
    FakeMail.Builder b = FakeMail.builder().name("CONFORMANCE").state("root")
        .mimeMessage(TestMails.parse(c.message())).sender(c.sender)
        .recipients(c.recipients.toArray(new String[0])).remoteAddr(c.client.address).remoteHost(c.client.name)
        .attribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of(c.client.helo)))
        .attribute(new Attribute(CaliopAttributes.SMTP_BY, AttributeValue.of(c.client.receivedBy)));
    if (c.client.authUser != null) {
      b.attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(c.client.authUser)));
    }
    return b.build();
  }

  /** What the mailet container did: held, bounced, redirected, encrypted (with its copies), or let through. */
  private static Outcome outcome(ConformanceCase c, FakeMail mail, FakeMailContext context, MemoryRepositories held)
      throws Exception {
    if (held.repository.size() > 0) {
      assertThat(mail.getState()).isEqualTo(Mail.GHOST);
      return Outcome.hold(mail.getErrorMessage());
    }
    if (!context.getBouncedMails().isEmpty()) {
      return Outcome.reject(context.getBouncedMails().get(0).getMessage());
    }
    List<String> recipients = addresses(mail.getRecipients());
    if (!recipients.equals(c.recipients) && context.getSentMails().isEmpty()) {
      return Outcome.redirect(String.join(",", recipients));
    }
    String disposition = CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION).orElse("");
    if (disposition.equals("encrypted")) {
      List<String> copies = new ArrayList<>();
      copies.add(copy(mail.getMessage(), recipients));
      for (FakeMailContext.SentMail sent : context.getSentMails()) {
        assertThat(sent.getAttributes()).containsKey(CaliopAttributes.SPLIT_COPY);
        copies.add(copy(sent.getMsg(), addresses(sent.getRecipients())));
      }
      return Outcome.encrypted(copies);
    }
    assertThat(new String(raw(mail.getMessage()), StandardCharsets.ISO_8859_1)).as("delivered as it came")
        .contains(disposition.equals("already-protected") ? "-----BEGIN PGP MESSAGE-----" : ConformanceCases.CLEAR_TEXT);
    return disposition.equals("already-protected") ? Outcome.alreadyProtected() : Outcome.accept();
  }

  private static String copy(MimeMessage message, List<String> recipients) throws Exception {
    assertThat(new String(raw(message), StandardCharsets.ISO_8859_1)).doesNotContain(ConformanceCases.CLEAR_TEXT);
    String type = message.getContentType();
    return Outcome.copy(type.startsWith("multipart/encrypted") ? "pgp-mime" : "smime", recipients);
  }

  private static byte[] raw(MimeMessage message) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    message.writeTo(out);
    return out.toByteArray();
  }

  private static List<String> addresses(java.util.Collection<MailAddress> recipients) {
    List<String> out = new ArrayList<>();
    for (MailAddress a : recipients) {
      out.add(a.asString());
    }
    return out;
  }
}
