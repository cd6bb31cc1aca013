package org.caliop.james.matchers;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.caliop.james.CaliopAttributes;
import org.caliop.policy.Action;

/**
 * Matches mails whose policy decision, as {@code CaliopScore} stored it in {@code caliop.action}, is one of the
 * listed actions. In dry-run the decision is {@code tag}, so enforcing matchers stay quiet. A mail that CaliopScore
 * did not judge never matches.
 *
 * <pre><code>
 * &lt;mailet match="org.caliop.james.matchers.CaliopDecision=hold,redirect"
 *         class="org.caliop.james.mailets.CaliopApplyPolicy"/&gt;
 * </code></pre>
 *
 * <ul>
 * <li>condition (required): comma-separated actions among accept, tag, reject, tempfail, hold (or its other
 * name, quarantine), redirect, encrypt.</li>
 * </ul>
 */
public class CaliopDecision extends GenericMatcher {
  private Set<Action> actions;

  @Override
  public void init() throws MessagingException {
    String condition = getCondition() == null ? "" : getCondition();
    actions = EnumSet.noneOf(Action.class);
    for (String token : condition.split(",")) {
      if (token.isBlank()) {
        continue;
      }
      actions.add(Action.parse(token).orElseThrow(() -> new MessagingException("CaliopDecision: invalid action '"
          + token.trim() + "' in condition: expected accept, tag, reject, tempfail, hold, redirect or encrypt")));
    }
    if (actions.isEmpty()) {
      throw new MessagingException("CaliopDecision: empty condition: expected one or more actions, e.g. reject,hold");
    }
  }

  @Override
  public Collection<MailAddress> match(Mail mail) {
    boolean listed = CaliopAttributes.string(mail, CaliopAttributes.ACTION).flatMap(Action::parse)
        .map(actions::contains).orElse(false);
    return listed ? mail.getRecipients() : List.of();
  }
}
