package org.caliop.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.caliop.james.TestMails;
import org.junit.jupiter.api.Test;

class StripForeignHeadersTest {
  private static StripForeignHeaders mailet(String... params) throws MessagingException {
    StripForeignHeaders mailet = new StripForeignHeaders();
    FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("StripForeignHeaders");
    for (int i = 0; i < params.length; i += 2) {
      config.setProperty(params[i], params[i + 1]);
    }
    mailet.init(config.build());
    return mailet;
  }

  private static FakeMail mail(String... headers) throws MessagingException {
    return FakeMail.builder().name("Q2").mimeMessage(TestMails.parse(TestMails.simple(headers))).build();
  }

  @Test
  void serviceShouldRemoveEveryCaliopField() throws Exception {
    FakeMail mail = mail("Caliop-Privacy: score=100, grade=A", "Received: r1", "caliop-hop: forged");

    mailet().service(mail);

    assertThat(mail.getMessage().getHeader("Caliop-Privacy")).isNull();
    assertThat(mail.getMessage().getHeader("Caliop-Hop")).isNull();
    assertThat(mail.getMessage().getHeader("Received")).containsExactly("r1");
  }

  @Test
  void serviceShouldLeaveAMessageWithoutForeignFieldsAlone() throws Exception {
    FakeMail mail = mail("Received: r1");
    var before = TestMails.headerLines(mail.getMessage());

    mailet().service(mail);

    assertThat(TestMails.headerLines(mail.getMessage())).isEqualTo(before);
  }

  @Test
  void serviceShouldRemoveConfiguredPrefixesAndNames() throws Exception {
    FakeMail mail = mail("X-Spam-Score: -100", "X-Trust-Me: yes", "X-Spam-Scored: keep");

    mailet("prefixes", "X-Trust-", "headers", "x-spam-score").service(mail);

    assertThat(mail.getMessage().getHeader("X-Spam-Score")).isNull();
    assertThat(mail.getMessage().getHeader("X-Trust-Me")).isNull();
    assertThat(mail.getMessage().getHeader("X-Spam-Scored")).containsExactly("keep");
  }

  @Test
  void serviceShouldRenameWhenAsked() throws Exception {
    FakeMail mail = mail("Caliop-Privacy: score=100");

    mailet("action", "rename").service(mail);

    assertThat(mail.getMessage().getHeader("Caliop-Privacy")).isNull();
    assertThat(mail.getMessage().getHeader("X-Untrusted-Caliop-Privacy")).containsExactly("score=100");
  }

  @Test
  void initShouldThrowOnUnknownAction() {
    assertThatThrownBy(() -> mailet("action", "drop"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("StripForeignHeaders: invalid action 'drop': expected strip or rename");
  }

  @Test
  void initShouldThrowOnARenamePrefixThatIsStripped() {
    assertThatThrownBy(() -> mailet("action", "rename", "renamePrefix", "Caliop-Old-"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("renamePrefix");
  }

  @Test
  void initShouldThrowOnAPrefixWithAColon() {
    assertThatThrownBy(() -> mailet("prefixes", "X-A:"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("prefixes");
  }

  @Test
  void initShouldThrowOnUnknownParameter() {
    assertThatThrownBy(() -> mailet("header", "X-A"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("header");
  }
}
