package org.caliop.hop;

import java.util.Locale;
import java.util.Optional;

/**
 * The protocol a hop names ({@code with} in {@code Received:}, RFC 3848 and the IANA "Mail Transmission Types"
 * registry, plus the web and mailbox protocols real headers carry). The one place that answers whether a protocol
 * says TLS or says the client authenticated: the parser, the hop classifier and the score all ask it.
 */
public enum Protocol {
  SMTP(Family.SMTP, false, false),
  ESMTP(Family.SMTP, false, false),
  ESMTPA(Family.SMTP, false, true),
  ESMTPS(Family.SMTP, true, false),
  ESMTPSA(Family.SMTP, true, true),
  LMTP(Family.SMTP, false, false),
  LMTPA(Family.SMTP, false, true),
  LMTPS(Family.SMTP, true, false),
  LMTPSA(Family.SMTP, true, true),
  UTF8SMTP(Family.SMTP, false, false),
  UTF8SMTPA(Family.SMTP, false, true),
  UTF8SMTPS(Family.SMTP, true, false),
  UTF8SMTPSA(Family.SMTP, true, true),
  UTF8LMTP(Family.SMTP, false, false),
  UTF8LMTPA(Family.SMTP, false, true),
  UTF8LMTPS(Family.SMTP, true, false),
  UTF8LMTPSA(Family.SMTP, true, true),
  /** SMTP over implicit TLS (Gmail writes it). */
  SMTPS(Family.SMTP, true, false),
  HTTP(Family.HTTP, false, false),
  HTTPS(Family.HTTP, true, false),
  IMAP(Family.OTHER, false, false),
  IMAPS(Family.OTHER, true, false),
  POP3(Family.OTHER, false, false),
  POP3S(Family.OTHER, true, false),
  /** Exchange's internal transport: says nothing about TLS either way. */
  MAPI(Family.OTHER, false, false),
  /** A local submission on the writer's own host. */
  LOCAL(Family.OTHER, false, false);

  /** Whether a protocol of the family names TLS whenever it is used: then its absence means clear text. */
  private enum Family { SMTP, HTTP, OTHER }

  private final Family family;
  private final boolean tls;
  private final boolean auth;

  Protocol(Family family, boolean tls, boolean auth) {
    this.family = family;
    this.tls = tls;
    this.auth = auth;
  }

  /** The protocol of a canonical name ({@code ESMTPSA}, case ignored); empty for anything else, never a guess. */
  public static Optional<Protocol> parse(String name) {
    if (name == null || name.isEmpty() || name.length() > 10) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The name says TLS ({@code ESMTPS}, {@code ESMTPSA}, {@code LMTPS}, {@code SMTPS}, {@code HTTPS} ...). */
  public boolean saysTls() {
    return tls;
  }

  /** The name says the client authenticated (RFC 3848's {@code A}: {@code ESMTPA}, {@code ESMTPSA} ...). */
  public boolean saysAuthenticated() {
    return auth;
  }

  /**
   * The name would say TLS if TLS had been used, and does not: the SMTP family and HTTP in clear. {@code MAPI},
   * {@code LOCAL} and the mailbox protocols say nothing either way.
   */
  public boolean saysClear() {
    return !tls && family != Family.OTHER;
  }

  /** The protocol with TLS and authentication as our own MTA saw them: {@code ESMTP}, {@code ESMTPS}, ... */
  public static Protocol esmtp(boolean tls, boolean authenticated) {
    return tls ? (authenticated ? ESMTPSA : ESMTPS) : (authenticated ? ESMTPA : ESMTP);
  }
}
