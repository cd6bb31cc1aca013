package org.caliop.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.MemoryRepositories;
import org.caliop.james.TestMails;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaliopApplyPolicyTest {
  private static final MailRepositoryUrl HOLD = MailRepositoryUrl.from(CaliopApplyPolicy.DEFAULT_REPOSITORY);

  private MemoryRepositories repositories;
  private FakeMailContext context;

  @BeforeEach
  void setUp() {
    repositories = new MemoryRepositories();
    context = FakeMailContext.defaultContext();
  }

  private CaliopApplyPolicy mailet(Policy policy, String... params) throws MessagingException {
    CaliopApplyPolicy mailet = new CaliopApplyPolicy(repositories, () -> policy);
    FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("CaliopApplyPolicy")
        .mailetContext(context);
    for (int i = 0; i < params.length; i += 2) {
      config.setProperty(params[i], params[i + 1]);
    }
    mailet.init(config.build());
    return mailet;
  }

  private static FakeMail mail(String disposition, Attribute... more) throws MessagingException {
    FakeMail.Builder b = FakeMail.builder().name("Q3").state(Mail.DEFAULT)
        .mimeMessage(TestMails.parse(TestMails.simple()))
        .sender("alice@example.org").recipients("bob@example.net", "carol@example.net");
    if (disposition != null) {
      b.attribute(new Attribute(CaliopAttributes.DISPOSITION, AttributeValue.of(disposition)));
    }
    for (Attribute a : more) {
      b.attribute(a);
    }
    return b.build();
  }

  private static Attribute attr(AttributeName name, String value) {
    return new Attribute(name, AttributeValue.of(value));
  }

  @Test
  void serviceShouldLeaveAMailWithoutVerdictAlone() throws Exception {
    FakeMail mail = mail(null);

    mailet(Policy.builtIn()).service(mail);

    assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
    assertThat(mail.getRecipients()).hasSize(2);
  }

  @Test
  void serviceShouldHoldAMailWithADispositionItDoesNotKnow() throws Exception {
    FakeMail mail = mail("explode");

    mailet(Policy.builtIn()).service(mail);

    assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    assertThat(repositories.repository.size()).isEqualTo(1);
  }

  @Test
  void serviceShouldDoNothingForAcceptEncryptedAndAlreadyProtected() throws Exception {
    for (String disposition : List.of("accept", "encrypted", "already-protected")) {
      FakeMail mail = mail(disposition);

      mailet(Policy.builtIn()).service(mail);

      assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
      assertThat(mail.getRecipients()).hasSize(2);
    }
    assertThat(repositories.repository.size()).isZero();
  }

  @Test
  void serviceShouldHoldInTheRepositoryWithTheReasonAndStopProcessing() throws Exception {
    FakeMail mail = mail("hold", attr(CaliopAttributes.HOLD_REASON, "caliop: no key for carol@example.net"));

    mailet(Policy.builtIn()).service(mail);

    assertThat(repositories.selected).containsOnly(HOLD);
    assertThat(repositories.repository.size()).isEqualTo(1);
    assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    assertThat(mail.getErrorMessage()).isEqualTo("caliop: no key for carol@example.net");
  }

  @Test
  void serviceShouldHoldInTheConfiguredRepository() throws Exception {
    mailet(Policy.builtIn(), "repositoryPath", "file://var/mail/quarantine/").service(mail("hold"));

    assertThat(repositories.selected).containsOnly(MailRepositoryUrl.from("file://var/mail/quarantine/"));
  }

  @Test
  void initShouldRefuseAMemoryRepositoryWhenThePolicyCanHold() {
    for (Action action : new Action[] {Action.HOLD, Action.ENCRYPT, Action.TEMPFAIL}) {
      assertThatThrownBy(() -> mailet(new TestMails.FixedPolicy(Decision.builder(action).build()), "repositoryPath",
          "memory://var/mail/caliop-hold/"))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("invalid repositoryPath 'memory://var/mail/caliop-hold/': expected a persistent"
              + " repository such as file://var/mail/caliop-hold/: the policy can hold mail");
    }
  }

  @Test
  void initShouldAcceptAMemoryRepositoryForAPolicyThatNeverHolds() throws Exception {
    mailet(Policy.builtIn(), "repositoryPath", "memory://var/mail/caliop-hold/");
  }

  @Test
  void serviceShouldHoldATempfailAfterAcceptance() throws Exception {
    FakeMail mail = mail("tempfail");

    mailet(Policy.builtIn()).service(mail);

    assertThat(repositories.repository.size()).isEqualTo(1);
  }

  @Test
  void serviceShouldBounceARejectWithTheHumanReason() throws Exception {
    FakeMail mail = mail("reject", attr(CaliopAttributes.REPLY_TEXT, "TLS 1.2 required from example.org"),
        attr(CaliopAttributes.ENHANCED_CODE, "5.7.10"));

    mailet(Policy.builtIn()).service(mail);

    assertThat(context.getBouncedMails()).hasSize(1);
    assertThat(context.getBouncedMails().get(0).getMessage()).isEqualTo("5.7.10 TLS 1.2 required from example.org");
    assertThat(mail.getState()).isEqualTo(Mail.GHOST);
  }

  @Test
  void serviceShouldHoldARejectWhenConfigured() throws Exception {
    FakeMail mail = mail("reject");

    mailet(Policy.builtIn(), "onReject", "hold").service(mail);

    assertThat(context.getBouncedMails()).isEmpty();
    assertThat(repositories.repository.size()).isEqualTo(1);
  }

  @Test
  void serviceShouldRedirectToTheRuleAddress() throws Exception {
    FakeMail mail = mail("redirect", attr(CaliopAttributes.REDIRECT_TO, "security@example.net"));

    mailet(Policy.builtIn()).service(mail);

    assertThat(mail.getRecipients()).containsExactly(new MailAddress("security@example.net"));
  }

  @Test
  void serviceShouldHoldARedirectWithABadAddress() throws Exception {
    FakeMail mail = mail("redirect", attr(CaliopAttributes.REDIRECT_TO, "not an address"));

    mailet(Policy.builtIn()).service(mail);

    assertThat(repositories.repository.size()).isEqualTo(1);
    assertThat(mail.getRecipients()).hasSize(2);
  }

  @Test
  void initShouldThrowOnInvalidOnReject() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "onReject", "drop"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("CaliopApplyPolicy: invalid onReject 'drop': expected bounce or hold");
  }

  @Test
  void initShouldThrowOnInvalidRepositoryPath() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "repositoryPath", "no-protocol"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("repositoryPath");
  }

  @Test
  void initShouldThrowOnUnknownParameter() {
    assertThatThrownBy(() -> mailet(Policy.builtIn(), "repository", "memory://x/"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("repository");
  }

}
