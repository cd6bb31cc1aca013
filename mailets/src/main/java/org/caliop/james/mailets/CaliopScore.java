package org.caliop.james.mailets;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.mail.MessagingException;
import javax.inject.Inject;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.caliop.address.EmailAddress;
import org.caliop.engine.Disposition;
import org.caliop.engine.EncryptorSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.TrustSettings;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.EncryptedMessages;
import org.caliop.james.HeaderEditor;
import org.caliop.james.HeldMessage;
import org.caliop.james.InitParameters;
import org.caliop.james.JudgedAtSmtp;
import org.caliop.james.Judgement;
import org.caliop.james.MailJudge;
import org.caliop.james.MessageSpill;
import org.caliop.james.PolicySource;
import org.caliop.policy.Action;
import org.caliop.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine on a mail: provenance, content protection, privacy score, the policy's decision and its final
 * disposition. Applies the engine's header edits (forged {@code Caliop-*} fields out, {@code Caliop-Privacy} /
 * {@code Caliop-Policy} / {@code Caliop-Hop} in); when the disposition is {@code encrypted}, replaces the message by
 * the encrypted one (with {@code split_per_recipient}, this mail keeps the first recipient's copy and every other
 * recipient's copy is sent as a mail of its own, marked {@code caliop.encrypted.copy} so caliop lets it pass when it
 * comes round again). Stores the verdict as {@code caliop.*} mail attributes for the matchers
 * ({@code PrivacyGradeBelow}, {@code PrivacyScoreBelow}, {@code CaliopDecision}, {@code IsEndToEndEncrypted}) and
 * for {@code CaliopApplyPolicy}, which carries out hold, reject, tempfail and redirect.
 *
 * <p>First-hand facts come from what James recorded of the SMTP session: remote address and name, HELO
 * ({@code Mail.SMTP_HELO}), authenticated user ({@code Mail.SMTP_AUTH_USER}), and the TLS protocol and cipher that
 * {@code org.caliop.james.smtp.CaliopTlsHook} records (James 3.8.1 gives mailets none). A mail without a remote
 * address is judged on its headers alone. The message is streamed to the engine through a bounded spill: in memory
 * up to {@code spillThreshold} bytes, then a temporary file.
 *
 * <pre><code>
 * &lt;mailet match="All" class="org.caliop.james.mailets.CaliopScore"&gt;
 *   &lt;applyHeaders&gt;true&lt;/applyHeaders&gt;
 *   &lt;spillThreshold&gt;1048576&lt;/spillThreshold&gt;
 *   &lt;onError&gt;error&lt;/onError&gt;
 *   &lt;outboundHeaders&gt;private&lt;/outboundHeaders&gt;
 *   &lt;policyFile&gt;/root/conf/caliop-policy.yaml&lt;/policyFile&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>applyHeaders (default: true): apply the verdict's header edits to the message. With false only the
 * attributes are set.</li>
 * <li>spillThreshold (default: 1048576): bytes of a message kept in memory while the engine reads it; larger
 * messages go through a temporary file. 4096 to 67108864.</li>
 * <li>onError (default: error): when the message cannot be read or judged, {@code error} throws, and James sends the
 * mail to its {@code error} processor (nothing is delivered unjudged); {@code pass} logs and lets the mail go on
 * without {@code caliop.*} attributes (matchers then do not match). {@code pass} is refused at start when the policy
 * can encrypt or hold: such a mail would go on in clear or unheld. A mail whose encrypted form cannot be built
 * always goes to the error processor.</li>
 * <li>outboundHeaders (default: private): for mail from our own users (authenticated, or from
 * {@code trust.internal_networks}), {@code private} leaves the client's address, name and HELO out of
 * {@code Caliop-Hop} and the rule's file and line out of {@code Caliop-Policy}; {@code full} writes them as for
 * inbound mail.</li>
 * <li>policyFile (default: none, the built-in policy that scores, stamps and accepts): the caliop policy file
 * (YAML, {@code docs/policy.md}). Read at start, where an error stops James naming the file, line and column; then
 * checked every 10 seconds and reloaded when it changes (a broken new version is logged and the old one kept). All
 * caliop mailets and hooks naming the same file share one loaded policy.</li>
 * <li>policyClass (default: none): instead of a file, a class implementing {@code org.caliop.policy.Policy} with a
 * public no-argument constructor, loaded from {@code extensions-jars}. For embedding and tests.</li>
 * </ul>
 * Any other parameter is a configuration error.
 */
public class CaliopScore extends GenericMailet {
  private static final Logger LOGGER = LoggerFactory.getLogger(CaliopScore.class);
  static final Set<String> PARAMETERS = Set.of("applyHeaders", "spillThreshold", "onError", "outboundHeaders",
      "policyFile", "policyClass");

  private Supplier<Policy> policy;
  private final EncryptorSource encryptors;
  private final ScoreMetrics metrics;
  private MailJudge judge;
  private boolean applyHeaders;
  private boolean failOnError;
  private int threshold;

  /** Without metrics (a container that injects nothing; the mailet test kit). */
  public CaliopScore() {
    this(null, EncryptorSource.keys(Clock.systemUTC()), null);
  }

  /** As James 3.8.1 makes it: its injector hands over its own metric factory ({@link ScoreMetrics}). */
  @Inject
  public CaliopScore(MetricFactory metricFactory) {
    this(null, EncryptorSource.keys(Clock.systemUTC()), metricFactory);
  }

  CaliopScore(Supplier<Policy> policy) {
    this(policy, EncryptorSource.keys(Clock.systemUTC()));
  }

  /** With encryptors from elsewhere than the policy's keys (tests). */
  CaliopScore(Supplier<Policy> policy, EncryptorSource encryptors) {
    this(policy, encryptors, null);
  }

  /** With the metrics in {@code metricFactory} (null: none). */
  CaliopScore(Supplier<Policy> policy, EncryptorSource encryptors, MetricFactory metricFactory) {
    this.policy = policy;
    this.encryptors = encryptors;
    this.metrics = new ScoreMetrics(metricFactory);
  }

  @Override
  public void init() throws MessagingException {
    checkInitParameters(PARAMETERS);
    InitParameters params = InitParameters.of(getMailetName(), this::getInitParameter);
    applyHeaders = params.bool("applyHeaders", true);
    threshold = params.integer("spillThreshold", MessageSpill.DEFAULT_THRESHOLD, 4096, 64 * 1024 * 1024);
    String onError = params.string("onError").orElse("error");
    if (!onError.equals("pass") && !onError.equals("error")) {
      throw params.invalid("onError", onError, "pass or error");
    }
    String outbound = params.string("outboundHeaders").orElse("private");
    if (!outbound.equals("private") && !outbound.equals("full")) {
      throw params.invalid("outboundHeaders", outbound, "private or full");
    }
    failOnError = onError.equals("error");
    if (policy == null) {
      policy = policy(params);
    }
    if (!failOnError && holdsOrEncrypts(policy.get())) {
      throw params.invalid("onError", onError, "error: the policy can encrypt or hold, and a mail caliop cannot"
          + " judge must not go on unencrypted or unheld");
    }
    spillDirectory(getMailetName());
    try {
      judge = new MailJudge(policy, threshold, outbound.equals("full"), encryptors);
    } catch (java.io.IOException e) {
      throw new MessagingException(getMailetName() + ": cannot use the spill directory: " + e.getMessage(), e);
    }
  }

  /** The policy may end a mail in encryption or a hold (James holds a tempfail after acceptance too). */
  static boolean holdsOrEncrypts(Policy p) {
    Set<Action> actions = p.actions();
    return actions.contains(Action.ENCRYPT) || actions.contains(Action.HOLD) || actions.contains(Action.TEMPFAIL);
  }

  /** Makes this JVM's spill directory now, deleting what a killed James left there (docs/james.md). */
  static void spillDirectory(String mailet) throws MessagingException {
    try {
      MessageSpill.directory();
    } catch (java.io.IOException e) {
      throw new MessagingException(mailet + ": cannot use the spill directory: " + e.getMessage(), e);
    }
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    if (CaliopAttributes.bool(mail, CaliopAttributes.SPLIT_COPY).orElse(false)) {
      LOGGER.debug("{}: caliop judged=already reason=encrypted_copy", mail.getName());
      return;
    }
    TrustSettings trust = policy.get().trust();
    boolean token = mail.getAttribute(JudgedAtSmtp.ATTRIBUTE).isPresent();
    Optional<Judgement> atSmtp = JudgedAtSmtp.shared().take(mail);
    Verdict verdict = null;
    ScoreMetrics.Timer timer = metrics.start();
    try (HeldMessage message = judge.message(mail)) {
      Judgement judgement;
      if (atSmtp.isPresent() && judge.stillHolds(atSmtp.get(), mail, message)) {
        judgement = atSmtp.get();
        LOGGER.debug("{}: caliop judgement=smtp", mail.getName());
      } else {
        if (token) {
          LOGGER.debug("{}: caliop judgement=again reason={}", mail.getName(),
              atSmtp.isPresent() ? "changed_since_smtp" : "unknown_token");
        }
        judgement = judge.assess(mail, message);
      }
      if (!MailJudge.overBound(judgement.assessment())) {
        verdict = judge.conclude(judgement, message);
      }
    } catch (IOException | MessagingException | RuntimeException e) {
      timer.stop();
      unjudged(mail, trust, ScoreMetrics.Failure.UNREADABLE_MESSAGE, e.toString(), e);
      return;
    }
    timer.stop();
    if (verdict == null) {
      // More forged fields than the engine counts: not passed as judged (the on-error path), stripped all the same
      unjudged(mail, trust, ScoreMetrics.Failure.LIMIT,
          "more header fields only our servers may write than the engine counts", null);
      return;
    }
    try (Verdict v = verdict) {
      if (v.disposition().kind() == Disposition.Kind.ENCRYPTED) {
        encrypted(mail, v, trust);
      } else if (applyHeaders) {
        // No saveChanges(): James's message wrapper tracks header changes itself, and javax.mail's would renew the
        // Message-ID of a plain MimeMessage. Foreign fields go by name in the message James delivers, besides the
        // ones the engine counted.
        HeaderEditor.apply(mail.getMessage(), v.headerEdits(), trust::isForeignHeaderName);
      }
      CaliopAttributes.store(mail, v);
      metrics.judged(v.disposition().kind());
      LOGGER.info(MailJudge.logLine(mail, v));
    }
  }

  /**
   * The mail becomes its encrypted copy; with one copy per recipient, it keeps the first and each other goes as a
   * mail of its own through this processor again. Any failure throws: the mail goes to the error processor, never on
   * in clear.
   */
  private void encrypted(Mail mail, Verdict v, TrustSettings trust) throws MessagingException {
    List<Disposition.Copy> copies = v.disposition().copies();
    MimeMessage original = mail.getMessage();
    List<MimeMessage> messages = new ArrayList<>(copies.size());
    try {
      for (Disposition.Copy copy : copies) {
        messages.add(applyHeaders
            ? EncryptedMessages.of(original, v.headerEdits(), trust::isForeignHeaderName, copy, threshold)
            : EncryptedMessages.of(original, List.of(), name -> false, copy, threshold));
      }
    } catch (IOException e) {
      metrics.failed(ScoreMetrics.Failure.ENCRYPTION);
      throw new MessagingException("caliop: cannot build the encrypted message of " + mail.getName(), e);
    }
    for (int i = 1; i < copies.size(); i++) {
      Mail copy = mail.duplicate();
      copy.setMessage(messages.get(i));
      copy.setRecipients(addresses(mail, copies.get(i).recipients()));
      CaliopAttributes.store(copy, v);
      copy.setAttribute(new Attribute(CaliopAttributes.SPLIT_COPY, AttributeValue.of(true)));
      getMailetContext().sendMail(copy, mail.getState());
      LOGGER.info("{}: caliop encrypted_copy={} to={}", mail.getName(), copy.getName(), copies.get(i).recipients());
    }
    mail.setMessage(messages.get(0));
    if (copies.size() > 1) {
      mail.setRecipients(addresses(mail, copies.get(0).recipients()));
    }
  }

  /**
   * The mail's own recipients for a copy's: the engine names them canonically (local part in lower case, domain in
   * A-labels), and a copy goes to the address as the mail had it.
   */
  private static List<MailAddress> addresses(Mail mail, List<String> recipients) throws MessagingException {
    Map<EmailAddress, MailAddress> own = new HashMap<>();
    for (MailAddress a : mail.getRecipients()) {
      EmailAddress.parse(a.asString()).ifPresent(e -> own.putIfAbsent(e, a));
    }
    List<MailAddress> out = new ArrayList<>(recipients.size());
    for (String r : recipients) {
      MailAddress a = EmailAddress.parse(r).map(own::get).orElse(null);
      out.add(a != null ? a : new MailAddress(r));
    }
    return out;
  }

  /**
   * Unjudged, but never with a forged Caliop-* field: removed by name in the message James holds, whatever the
   * engine could not read or count; then {@code onError}.
   */
  private void unjudged(Mail mail, TrustSettings trust, ScoreMetrics.Failure failure, String detail,
      Exception cause) throws MessagingException {
    String why = failure.token();
    metrics.failed(failure);
    LOGGER.warn("{}: caliop error={} on_error={} detail={}", mail.getName(), why, failOnError ? "error" : "pass",
        detail);
    stripForeign(mail, trust);
    if (failOnError) {
      throw new MessagingException("caliop: cannot judge message " + mail.getName() + ": " + why, cause);
    }
  }

  private static void stripForeign(Mail mail, TrustSettings trust) throws MessagingException {
    MimeMessage message = mail.getMessage();
    HeaderEditor.apply(message, HeaderEditor.foreignEdits(message, trust), trust::isForeignHeaderName);
  }

  /** The policy of the {@code policyFile} or {@code policyClass} parameter; shared by the other caliop mailets. */
  static Supplier<Policy> policy(InitParameters params) throws MessagingException {
    Optional<String> file = params.string("policyFile");
    Optional<String> type = params.string("policyClass");
    if (file.isPresent() && type.isPresent()) {
      throw params.invalid("policyFile", file.get(), "either policyFile or policyClass, not both");
    }
    try {
      return PolicySource.of(file, type);
    } catch (IllegalArgumentException e) {
      if (file.isPresent()) {
        throw params.invalid("policyFile", file.get(), "a readable, valid policy file: " + e.getMessage());
      }
      throw params.invalid("policyClass", type.orElse(""), "a class implementing " + Policy.class.getName()
          + " with a public no-argument constructor: " + e.getMessage());
    }
  }

  @Override
  public String getMailetInfo() {
    return "caliop privacy score and policy decision";
  }
}
