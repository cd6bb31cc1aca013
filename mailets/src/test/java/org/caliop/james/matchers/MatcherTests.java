package org.caliop.james.matchers;

import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.caliop.james.TestMails;

final class MatcherTests {
  private MatcherTests() {
  }

  static <M extends Matcher> M init(M matcher, String name, String condition) throws MessagingException {
    matcher.init(FakeMatcherConfig.builder().matcherName(name).condition(condition).build());
    return matcher;
  }

  static FakeMail mail(Attribute... attributes) throws MessagingException {
    FakeMail.Builder b = FakeMail.builder().name("M1").mimeMessage(TestMails.parse(TestMails.simple()))
        .recipients("bob@example.net");
    for (Attribute a : attributes) {
      b.attribute(a);
    }
    return b.build();
  }
}
