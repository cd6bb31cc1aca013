package org.caliop.james.matchers;

import java.util.Collection;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.caliop.james.CaliopAttributes;
import org.caliop.score.Grade;

/**
 * Matches mails whose privacy grade, as {@code CaliopScore} stored it in {@code caliop.grade}, is worse than the
 * given grade: {@code PrivacyGradeBelow=C} matches D and E. A mail that CaliopScore did not judge never matches.
 *
 * <pre><code>
 * &lt;mailet match="org.caliop.james.matchers.PrivacyGradeBelow=C" class="ToProcessor"&gt;
 *   &lt;processor&gt;caliop-low-privacy&lt;/processor&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>condition (required): one grade letter, A to E, case-insensitive.</li>
 * </ul>
 */
public class PrivacyGradeBelow extends GenericMatcher {
  private Grade threshold;

  @Override
  public void init() throws MessagingException {
    threshold = Grade.parse(getCondition()).orElseThrow(() -> new MessagingException(
        "PrivacyGradeBelow: invalid condition '" + getCondition() + "': expected one grade letter A to E"));
  }

  @Override
  public Collection<MailAddress> match(Mail mail) {
    boolean below = CaliopAttributes.string(mail, CaliopAttributes.GRADE).flatMap(Grade::parse)
        .map(grade -> grade.worseThan(threshold)).orElse(false);
    return below ? mail.getRecipients() : List.of();
  }
}
