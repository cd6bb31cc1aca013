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
    return new Attribute(CaliopAttributes.ACTION, AttributeValue.of(a));
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

    assertThat(matcher.match(MatcherTests.mail(action("tag")))).isEmpty();
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
        .hasMessage("CaliopDecision: invalid action 'bounce' in condition: expected accept, tag, reject, "
            + "tempfail, hold, redirect or encrypt");
  }

  @Test
  void initShouldThrowOnAnEmptyCondition() {
    assertThatThrownBy(() -> MatcherTests.init(new CaliopDecision(), "CaliopDecision", " , "))
        .isInstanceOf(MessagingException.class);
  }
}
