package org.caliop.james;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.caliop.engine.Engine;
import org.caliop.engine.Verdict;

/** Runs the engine on a James mail: facts from the mail, message streamed through a bounded spill. */
public final class MailJudge {
  private final Engine engine;
  private final int spillThreshold;

  public MailJudge(Engine engine, int spillThreshold) {
    this.engine = Objects.requireNonNull(engine);
    this.spillThreshold = spillThreshold;
  }

  public Verdict judge(Mail mail) throws IOException, MessagingException {
    try (MessageSpill spill = MessageSpill.of(mail.getMessage(), spillThreshold);
        InputStream in = spill.input()) {
      return engine.evaluate(MailFacts.connection(mail), MailFacts.envelope(mail), in);
    }
  }

  /** One INFO line per decision, Postfix style: queue id first, then key=value. */
  public static String logLine(Mail mail, Verdict verdict) {
    StringBuilder s = new StringBuilder(mail.getName()).append(": caliop score=").append(verdict.score().value())
        .append(" grade=").append(verdict.score().grade()).append(" action=")
        .append(verdict.decision().action().token());
    verdict.decision().rule().ifPresent(r -> s.append(" rule=").append(r));
    if (verdict.decision().dryRun()) {
      s.append(" dry_run=").append(verdict.decision().policyAction().token());
    }
    return s.toString();
  }
}
