package org.caliop.james;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;

/**
 * Translates what James recorded about a mail's SMTP session into the engine's first-hand facts. Every value read
 * is also noted ({@link #read}), so that a judgement says exactly which facts it was made from: read each one
 * through {@link Noted}.
 */
public final class MailFacts {
  private final ConnectionFacts connection;
  private final Envelope envelope;
  private final String inputs;

  private MailFacts(ConnectionFacts connection, Envelope envelope, String inputs) {
    this.connection = connection;
    this.envelope = envelope;
    this.inputs = inputs;
  }

  /** The facts of the mail and the values they were read from. */
  public static MailFacts read(Mail mail) {
    Noted noted = new Noted(mail);
    ConnectionFacts connection = connection(noted);
    Envelope envelope = envelope(noted);
    return new MailFacts(connection, envelope, noted.toString());
  }

  /** See {@link #connection(Mail)}. */
  public ConnectionFacts connection() {
    return connection;
  }

  public Envelope envelope() {
    return envelope;
  }

  /** Every value read, unambiguously: equal when, and only when, the same values were read. */
  public String inputs() {
    return inputs;
  }

  /**
   * The connection our James accepted, or null when James did not receive this mail over SMTP (no remote address:
   * a mail created by a mailet, or read back from a repository).
   */
  public static ConnectionFacts connection(Mail mail) {
    return connection(new Noted(mail));
  }

  public static Envelope envelope(Mail mail) {
    return envelope(new Noted(mail));
  }

  private static ConnectionFacts connection(Noted mail) {
    String address = mail.note("remote-address", mail.mail.getRemoteAddr());
    if (address == null || address.isBlank()) {
      return null;
    }
    ConnectionFacts.Builder b = ConnectionFacts.builder()
        .clientAddress(bare(address))
        .clientName(reverseName(mail.note("remote-host", mail.mail.getRemoteHost()), address))
        .queueId(mail.note("name", mail.mail.getName()));
    mail.string(Mail.SMTP_HELO).ifPresent(b::helo);
    mail.string(Mail.SMTP_AUTH_USER).ifPresent(b::authUser);
    mail.string(CaliopAttributes.TLS_PROTOCOL).ifPresent(b::tlsVersion);
    mail.string(CaliopAttributes.TLS_CIPHER).ifPresent(b::cipher);
    mail.string(CaliopAttributes.TLS_PEER_SUBJECT).ifPresent(b::certSubject);
    mail.string(CaliopAttributes.TLS_PEER_ISSUER).ifPresent(b::certIssuer);
    mail.string(CaliopAttributes.SMTP_PROTOCOL).ifPresent(b::protocol);
    mail.string(CaliopAttributes.SMTP_BY).ifPresent(b::receivedBy);
    return b.build();
  }

  private static Envelope envelope(Noted mail) {
    String sender = mail.note("sender",
        mail.mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null));
    List<String> recipients = new ArrayList<>();
    for (MailAddress recipient : mail.mail.getRecipients()) {
      recipients.add(mail.note("recipient", recipient.asString()));
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

  /** The mail, and each value read from it noted as name and value, each with its length (no separator to forge). */
  private static final class Noted {
    final Mail mail;
    private final StringBuilder read = new StringBuilder();

    Noted(Mail mail) {
      this.mail = mail;
    }

    String note(String name, String value) {
      read.append(name.length()).append(':').append(name);
      if (value == null) {
        read.append("-;");
      } else {
        read.append(value.length()).append(':').append(value).append(';');
      }
      return value;
    }

    Optional<String> string(AttributeName name) {
      Optional<String> value = CaliopAttributes.string(mail, name);
      note(name.asString(), value.orElse(null));
      return value;
    }

    @Override
    public String toString() {
      return read.toString();
    }
  }
}
