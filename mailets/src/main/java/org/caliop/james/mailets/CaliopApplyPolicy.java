package org.caliop.james.mailets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.HeaderEditor;
import org.caliop.james.InitParameters;
import org.caliop.james.MessageSpill;
import org.caliop.policy.Action;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what the policy decided for a mail, as {@code CaliopScore} stored it in the {@code caliop.*} attributes. It
 * decides nothing itself.
 *
 * <ul>
 * <li>{@code accept}, {@code tag}: nothing more (CaliopScore already added the headers).</li>
 * <li>{@code hold}: stores the mail in {@code repositoryPath} and stops its processing, as James's
 * {@code ToRepository} quarantines do. Release it with James's web admin mail repository routes.</li>
 * <li>{@code redirect}: replaces the recipients by the rule's address.</li>
 * <li>{@code reject}: after SMTP acceptance a reject can only be a bounce: the sender gets a DSN with the human
 * reason (or the mail is held, see {@code onReject}). To refuse <em>during</em> the SMTP dialogue, without
 * backscatter, use {@code org.caliop.james.smtp.CaliopSmtpPolicyHook} in {@code smtpserver.xml}.</li>
 * <li>{@code tempfail}: after acceptance nobody is left to retry, so the mail is held.</li>
 * <li>{@code encrypt}: the policy's gateway encryptor encrypts the mail for its recipients; with no encryptor or no
 * key for a recipient, the rule's {@code on_missing_key} action applies (tag, tempfail, reject, hold), never a
 * silent clear send.</li>
 * </ul>
 * A mail without {@code caliop.action} (CaliopScore did not run or could not read it) goes on untouched.
 *
 * <pre><code>
 * &lt;mailet match="org.caliop.james.matchers.CaliopDecision=reject,tempfail,hold,redirect,encrypt"
 *         class="org.caliop.james.mailets.CaliopApplyPolicy"&gt;
 *   &lt;repositoryPath&gt;memory://var/mail/caliop-hold/&lt;/repositoryPath&gt;
 *   &lt;onReject&gt;bounce&lt;/onReject&gt;
 *   &lt;spillThreshold&gt;1048576&lt;/spillThreshold&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>repositoryPath (default: memory://var/mail/caliop-hold/): the mail repository URL that holds quarantined
 * mail; any protocol James's {@code mailrepositorystore.xml} knows ({@code file://}, {@code memory://},
 * {@code cassandra://}).</li>
 * <li>onReject (default: bounce): {@code bounce} returns the mail to its sender with the policy's reason;
 * {@code hold} quarantines it instead (no backscatter to forged senders).</li>
 * <li>spillThreshold (default: 1048576): bytes kept in memory while encrypting; beyond, a temporary file.</li>
 * <li>policyFile, policyClass (default: none): as for {@code CaliopScore}, and the same file: the policy whose
 * gateway encryptor {@code encrypt} uses.</li>
 * </ul>
 * Any other parameter is a configuration error.
 */
public class CaliopApplyPolicy extends GenericMailet {
  private static final Logger LOGGER = LoggerFactory.getLogger(CaliopApplyPolicy.class);
  static final Set<String> PARAMETERS = Set.of("repositoryPath", "onReject", "spillThreshold", "policyFile",
      "policyClass");
  static final String DEFAULT_REPOSITORY = "memory://var/mail/caliop-hold/";

  private final MailRepositoryStore repositories;
  private Supplier<Policy> policy;
  private MailRepositoryUrl holdUrl;
  private boolean holdRejected;
  private int spillThreshold;

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
    spillThreshold = params.integer("spillThreshold", MessageSpill.DEFAULT_THRESHOLD, 4096, 64 * 1024 * 1024);
    if (policy == null) {
      policy = CaliopScore.policy(params);
    }
    CaliopScore.spillDirectory(getMailetName());
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    Optional<Action> action = CaliopAttributes.string(mail, CaliopAttributes.ACTION).flatMap(Action::parse);
    if (action.isEmpty()) {
      LOGGER.debug("{}: caliop apply=skipped reason=no_verdict", mail.getName());
      return;
    }
    apply(mail, action.get());
  }

  private void apply(Mail mail, Action action) throws MessagingException {
    switch (action) {
      case ACCEPT:
      case TAG:
        return;
      case HOLD:
      case TEMPFAIL:
        hold(mail, action);
        return;
      case REJECT:
        if (holdRejected) {
          hold(mail, action);
        } else {
          bounce(mail);
        }
        return;
      case REDIRECT:
        redirect(mail);
        return;
      case ENCRYPT:
        encrypt(mail);
        return;
      default:
        throw new IllegalStateException("unhandled action " + action);
    }
  }

  private void hold(Mail mail, Action why) throws MessagingException {
    try {
      repositories.select(holdUrl).store(mail);
    } catch (MailRepositoryStore.MailRepositoryStoreException e) {
      throw new MessagingException("caliop: cannot open hold repository " + holdUrl.asString(), e);
    }
    mail.setState(Mail.GHOST);
    LOGGER.info("{}: caliop applied=hold decision={} repository={}", mail.getName(), why.token(), holdUrl.asString());
  }

  private void bounce(Mail mail) throws MessagingException {
    String reason = reason(mail);
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
      LOGGER.warn("{}: caliop applied=hold reason=redirect_without_address", mail.getName());
      hold(mail, Action.REDIRECT);
      return;
    }
    try {
      mail.setRecipients(List.of(new MailAddress(target.get())));
    } catch (AddressException e) {
      LOGGER.warn("{}: caliop applied=hold reason=bad_redirect_address address=\"{}\"", mail.getName(), target.get());
      hold(mail, Action.REDIRECT);
      return;
    }
    LOGGER.info("{}: caliop applied=redirect to={}", mail.getName(), target.get());
  }

  private void encrypt(Mail mail) throws MessagingException {
    EncryptSpec spec = spec(mail);
    Optional<GatewayEncryptor> encryptor = policy.get().encryptor();
    if (encryptor.isEmpty()) {
      missingKey(mail, spec, "no_encryptor");
      return;
    }
    List<String> recipients = new ArrayList<>();
    for (MailAddress recipient : mail.getRecipients()) {
      recipients.add(recipient.asString());
    }
    try (MessageSpill original = MessageSpill.of(mail.getMessage(), spillThreshold);
        MessageSpill body = MessageSpill.empty(spillThreshold)) {
      EncryptionResult result;
      try (InputStream in = original.input(); OutputStream out = body.output()) {
        result = encryptor.get().encrypt(in, recipients, spec.options(), out);
      }
      switch (result.status()) {
        case ENCRYPTED:
          mail.setMessage(replaceBody(mail.getMessage(), result, body));
          LOGGER.info("{}: caliop applied=encrypt format={}", mail.getName(), result.format().orElse("?"));
          return;
        case ALREADY_PROTECTED:
          LOGGER.info("{}: caliop applied=none reason=already_protected", mail.getName());
          return;
        case MISSING_KEYS:
        default:
          missingKey(mail, spec, "missing_keys=" + String.join(",", result.recipientsWithoutKey()));
      }
    } catch (IOException e) {
      throw new MessagingException("caliop: encryption failed for " + mail.getName(), e);
    }
  }

  /** The original header section with the encryptor's edits, over the encrypted body, without copying the body. */
  private MimeMessage replaceBody(MimeMessage message, EncryptionResult result, MessageSpill body)
      throws MessagingException, IOException {
    HeaderEditor.apply(message, result.headerEdits());
    MessageSpill whole = MessageSpill.empty(spillThreshold);
    try (OutputStream out = whole.output(); InputStream encrypted = body.plainInput()) {
      for (String line : Collections.list(message.getAllHeaderLines())) {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      encrypted.transferTo(out);
    }
    // The new message reads its body from the spill by position; the spill's temp file is unlinked when closed.
    // The MimeMessage owns the stream (javax.mail closes the shared file when its last sub-stream is gone).
    try {
      return new MimeMessage(Session.getInstance(new Properties()), whole.input());
    } finally {
      whole.close();
    }
  }

  private void missingKey(Mail mail, EncryptSpec spec, String why) throws MessagingException {
    Action fallback = spec.onMissingKey();
    LOGGER.info("{}: caliop encrypt=impossible {} on_missing_key={}", mail.getName(), why, fallback.token());
    if (fallback == Action.ENCRYPT || fallback == Action.REDIRECT) {
      // Not a valid fallback; hold rather than send in clear.
      hold(mail, Action.ENCRYPT);
      return;
    }
    apply(mail, fallback);
  }

  private static EncryptSpec spec(Mail mail) {
    EncryptOptions.Format format = CaliopAttributes.string(mail, CaliopAttributes.ENCRYPT_FORMAT)
        .flatMap(CaliopApplyPolicy::format).orElse(EncryptOptions.Format.PREFER_PGP);
    // No stored on-missing-key action means a verdict we cannot fully read: hold, never send in clear.
    Action onMissingKey = CaliopAttributes.string(mail, CaliopAttributes.ENCRYPT_ON_MISSING_KEY)
        .flatMap(Action::parse).orElse(Action.HOLD);
    boolean split = CaliopAttributes.bool(mail, CaliopAttributes.ENCRYPT_SPLIT).orElse(false);
    String subject = CaliopAttributes.string(mail, CaliopAttributes.ENCRYPT_SUBJECT).orElse(null);
    return EncryptSpec.of(format, onMissingKey, split, subject);
  }

  private static Optional<EncryptOptions.Format> format(String name) {
    try {
      return Optional.of(EncryptOptions.Format.valueOf(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String reason(Mail mail) {
    String code = CaliopAttributes.string(mail, CaliopAttributes.ENHANCED_CODE).orElse("5.7.1");
    String text = CaliopAttributes.string(mail, CaliopAttributes.REPLY_TEXT)
        .orElse("message refused by the receiving domain's privacy policy");
    return code + " " + text;
  }

  @Override
  public String getMailetInfo() {
    return "caliop: apply the policy decision (hold, redirect, bounce, encrypt)";
  }
}
