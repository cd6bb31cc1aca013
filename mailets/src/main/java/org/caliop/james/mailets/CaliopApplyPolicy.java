package org.caliop.james.mailets;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.caliop.engine.Disposition;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.InitParameters;
import org.caliop.policy.Action;
import org.caliop.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the disposition {@code CaliopScore} stored in {@code caliop.disposition}, as the mail container can:
 * it decides nothing itself (the engine did, encryption and its fallbacks included).
 *
 * <ul>
 * <li>{@code accept}, {@code encrypted}, {@code already-protected}: nothing more (CaliopScore added the headers and
 * put the encrypted message in place).</li>
 * <li>{@code hold}: stores the mail in {@code repositoryPath}, with the reason as its error message, and stops its
 * processing, as James's {@code ToRepository} quarantines do. Release it with James's web admin mail repository
 * routes.</li>
 * <li>{@code redirect}: replaces the recipients by the disposition's address.</li>
 * <li>{@code reject}: after SMTP acceptance a reject can only be a bounce: the sender gets a DSN with the reply (or
 * the mail is held, see {@code onReject}). To refuse <em>during</em> the SMTP dialogue, without backscatter, use
 * {@code org.caliop.james.smtp.CaliopSmtpPolicyHook} in {@code smtpserver.xml}.</li>
 * <li>{@code tempfail}: after acceptance nobody is left to retry, so the mail is held.</li>
 * <li>a disposition this version does not know: held (never delivered on a guess).</li>
 * </ul>
 * A mail without {@code caliop.disposition} (CaliopScore did not judge it) goes on untouched.
 *
 * <pre><code>
 * &lt;mailet match="All" class="org.caliop.james.mailets.CaliopApplyPolicy"&gt;
 *   &lt;repositoryPath&gt;file://var/mail/caliop-hold/&lt;/repositoryPath&gt;
 *   &lt;onReject&gt;bounce&lt;/onReject&gt;
 *   &lt;policyFile&gt;/root/conf/caliop-policy.yaml&lt;/policyFile&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>repositoryPath (default: file://var/mail/caliop-hold/): the mail repository that holds quarantined mail; a
 * persistent one, so a restart loses nothing: {@code file://} (memory and JPA apps), {@code cassandra://}
 * (distributed app). Opened at start, so a protocol James does not know stops James naming it. {@code memory://} is
 * refused unless the policy named here never holds, encrypts or tempfails (a hold in memory is lost at restart).</li>
 * <li>onReject (default: bounce): {@code bounce} returns the mail to its sender with the reply;
 * {@code hold} quarantines it instead (no backscatter to forged senders).</li>
 * <li>spillThreshold: accepted for older configurations and ignored (CaliopScore encrypts now).</li>
 * <li>policyFile, policyClass (default: none): the same policy as {@code CaliopScore}'s; only read to check that
 * {@code repositoryPath} can keep what the policy holds.</li>
 * </ul>
 * Any other parameter is a configuration error.
 */
public class CaliopApplyPolicy extends GenericMailet {
  private static final Logger LOGGER = LoggerFactory.getLogger(CaliopApplyPolicy.class);
  static final Set<String> PARAMETERS = Set.of("repositoryPath", "onReject", "spillThreshold", "policyFile",
      "policyClass");
  static final String DEFAULT_REPOSITORY = "file://var/mail/caliop-hold/";

  private final MailRepositoryStore repositories;
  private Supplier<Policy> policy;
  private MailRepositoryUrl holdUrl;
  private boolean holdRejected;

  @Inject
  public CaliopApplyPolicy(MailRepositoryStore repositories) {
    this(repositories, null);
  }

  CaliopApplyPolicy(MailRepositoryStore repositories, Supplier<Policy> policy) {
    this.repositories = repositories;
    this.policy = policy;
  }

  @Override
  public void init() throws MessagingException {
    checkInitParameters(PARAMETERS);
    InitParameters params = InitParameters.of(getMailetName(), this::getInitParameter);
    String path = params.string("repositoryPath").orElse(DEFAULT_REPOSITORY);
    try {
      holdUrl = MailRepositoryUrl.from(path);
    } catch (RuntimeException e) {
      throw params.invalid("repositoryPath", path, "a mail repository URL such as " + DEFAULT_REPOSITORY);
    }
    String onReject = params.string("onReject").orElse("bounce");
    if (!onReject.equals("bounce") && !onReject.equals("hold")) {
      throw params.invalid("onReject", onReject, "bounce or hold");
    }
    holdRejected = onReject.equals("hold");
    if (policy == null) {
      boolean named = params.string("policyFile").isPresent() || params.string("policyClass").isPresent();
      policy = named ? CaliopScore.policy(params) : null;
    }
    CaliopScore.spillDirectory(getMailetName());
    if (holdUrl.getProtocol().getValue().equals("memory") && (policy == null || holds(policy.get()))) {
      throw params.invalid("repositoryPath", path, "a persistent repository such as " + DEFAULT_REPOSITORY + ": "
          + (policy == null ? "name the policy here (policyFile) to show it never holds, or" : "the policy can hold"
          + " mail (hold, tempfail, encrypt with its fallbacks" + (holdRejected ? ", reject with onReject=hold" : "")
          + ") and") + " a memory:// repository loses it at restart");
    }
    try {
      repositories.select(holdUrl);
    } catch (MailRepositoryStore.MailRepositoryStoreException | RuntimeException e) {
      throw params.invalid("repositoryPath", path, "a repository James can open (" + e.getMessage() + ")");
    }
  }

  /** Whether a mail judged by {@code p} may end in our hold repository. */
  private boolean holds(Policy p) {
    Set<Action> actions = p.actions();
    return CaliopScore.holdsOrEncrypts(p) || actions.contains(Action.REDIRECT)
        || holdRejected && actions.contains(Action.REJECT);
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    Optional<String> token = CaliopAttributes.string(mail, CaliopAttributes.DISPOSITION);
    if (token.isEmpty()) {
      LOGGER.debug("{}: caliop apply=skipped reason=no_verdict", mail.getName());
      return;
    }
    Optional<Disposition.Kind> kind = Disposition.Kind.parse(token.get());
    if (kind.isEmpty()) {
      hold(mail, "caliop: unknown disposition " + token.get(), token.get());
      return;
    }
    switch (kind.get()) {
      case ACCEPT:
      case ENCRYPTED:
      case ALREADY_PROTECTED:
        return;
      case HOLD:
        hold(mail, CaliopAttributes.string(mail, CaliopAttributes.HOLD_REASON).orElse("caliop: held by policy"),
            "hold");
        return;
      case TEMPFAIL:
        hold(mail, "caliop: " + reply(mail, "4.7.1"), "tempfail");
        return;
      case REJECT:
        if (holdRejected) {
          hold(mail, "caliop: " + reply(mail, "5.7.1"), "reject");
        } else {
          bounce(mail);
        }
        return;
      case REDIRECT:
        redirect(mail);
        return;
      default:
        hold(mail, "caliop: unhandled disposition " + kind.get().token(), kind.get().token());
    }
  }

  private void hold(Mail mail, String reason, String why) throws MessagingException {
    mail.setErrorMessage(reason);
    try {
      repositories.select(holdUrl).store(mail);
    } catch (MailRepositoryStore.MailRepositoryStoreException e) {
      throw new MessagingException("caliop: cannot open hold repository " + holdUrl.asString(), e);
    }
    mail.setState(Mail.GHOST);
    LOGGER.info("{}: caliop applied=hold disposition={} repository={} reason=\"{}\"", mail.getName(), why,
        holdUrl.asString(), reason);
  }

  private void bounce(Mail mail) throws MessagingException {
    String reason = reply(mail, "5.7.1");
    if (mail.hasSender()) {
      getMailetContext().bounce(mail, reason);
    }
    mail.setState(Mail.GHOST);
    LOGGER.info("{}: caliop applied=bounce sender={} reason=\"{}\"", mail.getName(),
        mail.getMaybeSender().asString(), reason);
  }

  private void redirect(Mail mail) throws MessagingException {
    Optional<String> target = CaliopAttributes.string(mail, CaliopAttributes.REDIRECT_TO);
    if (target.isEmpty()) {
      hold(mail, "caliop: redirect without an address", "redirect");
      return;
    }
    try {
      mail.setRecipients(List.of(new MailAddress(target.get())));
    } catch (AddressException e) {
      hold(mail, "caliop: redirect to a bad address", "redirect");
      return;
    }
    LOGGER.info("{}: caliop applied=redirect to={}", mail.getName(), target.get());
  }

  /** {@code enhanced-code text}, as a DSN gives the reason. */
  private static String reply(Mail mail, String defaultEnhanced) {
    String code = CaliopAttributes.string(mail, CaliopAttributes.ENHANCED_CODE).orElse(defaultEnhanced);
    String text = CaliopAttributes.string(mail, CaliopAttributes.REPLY_TEXT)
        .orElse("message refused by the receiving domain's privacy policy");
    return code + " " + text;
  }

  @Override
  public String getMailetInfo() {
    return "caliop: carry out the engine's disposition (hold, redirect, bounce)";
  }
}
