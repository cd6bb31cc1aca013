package org.caliop.james.matchers;

import java.util.Collection;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.caliop.james.CaliopAttributes;

/**
 * Matches mails whose body {@code CaliopScore} found end-to-end encrypted (OpenPGP/MIME, inline PGP, S/MIME
 * enveloped), from the {@code caliop.encrypted} attribute. A mail that CaliopScore did not judge never matches.
 *
 * <pre><code>
 * &lt;mailet match="org.caliop.james.matchers.IsEndToEndEncrypted" class="ToProcessor"&gt;
 *   &lt;processor&gt;transport&lt;/processor&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <p>Takes no condition.
 */
public class IsEndToEndEncrypted extends GenericMatcher {
  @Override
  public void init() throws MessagingException {
    if (getCondition() != null && !getCondition().isBlank()) {
      throw new MessagingException("IsEndToEndEncrypted: takes no condition, got '" + getCondition() + "'");
    }
  }

  @Override
  public Collection<MailAddress> match(Mail mail) {
    return CaliopAttributes.bool(mail, CaliopAttributes.ENCRYPTED).orElse(false) ? mail.getRecipients() : List.of();
  }
}
