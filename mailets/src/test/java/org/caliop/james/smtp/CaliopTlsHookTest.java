package org.caliop.james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.base.test.FakeMail;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.TestMails;
import org.junit.jupiter.api.Test;

class CaliopTlsHookTest {
  private static FakeMail mail() throws Exception {
    return FakeMail.builder().name("T1").mimeMessage(TestMails.parse(TestMails.simple())).build();
  }

  @Test
  void onMessageShouldRecordTlsProtocolAndCipher() throws Exception {
    FakeMail mail = mail();

    HookResult result = new CaliopTlsHook().onMessage(
        FakeSessions.session("TLSv1.3", "TLS_AES_128_GCM_SHA256", "EHLO", null), mail);

    assertThat(result).isEqualTo(HookResult.DECLINED);
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.TLS_PROTOCOL)).contains("TLSv1.3");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.TLS_CIPHER)).contains("TLS_AES_128_GCM_SHA256");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.SMTP_PROTOCOL)).contains("ESMTPS");
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.TLS_PEER_SUBJECT)).isEmpty();
  }

  @Test
  void onMessageShouldRecordTheListenerTheClientConnectedTo() throws Exception {
    FakeMail mail = FakeMail.builder().name("T2").remoteAddr("127.0.0.1")
        .mimeMessage(TestMails.parse(TestMails.simple())).build();

    new CaliopTlsHook().onMessage(FakeSessions.session(null, null, "EHLO", null), mail);

    // with the client's network, what identifies a relay of trust.trusted_relays
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.SMTP_LISTENER_ADDRESS)).contains("127.0.0.1");
    assertThat(CaliopAttributes.integer(mail, CaliopAttributes.SMTP_LISTENER_PORT)).contains(10025);
    assertThat(org.caliop.james.MailFacts.connection(mail).listener().toString()).isEqualTo("127.0.0.1:10025");
  }

  @Test
  void onMessageShouldRecordNoTlsOnAClearSession() throws Exception {
    FakeMail mail = mail();

    new CaliopTlsHook().onMessage(FakeSessions.session(null, null, "HELO", null), mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.TLS_PROTOCOL)).isEmpty();
    assertThat(CaliopAttributes.string(mail, CaliopAttributes.SMTP_PROTOCOL)).contains("SMTP");
  }

  @Test
  void onMessageShouldNameAnAuthenticatedTlsSessionEsmtpsa() throws Exception {
    FakeMail mail = mail();

    new CaliopTlsHook().onMessage(FakeSessions.session("TLSv1.2", "ECDHE", "EHLO", "alice"), mail);

    assertThat(CaliopAttributes.string(mail, CaliopAttributes.SMTP_PROTOCOL)).contains("ESMTPSA");
  }

  @Test
  void initShouldThrowOnAnyParameter() {
    BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
    config.addProperty("[@class]", CaliopTlsHook.class.getName());
    config.addProperty("recordCertificates", "true");

    assertThatThrownBy(() -> new CaliopTlsHook().init(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CaliopTlsHook: unknown parameter 'recordCertificates': it takes none");
  }

  @Test
  void initShouldAcceptTheClassAttribute() throws Exception {
    BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
    config.addProperty("[@class]", CaliopTlsHook.class.getName());

    new CaliopTlsHook().init(config);
  }
}
