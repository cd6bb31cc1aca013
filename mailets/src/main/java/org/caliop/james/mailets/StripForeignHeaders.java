package org.caliop.james.mailets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.TrustSettings;
import org.caliop.james.CaliopAttributes;
import org.caliop.james.HeaderEditor;
import org.caliop.james.InitParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes (or renames) header fields that only our own servers may write when they arrive from outside: every
 * {@code Caliop-*} field, plus the configured prefixes and names. Run it first in the caliop block (in
 * {@code transport}, right after {@code RecipientRewriteTable}), before any mailet or matcher that reads these
 * fields, so nobody believes a forged {@code Caliop-Privacy: score=100}.
 *
 * <p>{@code CaliopScore} strips the same fields by itself (with its verdict, and when it cannot judge a message);
 * this mailet is for pipelines that need them gone before other mailets look, or without scoring. Which names are
 * foreign is decided by the engine's {@code TrustSettings}; the fields are counted by the engine's
 * {@code ForeignFields} and removed by name, every field of the name, in the message James holds (where a bare CR
 * already ends a line), by the same code as CaliopScore's.
 *
 * <pre><code>
 * &lt;mailet match="All" class="org.caliop.james.mailets.StripForeignHeaders"&gt;
 *   &lt;prefixes&gt;X-Caliop-&lt;/prefixes&gt;
 *   &lt;headers&gt;X-Spam-Score, Authentication-Results&lt;/headers&gt;
 *   &lt;action&gt;strip&lt;/action&gt;
 *   &lt;renamePrefix&gt;X-Untrusted-&lt;/renamePrefix&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 *
 * <ul>
 * <li>prefixes (default: Caliop-): comma-separated header name prefixes, case-insensitive; {@code Caliop-} is
 * always included.</li>
 * <li>headers (default: none): comma-separated exact header names, case-insensitive.</li>
 * <li>action (default: strip): {@code strip} deletes the fields; {@code rename} keeps each value under
 * {@code renamePrefix + name}, at the top of the header section.</li>
 * <li>renamePrefix (default: X-Untrusted-): the prefix of renamed fields. Must not itself be stripped.</li>
 * </ul>
 * Any other parameter is a configuration error.
 */
public class StripForeignHeaders extends GenericMailet {
  private static final Logger LOGGER = LoggerFactory.getLogger(StripForeignHeaders.class);
  static final Set<String> PARAMETERS = Set.of("prefixes", "headers", "action", "renamePrefix");
  private static final String OURS = "Caliop-";

  private TrustSettings trust;

  @Override
  public void init() throws MessagingException {
    checkInitParameters(PARAMETERS);
    InitParameters params = InitParameters.of(getMailetName(), this::getInitParameter);
    List<String> prefixes = new ArrayList<>();
    prefixes.add(OURS);
    for (String prefix : params.list("prefixes")) {
      if (!prefix.matches("[!-9;-~]+")) {
        throw params.invalid("prefixes", prefix, "header name characters, no spaces or colons");
      }
      prefixes.add(prefix);
    }
    Set<String> exactNames = params.list("headers").stream().map(n -> n.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
    String action = params.string("action").orElse("strip");
    TrustSettings.ForeignHeaderAction foreignAction;
    if (action.equalsIgnoreCase("strip")) {
      foreignAction = TrustSettings.ForeignHeaderAction.STRIP;
    } else if (action.equalsIgnoreCase("rename")) {
      foreignAction = TrustSettings.ForeignHeaderAction.RENAME;
    } else {
      throw params.invalid("action", action, "strip or rename");
    }
    String renamePrefix = params.string("renamePrefix").orElse("X-Untrusted-");
    trust = TrustSettings.builder().stripHeaderPrefixes(prefixes).stripHeaderNames(exactNames)
        .foreignHeaderAction(foreignAction).renamePrefix(renamePrefix).build();
    if (trust.isForeignHeaderName(renamePrefix + "X")) {
      throw params.invalid("renamePrefix", renamePrefix, "a prefix that is not itself stripped");
    }
  }

  @Override
  public void service(Mail mail) throws MessagingException {
    if (CaliopAttributes.bool(mail, CaliopAttributes.SPLIT_COPY).orElse(false)) {
      return; // our own encrypted copy of a mail already judged: its Caliop-* fields are ours
    }
    MimeMessage message = mail.getMessage();
    List<HeaderEdit> edits = HeaderEditor.foreignEdits(message, trust);
    if (!edits.isEmpty()) {
      HeaderEditor.apply(message, edits, trust::isForeignHeaderName);
      LOGGER.info("{}: caliop foreign_headers={} action={}", mail.getName(),
          edits.stream().filter(e -> e.kind() == HeaderEdit.Kind.REMOVE_ALL).count(),
          trust.foreignHeaderAction().name().toLowerCase(Locale.ROOT));
    }
  }

  @Override
  public String getMailetInfo() {
    return "caliop: strip forged Caliop-* and configured header fields";
  }
}
