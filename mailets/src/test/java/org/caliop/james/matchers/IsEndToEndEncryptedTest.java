package org.caliop.james.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.caliop.james.CaliopAttributes;
import org.junit.jupiter.api.Test;

class IsEndToEndEncryptedTest {
  @Test
  void matchShouldMatchAnEncryptedMail() throws Exception {
    IsEndToEndEncrypted matcher = MatcherTests.init(new IsEndToEndEncrypted(), "IsEndToEndEncrypted", null);

    assertThat(matcher.match(MatcherTests.mail(new Attribute(CaliopAttributes.ENCRYPTED, AttributeValue.of(true)))))
        .hasSize(1);
  }

  @Test
  void matchShouldNotMatchAClearMail() throws Exception {
    IsEndToEndEncrypted matcher = MatcherTests.init(new IsEndToEndEncrypted(), "IsEndToEndEncrypted", null);

    assertThat(matcher.match(MatcherTests.mail(new Attribute(CaliopAttributes.ENCRYPTED, AttributeValue.of(false)))))
        .isEmpty();
  }

  @Test
  void matchShouldNotMatchAMailNotJudged() throws Exception {
    IsEndToEndEncrypted matcher = MatcherTests.init(new IsEndToEndEncrypted(), "IsEndToEndEncrypted", null);

    assertThat(matcher.match(MatcherTests.mail())).isEmpty();
  }

  @Test
  void initShouldThrowOnACondition() {
    assertThatThrownBy(() -> MatcherTests.init(new IsEndToEndEncrypted(), "IsEndToEndEncrypted", "pgp"))
        .isInstanceOf(MessagingException.class)
        .hasMessage("IsEndToEndEncrypted: takes no condition, got 'pgp'");
  }
}
