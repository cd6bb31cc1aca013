package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.caliop.policy.SmtpReply;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {
  @Test
  void ofShouldRefuseWhatAnMtaWouldMangle() {
    assertThatThrownBy(() -> SmtpReply.of(250, "2.0.0", "ok")).hasMessageContaining("4xx or 5xx");
    assertThatThrownBy(() -> SmtpReply.of(550, "4.7.1", "x")).hasMessageContaining("does not fit reply code 550");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7", "x")).hasMessageContaining("does not fit");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7.1", "caf\u00e9")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7.1", "a\r\nb")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7.1", "")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7.1", "x".repeat(SmtpReply.MAX_TEXT + 1)))
        .hasMessageContaining("longer than 400");
    assertThat(SmtpReply.of(550, "5.7.1", "x".repeat(SmtpReply.MAX_TEXT)).text()).hasSize(SmtpReply.MAX_TEXT);
  }

  @Test
  void cleanedShouldMakeOneAsciiLineAndFixAnEnhancedCodeOfTheWrongClass() {
    SmtpReply r = SmtpReply.cleaned(451, "5.7.1", " caf\u00e9\r\n\tau  lait ", "fallback");

    assertThat(r.toString()).isEqualTo("451 4.7.1 caf? au lait");
    assertThat(SmtpReply.cleaned(550, null, "\r\n", "fallback").text()).isEqualTo("fallback");
  }

  @Test
  void milterTextShouldDoublePercentAndStillFitAReplyLine() {
    assertThat(SmtpReply.of(550, "5.7.1", "100% sure").milterText()).isEqualTo("100%% sure");
    assertThatThrownBy(() -> SmtpReply.of(550, "5.7.1", "%".repeat(SmtpReply.MAX_MILTER_TEXT / 2 + 1)))
        .hasMessageContaining("too many '%'");
    SmtpReply most = SmtpReply.cleaned(550, "5.7.1", "%".repeat(400), "x");

    assertThat(most.milterText()).hasSize(SmtpReply.MAX_MILTER_TEXT);
    assertThat(SmtpReply.cleaned(550, "5.7.1", "a".repeat(1000), "x").text()).hasSize(SmtpReply.MAX_TEXT);
  }
}
