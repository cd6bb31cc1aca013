package org.caliop.james.smtp;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import javax.mail.MessagingException;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.caliop.engine.Disposition;
import org.caliop.engine.EncryptorSource;
import org.caliop.engine.Verdict;
import org.caliop.james.HeldMessage;
import org.caliop.james.JudgedAtSmtp;
import org.caliop.james.Judgement;
import org.caliop.james.MailJudge;
import org.caliop.james.MessageSpill;
import org.caliop.james.PolicySource;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine at the end of DATA and refuses the message in the SMTP dialogue when its disposition is
 * {@code reject} (5xx) or {@code tempfail} (4xx), with the reply the engine built: the client learns it at once, and
 * no bounce goes to a possibly forged sender. That includes an {@code encrypt} rule whose {@code on_missing_key} or
 * {@code on_failure} refuses: the engine carries encryption out to know (and drops the encrypted body; CaliopScore
 * encrypts again in the mailet container). Every other disposition lets the message in; the mailet container
 * (CaliopScore, CaliopApplyPolicy) does the rest. It records the session's TLS facts like {@link CaliopTlsHook}.
 *
 * <pre><code>
 * &lt;handlerchain&gt;
 *   &lt;handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/&gt;
 *   &lt;handler class="org.caliop.james.smtp.CaliopTlsHook"/&gt;
 *   &lt;handler class="org.caliop.james.smtp.CaliopSmtpPolicyHook"&gt;
 *     &lt;onError&gt;tempfail&lt;/onError&gt;
 *     &lt;spillThreshold&gt;1048576&lt;/spillThreshold&gt;
 *     &lt;policyFile&gt;/root/conf/caliop-policy.yaml&lt;/policyFile&gt;
 *   &lt;/handler&gt;
 * &lt;/handlerchain&gt;
 * </code></pre>
 *
 * <ul>
 * <li>onError (default: tempfail): when the message cannot be read or judged, {@code tempfail} answers
 * {@code 451 4.3.0} so the client retries; {@code accept} lets it in (the mailets judge it again, and with their
 * default {@code onError} send what they cannot judge to the error processor).</li>
 * <li>spillThreshold (default: 1048576): bytes kept in memory while the engine reads the message.</li>
 * <li>policyFile (default: none, the built-in policy, which never refuses): as for {@code CaliopScore}; name the
 * same file there so the SMTP dialogue and the mailets decide alike.</li>
 * <li>policyClass (default: none): as for {@code CaliopScore}.</li>
 * </ul>
 * Any other parameter is a configuration error. Replies are the engine's (one line of ASCII; defaults when the rule
 * gives none: 550 5.7.1 for reject, 451 4.7.1 for tempfail, in {@code org.caliop.policy.SmtpReply}).
 */
public class CaliopSmtpPolicyHook implements JamesMessageHook {
  private static final Logger LOGGER = LoggerFactory.getLogger(CaliopSmtpPolicyHook.class);

  private Supplier<Policy> policy;
  private MailJudge judge;
  private boolean tempfailOnError;
  private boolean policyFixed;

  public CaliopSmtpPolicyHook() {
    this(PolicySource.builtIn());
    this.policyFixed = false;
  }

  CaliopSmtpPolicyHook(Supplier<Policy> policy) {
    this.policy = policy;
    this.policyFixed = true;
    this.judge = judge(policy, MessageSpill.DEFAULT_THRESHOLD);
  }

  private static MailJudge judge(Supplier<Policy> policy, int threshold) {
    try {
      return new MailJudge(policy, threshold, false, EncryptorSource.keys(Clock.systemUTC()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("CaliopSmtpPolicyHook: cannot use the spill directory", e);
    }
  }

  @Override
  public void init(Configuration config) throws ConfigurationException {
    HookParameters.check(config, "CaliopSmtpPolicyHook", "onError", "spillThreshold", "policyFile",
        "policyClass");
    Optional<String> policyFile = optional(config, "policyFile");
    Optional<String> policyClass = optional(config, "policyClass");
    if (!policyFixed) {
      try {
        policy = PolicySource.of(policyFile, policyClass);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("CaliopSmtpPolicyHook: invalid "
            + (policyFile.isPresent() ? "policyFile '" + policyFile.get() : "policyClass '" + policyClass.orElse(""))
            + "': " + e.getMessage());
      }
    }
    String onError = config.getString("onError", "tempfail").trim();
    if (!onError.equals("accept") && !onError.equals("tempfail")) {
      throw new ConfigurationException(
          "CaliopSmtpPolicyHook: invalid onError '" + onError + "': expected accept or tempfail");
    }
    tempfailOnError = onError.equals("tempfail");
    String threshold = config.getString("spillThreshold", String.valueOf(MessageSpill.DEFAULT_THRESHOLD)).trim();
    int bytes;
    try {
      bytes = Integer.parseInt(threshold);
    } catch (NumberFormatException e) {
      bytes = -1;
    }
    if (bytes < 4096 || bytes > 64 * 1024 * 1024) {
      throw new ConfigurationException("CaliopSmtpPolicyHook: invalid spillThreshold '" + threshold
          + "': expected an integer from 4096 to 67108864");
    }
    try {
      // made now, deleting what a killed James left there (docs/james.md)
      MessageSpill.directory();
    } catch (IOException e) {
      throw new ConfigurationException("CaliopSmtpPolicyHook: cannot use the spill directory: " + e.getMessage());
    }
    judge = judge(policy, bytes);
  }

  private static Optional<String> optional(Configuration config, String key) {
    String value = config.getString(key, "").trim();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  @Override
  public HookResult onMessage(SMTPSession session, Mail mail) {
    SessionFacts.record(session, mail);
    try (HeldMessage message = judge.message(mail)) {
      Judgement judgement = judge.assess(mail, message);
      try (Verdict verdict = judge.conclude(judgement, message)) {
        LOGGER.info("{} stage=smtp", MailJudge.logLine(mail, verdict));
        HookResult result = result(verdict.disposition());
        if (result == HookResult.DECLINED) {
          // Let in: CaliopScore uses this judgement instead of judging again, if nothing changed meanwhile.
          JudgedAtSmtp.shared().hand(mail, judgement);
        }
        return result;
      }
    } catch (IOException | MessagingException | RuntimeException e) {
      LOGGER.warn("{}: caliop error=unreadable_message on_error={} detail={}", mail.getName(),
          tempfailOnError ? "tempfail" : "accept", e.toString());
      return tempfailOnError ? reply(HookReturnCode.denySoft(), SmtpReply.INTERNAL_TEMPFAIL) : HookResult.DECLINED;
    }
  }

  /** Reject and tempfail are answered now; everything else is the mailet container's. */
  static HookResult result(Disposition disposition) {
    if (disposition.kind() == Disposition.Kind.REJECT) {
      return reply(HookReturnCode.deny(), disposition.reply().orElseThrow());
    }
    if (disposition.kind() == Disposition.Kind.TEMPFAIL) {
      return reply(HookReturnCode.denySoft(), disposition.reply().orElseThrow());
    }
    return HookResult.DECLINED;
  }

  private static HookResult reply(HookReturnCode code, SmtpReply reply) {
    return HookResult.builder().hookReturnCode(code).smtpReturnCode(String.valueOf(reply.code()))
        .smtpDescription(reply.enhanced() + " " + reply.text()).build();
  }
}
