package org.caliop.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.caliop.address.EmailAddress;

/**
 * The SMTP envelope: reverse path and forward paths, as {@link EmailAddress} values in the form the MTA
 * canonicalised them (Postfix {@code {mail_addr}} / {@code {rcpt_addr}}, James {@code MailAddress}).
 */
public final class Envelope {
  private static final Envelope EMPTY = new Envelope(null, List.of());

  private final EmailAddress sender;
  private final List<EmailAddress> recipients;

  private Envelope(EmailAddress sender, List<EmailAddress> recipients) {
    this.sender = sender;
    this.recipients = List.copyOf(recipients);
  }

  /** @param sender null for the null reverse path ({@code MAIL FROM:<>}) or when unknown */
  public static Envelope ofAddresses(EmailAddress sender, List<EmailAddress> recipients) {
    return new Envelope(sender, Objects.requireNonNull(recipients));
  }

  /**
   * Parses address text ({@code a@b}, {@code <a@b>}, {@code "a"@b}); a sender that is no address ({@code <>},
   * empty, null) is the null reverse path, and a recipient that is no address is left out (an MTA never accepts
   * one).
   */
  public static Envelope of(String sender, List<String> recipients) {
    List<EmailAddress> parsed = new ArrayList<>(recipients.size());
    for (String r : recipients) {
      EmailAddress.parse(r).ifPresent(parsed::add);
    }
    return new Envelope(EmailAddress.parse(sender).orElse(null), parsed);
  }

  /** No envelope known (the CLI scoring stored files). */
  public static Envelope empty() {
    return EMPTY;
  }

  /** Empty for the null reverse path ({@code MAIL FROM:<>}) or when unknown. */
  public Optional<EmailAddress> sender() {
    return Optional.ofNullable(sender);
  }

  public List<EmailAddress> recipients() {
    return recipients;
  }

  /**
   * The envelope with {@code domain} for every address that has none (a local recipient as Sendmail's
   * {@code {rcpt_addr}} writes it); itself when none lacks one.
   */
  public Envelope withDomain(String domain) {
    boolean complete = sender == null || sender.hasDomain();
    for (EmailAddress r : recipients) {
      complete &= r.hasDomain();
    }
    if (complete || domain == null || domain.isEmpty()) {
      return this;
    }
    List<EmailAddress> out = new ArrayList<>(recipients.size());
    for (EmailAddress r : recipients) {
      out.add(r.withDomain(domain));
    }
    return new Envelope(sender == null ? null : sender.withDomain(domain), out);
  }

  @Override
  public String toString() {
    return "Envelope[from=" + sender + ", to=" + recipients + "]";
  }
}
