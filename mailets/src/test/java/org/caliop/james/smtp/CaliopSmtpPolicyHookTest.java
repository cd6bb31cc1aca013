package org.caliop.james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.mailet.base.test.FakeMail;
import org.caliop.hop.TlsVersion;
import org.caliop.james.TestMails;
import org.caliop.james.TestMails.FixedPolicy;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.SmtpReply;
import org.junit.jupiter.api.Test;

class CaliopSmtpPolicyHookTest {
  private static FakeMail mail(MimeMessage message) throws Exception {
    return FakeMail.builder().name("H1").mimeMessage(message).sender("alice@example.org")
        .recipients("bob@example.net").remoteAddr("192.0.2.7").build();
  }

  private static HookResult run(Decision decision) throws Exception {
    return new CaliopSmtpPolicyHook(() -> new FixedPolicy(decision))
        .onMessage(FakeSessions.session(null, null, "EHLO", null), mail(TestMails.parse(TestMails.simple())));
  }

  @Test
  void onMessageShouldRejectWithThePolicyCodeAndText() throws Exception {
    HookResult result = run(Decision.builder(Action.REJECT)
        .reply(SmtpReply.of(554, "5.7.10", "encryption required for example.net")).build());

    assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
    assertThat(result.getSmtpRetCode()).isEqualTo("554");
    assertThat(result.getSmtpDescription()).isEqualTo("5.7.10 encryption required for example.net");
  }

  @Test
  void onMessageShouldRejectWithDefaultCodes() throws Exception {
    HookResult result = run(Decision.builder(Action.REJECT).build());

    assertThat(result.getSmtpRetCode()).isEqualTo("550");
    assertThat(result.getSmtpDescription()).startsWith("5.7.1 ");
  }

  @Test
  void onMessageShouldTempfailSoftly() throws Exception {
    HookResult result = run(Decision.builder(Action.TEMPFAIL).replyText("try\r\nlater").build());

    assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
    assertThat(result.getSmtpRetCode()).isEqualTo("451");
    assertThat(result.getSmtpDescription()).isEqualTo("4.7.1 try later");
  }

  @Test
  void onMessageShouldLetEveryOtherDispositionIn() throws Exception {
    for (Action action : new Action[] {Action.ACCEPT, Action.TAG, Action.HOLD}) {
      assertThat(run(Decision.builder(action).build())).isEqualTo(HookResult.DECLINED);
    }
    assertThat(run(Decision.builder(Action.REDIRECT).redirectTo("x@example.net").build()))
        .isEqualTo(HookResult.DECLINED);
  }

  @Test
  void onMessageShouldTempfailAnEncryptDecisionThatCannotBeCarriedOut() throws Exception {
    // FixedPolicy names no keys: the engine cannot encrypt, and the rule's on_failure (tempfail) answers at once.
    HookResult result = run(Decision.builder(Action.ENCRYPT).build());

    assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
    assertThat(result.getSmtpDescription()).isEqualTo("4.7.1 " + SmtpReply.ENCRYPT_FAILED_LATER_TEXT);
  }

  @Test
  void onMessageShouldLetADryRunRejectIn() throws Exception {
    assertThat(run(Decision.builder(Action.REJECT).dryRun(true).build())).isEqualTo(HookResult.DECLINED);
  }

  @Test
  void onMessageShouldGiveTheEngineTheSessionTls() throws Exception {
    FixedPolicy policy = new FixedPolicy(Decision.accept());

    new CaliopSmtpPolicyHook(() -> policy).onMessage(FakeSessions.session("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384",
        "EHLO", null), mail(TestMails.parse(TestMails.simple())));

    assertThat(policy.seen().connection().orElseThrow().tlsVersion()).contains(TlsVersion.TLSV1_2);
  }

  @Test
  void onMessageShouldTempfailAnUnreadableMessageByDefault() throws Exception {
    CaliopSmtpPolicyHook hook = new CaliopSmtpPolicyHook(() -> new FixedPolicy(Decision.accept()));
    hook.init(new BaseHierarchicalConfiguration());

    HookResult result = hook.onMessage(FakeSessions.session(null, null, "EHLO", null), mail(new Unreadable()));

    assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
    assertThat(result.getSmtpRetCode()).isEqualTo("451");
    assertThat(result.getSmtpDescription()).isEqualTo("4.3.0 caliop: temporary failure, try again later");
  }

  @Test
  void onMessageShouldAcceptAnUnreadableMessageWhenConfigured() throws Exception {
    CaliopSmtpPolicyHook hook = new CaliopSmtpPolicyHook(() -> new FixedPolicy(Decision.builder(Action.REJECT)
        .build()));
    BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
    config.addProperty("onError", "accept");
    hook.init(config);

    HookResult result = hook.onMessage(FakeSessions.session(null, null, "EHLO", null), mail(new Unreadable()));

    assertThat(result).isEqualTo(HookResult.DECLINED);
  }

  @Test
  void initShouldThrowOnUnknownParameter() {
    BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
    config.addProperty("policy", "/etc/caliop/policy.yaml");

    assertThatThrownBy(() -> new CaliopSmtpPolicyHook().init(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CaliopSmtpPolicyHook: unknown parameter 'policy': known are onError, policyClass, policyFile, "
            + "spillThreshold");
  }

  @Test
  void initShouldThrowOnInvalidOnError() {
    BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
    config.addProperty("onError", "reject");

    assertThatThrownBy(() -> new CaliopSmtpPolicyHook().init(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CaliopSmtpPolicyHook: invalid onError 'reject': expected accept or tempfail");
  }

  private static final class Unreadable extends MimeMessage {
    Unreadable() {
      super(Session.getInstance(new Properties()));
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
      throw new IOException("connection reset");
    }
  }
}
