package org.caliop.milter;

import org.caliop.facts.ConnectionFacts;
import org.caliop.milter.message.MessageInProgress;

/** The one INFO line per message, Postfix style: queue id first, then key=value pairs. Never any content. */
final class LogLine {
  private LogLine() {
  }

  static String of(ConnectionFacts facts, MessageInProgress m, Judge.Judgement j, long evalNanos) {
    StringBuilder sb = new StringBuilder(200);
    sb.append(m.queueId() != null ? m.queueId() : facts.queueId().orElse("NOQUEUE")).append(": caliop:");
    sb.append(" score=").append(j.verdict().score().value());
    sb.append(" grade=").append(j.verdict().score().grade());
    sb.append(" action=").append(j.disposition().token());
    j.verdict().decision().rule().ifPresent(r -> sb.append(" rule=").append(r));
    sb.append(" tls=").append(facts.tlsVersion().map(v -> v.canonical()).orElse(
        facts.tlsVersionRaw().orElse("none")));
    facts.authUser().ifPresent(u -> sb.append(" sasl_username=").append(u));
    sb.append(" client=").append(facts.clientName().orElse("unknown")).append('[')
        .append(facts.clientAddress().map(Object::toString).orElse("")).append(']');
    sb.append(" from=<").append(MessageInProgress.bare(m.rawSender())).append('>');
    sb.append(" nrcpt=").append(m.rawRecipients().size());
    sb.append(" size=").append(m.raw().total());
    // By hand: String.format of a double was a quarter of a worker's CPU per message in a profile.
    long tenths = (evalNanos + 50_000) / 100_000;
    sb.append(" ms=").append(tenths / 10).append('.').append(tenths % 10);
    if (m.raw().truncated()) {
      sb.append(" truncated=").append(m.raw().kept());
    }
    if (!j.disposition().detail().isEmpty()) {
      sb.append(' ').append(j.disposition().detail());
    }
    if (m.intakeNote() != null) {
      sb.append(' ').append(m.intakeNote());
    }
    return sb.toString();
  }
}
