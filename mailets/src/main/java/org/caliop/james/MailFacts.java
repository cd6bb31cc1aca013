package org.caliop.james;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;

/** Translates what James recorded about a mail's SMTP session into the engine's first-hand facts. */
public final class MailFacts {
  private MailFacts() {
  }

  /**
   * The connection our James accepted, or null when James did not receive this mail over SMTP (no remote address:
   * a mail created by a mailet, or read back from a repository).
   */
  public static ConnectionFacts connection(Mail mail) {
    String address = mail.getRemoteAddr();
    if (address == null || address.isBlank()) {
      return null;
    }
    ConnectionFacts.Builder b = ConnectionFacts.builder()
        .clientAddress(address)
        .clientName(reverseName(mail.getRemoteHost(), address))
        .queueId(mail.getName());
    CaliopAttributes.string(mail, Mail.SMTP_HELO).ifPresent(b::helo);
    CaliopAttributes.string(mail, Mail.SMTP_AUTH_USER).ifPresent(b::authUser);
    CaliopAttributes.string(mail, CaliopAttributes.TLS_PROTOCOL).ifPresent(b::tlsVersion);
    CaliopAttributes.string(mail, CaliopAttributes.TLS_CIPHER).ifPresent(b::cipher);
    CaliopAttributes.string(mail, CaliopAttributes.TLS_PEER_SUBJECT).ifPresent(b::certSubject);
    CaliopAttributes.string(mail, CaliopAttributes.TLS_PEER_ISSUER).ifPresent(b::certIssuer);
    CaliopAttributes.string(mail, CaliopAttributes.SMTP_PROTOCOL).ifPresent(b::protocol);
    CaliopAttributes.string(mail, CaliopAttributes.SMTP_BY).ifPresent(b::receivedBy);
    CaliopAttributes.string(mail, CaliopAttributes.SMTP_LISTENER_ADDRESS).ifPresent(b::daemonAddress);
    CaliopAttributes.integer(mail, CaliopAttributes.SMTP_LISTENER_PORT).ifPresent(b::daemonPort);
    return b.build();
  }

  public static Envelope envelope(Mail mail) {
    String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null);
    List<String> recipients = new ArrayList<>();
    for (MailAddress recipient : mail.getRecipients()) {
      recipients.add(recipient.asString());
    }
    return Envelope.of(sender, recipients);
  }

  /** James writes the address itself as host name when reverse DNS gives nothing: that is not a name. */
  private static String reverseName(String host, String address) {
    if (host == null || host.isBlank() || host.equalsIgnoreCase(address) || host.equalsIgnoreCase(bare(address))
        || host.equalsIgnoreCase("unknown")) {
      return null;
    }
    return host;
  }

  private static String bare(String address) {
    String a = address.trim();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    return a.regionMatches(true, 0, "IPv6:", 0, 5) ? a.substring(5) : a;
  }
}
