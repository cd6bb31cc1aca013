package org.caliop.james.matchers;

import java.util.Collection;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.caliop.james.CaliopAttributes;

/**
 * Matches mails whose privacy score, as {@code CaliopScore} stored it in {@code caliop.score}, is strictly below the
 * given number: {@code PrivacyScoreBelow=50} matches 49 and not 50. A mail that CaliopScore did not judge never
 * matches.
 *
 * <pre><code>
 * &lt;mailet match="org.caliop.james.matchers.PrivacyScoreBelow=50" class="AddSubjectPrefix"&gt;
 *   &lt;subjectPrefix&gt;[low privacy]&lt;/subjectPrefix&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>condition (required): an integer from 0 to 101 (101 matches every judged mail).</li>
 * </ul>
 */
public class PrivacyScoreBelow extends GenericMatcher {
  private int threshold;

  @Override
  public void init() throws MessagingException {
    String condition = getCondition() == null ? "" : getCondition().trim();
    try {
      threshold = Integer.parseInt(condition);
    } catch (NumberFormatException e) {
      threshold = -1;
    }
    if (threshold < 0 || threshold > 101) {
      throw new MessagingException(
          "PrivacyScoreBelow: invalid condition '" + getCondition() + "': expected an integer from 0 to 101");
    }
  }

  @Override
  public Collection<MailAddress> match(Mail mail) {
    boolean below = CaliopAttributes.integer(mail, CaliopAttributes.SCORE).map(score -> score < threshold)
        .orElse(false);
    return below ? mail.getRecipients() : List.of();
  }
}
