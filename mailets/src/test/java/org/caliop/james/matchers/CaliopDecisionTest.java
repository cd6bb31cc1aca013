package org.caliop.james.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.caliop.james.CaliopAttributes;
import org.junit.jupiter.api.Test;

class CaliopDecisionTest {
  private static Attribute action(String a) {
    return new Attribute(CaliopAttributes.DISPOSITION, AttributeValue.of(a));
  }

  @Test
  void matchShouldMatchAListedAction() throws Exception {
    CaliopDecision matcher = MatcherTests.init(new CaliopDecision(), "CaliopDecision", "reject, hold");

    assertThat(matcher.match(MatcherTests.mail(action("hold")))).hasSize(1);
  }

  @Test
  void quarantineShouldBeAnotherNameForHold() throws Exception {
    CaliopDecision matcher = MatcherTests.init(new CaliopDecision(), "CaliopDecision", "quarantine");

    assertThat(matcher.match(MatcherTests.mail(action("hold")))).hasSize(1);
  }

  @Test
  void matchShouldNotMatchAnotherAction() throws Exception {
    CaliopDecision matcher = MatcherTests.init(new CaliopDecision(), "CaliopDecision", "reject");

    assertThat(matcher.match(MatcherTests.mail(action("accept")))).isEmpty();
  }

  @Test
  void matchShouldReadTheActionNamesOfOlderConfigurations() throws Exception {
    CaliopDecision matcher = MatcherTests.init(new CaliopDecision(), "CaliopDecision", "tag,encrypt");

    assertThat(matcher.match(MatcherTests.mail(action("accept")))).hasSize(1);
    assertThat(matcher.match(MatcherTests.mail(action("encrypted")))).hasSize(1);
    assertThat(matcher.match(MatcherTests.mail(action("already-protected")))).hasSize(1);
    assertThat(matcher.match(MatcherTests.mail(action("hold")))).isEmpty();
  }

  @Test
  void matchShouldNotMatchWithoutDecision() throws Exception {
    CaliopDecision matcher = MatcherTests.init(new CaliopDecision(), "CaliopDecision", "accept");

    assertThat(matcher.match(MatcherTests.mail())).isEmpty();
  }

  @Test
  void initShouldThrowOnAnUnknownAction() {
    assertThatThrownBy(() -> MatcherTests.init(new CaliopDecision(), "CaliopDecision", "reject,bounce"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("CaliopDecision: invalid disposition 'bounce' in condition: expected accept, reject, "
            + "tempfail, hold, redirect, encrypted or already-protected");
  }

  @Test
  void initShouldThrowOnAnEmptyCondition() {
    assertThatThrownBy(() -> MatcherTests.init(new CaliopDecision(), "CaliopDecision", " , "))
        .isInstanceOf(MessagingException.class);
  }
}
