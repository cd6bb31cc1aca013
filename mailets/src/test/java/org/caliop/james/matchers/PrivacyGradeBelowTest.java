package org.caliop.james.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.caliop.james.CaliopAttributes;
import org.junit.jupiter.api.Test;

class PrivacyGradeBelowTest {
  private static Attribute grade(String g) {
    return new Attribute(CaliopAttributes.GRADE, AttributeValue.of(g));
  }

  @Test
  void matchShouldMatchAWorseGrade() throws Exception {
    PrivacyGradeBelow matcher = MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", "C");

    assertThat(matcher.match(MatcherTests.mail(grade("D")))).hasSize(1);
  }

  @Test
  void matchShouldNotMatchTheSameGrade() throws Exception {
    PrivacyGradeBelow matcher = MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", "C");

    assertThat(matcher.match(MatcherTests.mail(grade("C")))).isEmpty();
  }

  @Test
  void matchShouldAcceptALowerCaseCondition() throws Exception {
    PrivacyGradeBelow matcher = MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", "a");

    assertThat(matcher.match(MatcherTests.mail(grade("B")))).hasSize(1);
  }

  @Test
  void matchShouldNotMatchAMailWithoutGrade() throws Exception {
    PrivacyGradeBelow matcher = MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", "C");

    assertThat(matcher.match(MatcherTests.mail())).isEmpty();
  }

  @Test
  void matchShouldNotMatchAGarbledGrade() throws Exception {
    PrivacyGradeBelow matcher = MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", "C");

    assertThat(matcher.match(MatcherTests.mail(grade("Z")))).isEmpty();
    assertThat(matcher.match(MatcherTests.mail(new Attribute(CaliopAttributes.GRADE, AttributeValue.of(4)))))
        .isEmpty();
  }

  @Test
  void initShouldThrowOnInvalidCondition() {
    assertThatThrownBy(() -> MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", "F"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("PrivacyGradeBelow: invalid condition 'F': expected one grade letter A to E");
  }

  @Test
  void initShouldThrowOnMissingCondition() {
    assertThatThrownBy(() -> MatcherTests.init(new PrivacyGradeBelow(), "PrivacyGradeBelow", null))
        .isInstanceOf(MessagingException.class);
  }
}
