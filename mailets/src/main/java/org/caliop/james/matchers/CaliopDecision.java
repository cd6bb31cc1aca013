package org.caliop.james.matchers;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.caliop.engine.Disposition;
import org.caliop.james.CaliopAttributes;

/**
 * Matches mails whose disposition, as {@code CaliopScore} stored it in {@code caliop.disposition}, is one of the
 * listed ones: what the engine decided the mail container does, after encryption and its fallbacks (a rule that says
 * encrypt and finds no key ends in its {@code on_missing_key}, e.g. {@code hold}). In dry-run every disposition is
 * {@code accept}, so enforcing matchers stay quiet. A mail that CaliopScore did not judge never matches.
 *
 * <pre><code>
 * &lt;mailet match="org.caliop.james.matchers.CaliopDecision=hold,redirect"
 *         class="org.caliop.james.mailets.CaliopApplyPolicy"/&gt;
 * </code></pre>
 *
 * <ul>
 * <li>condition (required): comma-separated dispositions among accept, reject, tempfail, hold (or its other name,
 * quarantine), redirect, encrypted, already-protected. The action names of older configurations still work:
 * {@code tag} is {@code accept}, {@code encrypt} is {@code encrypted} and {@code already-protected}.</li>
 * </ul>
 */
public class CaliopDecision extends GenericMatcher {
  private Set<Disposition.Kind> kinds;

  @Override
  public void init() throws MessagingException {
    String condition = getCondition() == null ? "" : getCondition();
    kinds = EnumSet.noneOf(Disposition.Kind.class);
    for (String token : condition.split(",")) {
      if (token.isBlank()) {
        continue;
      }
      String t = token.trim();
      if (t.equalsIgnoreCase("tag")) {
        kinds.add(Disposition.Kind.ACCEPT);
      } else if (t.equalsIgnoreCase("quarantine")) {
        kinds.add(Disposition.Kind.HOLD);
      } else if (t.equalsIgnoreCase("encrypt")) {
        kinds.add(Disposition.Kind.ENCRYPTED);
        kinds.add(Disposition.Kind.ALREADY_PROTECTED);
      } else {
        Optional<Disposition.Kind> k = Disposition.Kind.parse(t);
        kinds.add(k.orElseThrow(() -> new MessagingException("CaliopDecision: invalid disposition '" + t
            + "' in condition: expected accept, reject, tempfail, hold, redirect, encrypted or already-protected")));
      }
    }
    if (kinds.isEmpty()) {
      throw new MessagingException("CaliopDecision: empty condition: expected one or more dispositions, e.g."
          + " reject,hold");
    }
  }

  @Override
  public Collection<MailAddress> match(Mail mail) {
    boolean listed = CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION).flatMap(Disposition.Kind::parse)
        .map(kinds::contains).orElse(false);
    return listed ? mail.getRecipients() : List.of();
  }
}
