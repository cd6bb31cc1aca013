package org.caliop.it;

import org.caliop.address.EmailAddress;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.caliop.score.Score;

/**
 * The integration test's policy, compiled by the test against the packaged plugin jar and dropped into James's
 * extensions-jars: it decides by the recipient's local part, so each test picks the decision it needs.
 * Not on the test class path on purpose (see JamesServerFixture).
 */
public final class ItPolicy implements Policy {
  @Override
  public String source() {
    return "it";
  }

  @Override
  public Decision decide(MessageFacts facts, Score score) {
    boolean tls = facts.connection().map(ConnectionFacts::tls).orElse(false);
    for (EmailAddress recipient : facts.envelope().recipients()) {
      String local = recipient.localPart();
      switch (local) {
        case "reject":
          return Decision.builder(Action.REJECT).rule("it:reject")
              .reply(SmtpReply.of(550, "5.7.1", "caliop it: rejected by policy")).build();
        case "tempfail":
          return Decision.builder(Action.TEMPFAIL).rule("it:tempfail")
              .reply(SmtpReply.of(451, "4.7.1", "caliop it: try again later")).build();
        case "hold":
          return Decision.builder(Action.HOLD).rule("it:hold").build();
        case "redirect":
          return Decision.builder(Action.REDIRECT).rule("it:redirect").redirectTo("bob@caliop.test").build();
        case "needtls":
          if (!tls) {
            return Decision.builder(Action.REJECT).rule("it:needtls")
                .reply(SmtpReply.of(550, "5.7.10", "caliop it: TLS required")).build();
          }
          break;
        default:
          break;
      }
    }
    return Decision.accept();
  }
}
