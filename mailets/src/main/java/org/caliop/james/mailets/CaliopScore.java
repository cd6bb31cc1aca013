package org.caliop.james.mailets;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.caliop.engine.Engine;
import org.caliop.engine.Verdict;
import org.caliop.facts.TrustSettings;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.HeaderEditor;
import org.caliop.james.InitParameters;
import org.caliop.james.MailJudge;
import org.caliop.james.MessageSpill;
import org.caliop.james.PolicySource;
import org.caliop.message.ScanDiagnostic;
import org.caliop.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the provenance, content protection, privacy score and policy decision of a mail, applies the engine's
 * header edits (forged {@code Caliop-*} fields out, {@code Caliop-Privacy} / {@code Caliop-Policy} /
 * {@code Caliop-Hop} in) and stores the verdict as {@code caliop.*} mail attributes for the matchers
 * ({@code PrivacyGradeBelow}, {@code PrivacyScoreBelow}, {@code CaliopDecision}, {@code IsEndToEndEncrypted}) and
 * {@code CaliopApplyPolicy}.
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
 *   &lt;onError&gt;pass&lt;/onError&gt;
 *   &lt;policyFile&gt;/root/conf/caliop-policy.yaml&lt;/policyFile&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>applyHeaders (default: true): apply the verdict's header edits to the message. With false only the
 * attributes are set.</li>
 * <li>spillThreshold (default: 1048576): bytes of a message kept in memory while the engine reads it; larger
 * messages go through a temporary file. 4096 to 67108864.</li>
 * <li>onError (default: pass): when the message cannot be read, {@code pass} logs and lets the mail go on without
 * {@code caliop.*} attributes (matchers then do not match); {@code error} throws, and James sends the mail to its
 * {@code error} processor.</li>
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
  static final Set<String> PARAMETERS = Set.of("applyHeaders", "spillThreshold", "onError", "policyFile",
      "policyClass");

  private Supplier<Policy> policy;
  private MailJudge judge;
  private boolean applyHeaders;
  private boolean failOnError;

  public CaliopScore() {
    this(null);
  }

  CaliopScore(Supplier<Policy> policy) {
    this.policy = policy;
  }

  @Override
  public void init() throws MessagingException {
    checkInitParameters(PARAMETERS);
    InitParameters params = InitParameters.of(getMailetName(), this::getInitParameter);
    applyHeaders = params.bool("applyHeaders", true);
    int threshold = params.integer("spillThreshold", MessageSpill.DEFAULT_THRESHOLD, 4096, 64 * 1024 * 1024);
    String onError = params.string("onError").orElse("pass");
    if (!onError.equals("pass") && !onError.equals("error")) {
      throw params.invalid("onError", onError, "pass or error");
    }
    failOnError = onError.equals("error");
    if (policy == null) {
      policy = policy(params);
    }
    judge = new MailJudge(new Engine(policy), threshold);
    spillDirectory(getMailetName());
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
    TrustSettings trust = policy.get().trust();
    Verdict verdict;
    try {
      verdict = judge.judge(mail);
    } catch (IOException | MessagingException | RuntimeException e) {
      unjudged(mail, trust, "unreadable_message", e.toString(), e);
      return;
    }
    if (ScanDiagnostic.FOREIGN_FIELDS_OVER_BOUND.in(verdict.facts().diagnostics())) {
      // More forged fields than the engine counts: not passed as judged (the on-error path), stripped all the same
      unjudged(mail, trust, "limit", "more header fields only our servers may write than the engine counts", null);
      return;
    }
    if (applyHeaders) {
      // No saveChanges(): James's message wrapper tracks header changes itself, and javax.mail's would renew the
      // Message-ID of a plain MimeMessage. Foreign fields go by name in the message James delivers, besides the
      // ones the engine counted.
      HeaderEditor.apply(mail.getMessage(), verdict.headerEdits(), trust::isForeignHeaderName);
    }
    CaliopAttributes.store(mail, verdict);
    LOGGER.info(MailJudge.logLine(mail, verdict));
  }

  /**
   * Unjudged, but never with a forged Caliop-* field: removed by name in the message James holds, whatever the
   * engine could not read or count; then {@code onError}.
   */
  private void unjudged(Mail mail, TrustSettings trust, String why, String detail, Exception cause)
      throws MessagingException {
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
