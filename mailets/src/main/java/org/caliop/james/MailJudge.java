package org.caliop.james;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.caliop.engine.EncryptorSource;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.policy.Policy;

/**
 * Runs the engine on a James mail: facts from the mail, the message streamed through a bounded spill (read once to
 * judge, once more to encrypt). The verdict's disposition is final; the caller maps it and closes the verdict.
 */
public final class MailJudge {
  private final Engine engine;
  private final int spillThreshold;

  public MailJudge(Engine engine, int spillThreshold) {
    this.engine = Objects.requireNonNull(engine);
    this.spillThreshold = spillThreshold;
  }

  /**
   * The engine as James runs it: it can send one copy of a mail per recipient, so {@code split_per_recipient} gives
   * one encrypted copy each; encrypted bodies spill past {@code spillThreshold} bytes into this JVM's private spill
   * directory ({@link MessageSpill#directory()}).
   */
  public static Engine engine(Supplier<Policy> policy, int spillThreshold, boolean fullOutboundHeaders,
      EncryptorSource encryptors) throws IOException {
    return Engine.builder(policy)
        .splitsCopies(true)
        .spill(spillThreshold, MessageSpill.directory())
        .fullOutboundHeaders(fullOutboundHeaders)
        .encryptors(encryptors)
        .build();
  }

  /** Judges the mail and carries the decision out; the caller closes the verdict (encrypted bodies). */
  public Verdict judge(Mail mail) throws IOException, MessagingException {
    try (MessageSpill spill = MessageSpill.of(mail.getMessage(), spillThreshold)) {
      return engine.evaluate(MailFacts.connection(mail), MailFacts.envelope(mail), new MessageSource() {
        @Override
        public InputStream open() throws IOException {
          return spill.input();
        }

        @Override
        public long size() {
          return spill.size();
        }
      });
    }
  }

  /** One INFO line per decision, Postfix style: queue id first, then key=value. */
  public static String logLine(Mail mail, Verdict verdict) {
    StringBuilder s = new StringBuilder(mail.getName()).append(": caliop score=").append(verdict.score().value())
        .append(" grade=").append(verdict.score().grade()).append(" action=")
        .append(verdict.disposition().token());
    verdict.decision().rule().ifPresent(r -> s.append(" rule=").append(r));
    if (!verdict.disposition().detail().isEmpty()) {
      s.append(' ').append(verdict.disposition().detail());
    }
    return s.toString();
  }
}
