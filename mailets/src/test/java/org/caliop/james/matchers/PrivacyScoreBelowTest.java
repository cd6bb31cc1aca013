package org.caliop.james.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.caliop.james.CaliopAttributes;
import org.junit.jupiter.api.Test;

class PrivacyScoreBelowTest {
  private static Attribute score(int s) {
    return new Attribute(CaliopAttributes.SCORE, AttributeValue.of(s));
  }

  @Test
  void matchShouldMatchJustBelowTheThreshold() throws Exception {
    PrivacyScoreBelow matcher = MatcherTests.init(new PrivacyScoreBelow(), "PrivacyScoreBelow", "50");

    assertThat(matcher.match(MatcherTests.mail(score(49)))).hasSize(1);
  }

  @Test
  void matchShouldNotMatchAtTheThreshold() throws Exception {
    PrivacyScoreBelow matcher = MatcherTests.init(new PrivacyScoreBelow(), "PrivacyScoreBelow", "50");

    assertThat(matcher.match(MatcherTests.mail(score(50)))).isEmpty();
  }

  @Test
  void matchShouldNotMatchAMailWithoutScore() throws Exception {
    PrivacyScoreBelow matcher = MatcherTests.init(new PrivacyScoreBelow(), "PrivacyScoreBelow", "101");

    assertThat(matcher.match(MatcherTests.mail())).isEmpty();
  }

  @Test
  void matchShouldNotMatchAScoreOfAnotherType() throws Exception {
    PrivacyScoreBelow matcher = MatcherTests.init(new PrivacyScoreBelow(), "PrivacyScoreBelow", "50");

    assertThat(matcher.match(MatcherTests.mail(new Attribute(CaliopAttributes.SCORE, AttributeValue.of("10")))))
        .isEmpty();
  }

  @Test
  void initShouldThrowOnANumberOutOfRange() {
    assertThatThrownBy(() -> MatcherTests.init(new PrivacyScoreBelow(), "PrivacyScoreBelow", "102"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("PrivacyScoreBelow: invalid condition '102': expected an integer from 0 to 101");
  }

  @Test
  void initShouldThrowOnText() {
    assertThatThrownBy(() -> MatcherTests.init(new PrivacyScoreBelow(), "PrivacyScoreBelow", "half"))
        .isInstanceOf(MessagingException.class);
  }
}
