package org.caliop.james.smtp;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

/**
 * Records the SMTP session's TLS protocol and cipher (and the client certificate's subject and issuer, when the
 * client sent one) as {@code caliop.tls.*} mail attributes, and the RFC 3848 protocol name (ESMTP, ESMTPS, ESMTPSA)
 * as {@code caliop.smtp.protocol}. James 3.8.1 tells mailets none of these; {@code CaliopScore} reads them as
 * first-hand facts. It never refuses a message.
 *
 * <p>Add it to each {@code smtpserver} of {@code smtpserver.xml}, after {@code CoreCmdHandlerLoader}:
 *
 * <pre><code>
 * &lt;handlerchain&gt;
 *   &lt;handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/&gt;
 *   &lt;handler class="org.caliop.james.smtp.CaliopTlsHook"/&gt;
 * &lt;/handlerchain&gt;
 * </code></pre>
 *
 * <p>Takes no parameters.
 */
public class CaliopTlsHook implements JamesMessageHook {
  @Override
  public void init(Configuration config) throws ConfigurationException {
    HookParameters.check(config, "CaliopTlsHook");
  }

  @Override
  public HookResult onMessage(SMTPSession session, Mail mail) {
    SessionFacts.record(session, mail);
    return HookResult.DECLINED;
  }
}
