package org.caliop.address;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A mail address in the one form caliop compares: what the MTA canonicalised ({@code {rcpt_addr}}, James's
 * {@code MailAddress}), made comparable once where it enters. Every rule lookup, direction test and key lookup
 * compares these values, never address text, so one recipient cannot escape a rule by its spelling.
 *
 * <ul>
 *   <li>A quoted local part is unquoted (RFC 5321 4.1.2: {@code "ceo"@example.org} is {@code ceo@example.org}, and
 *   {@code "c\"eo"} is {@code c"eo}); it is written back quoted only where it must be.</li>
 *   <li>The local part is compared case-insensitively (as Postfix's lookups do).</li>
 *   <li>The domain is lower case, without a trailing dot, and internationalised names are in their ASCII form
 *   (A-labels, {@link DomainName}, i.e. {@code java.net.IDN}): {@code bücher.example} and
 *   {@code xn--bcher-kva.example} are one domain. An
 *   address literal ({@code [192.0.2.1]}) is kept as written, lower case.</li>
 *   <li>An address without a domain (a local recipient, as Sendmail's {@code {rcpt_addr}} writes it) has an empty
 *   domain until {@link #withDomain} completes it.</li>
 *   <li>{@link #withoutExtension} drops an address extension as Postfix's {@code recipient_delimiter} does.</li>
 * </ul>
 * Parsing is lenient, as an MTA that already accepted the address was: only text that cannot be an address at all
 * (empty, control characters, an unterminated quote, over {@link #MAX_LENGTH}) is refused.
 */
public final class EmailAddress {
  /** Longer text is no address (RFC 5321 allows 256 octets for a path; real mail stays far below this). */
  public static final int MAX_LENGTH = 1024;

  private final String local;
  private final String domain;

  private EmailAddress(String local, String domain) {
    this.local = local;
    this.domain = domain;
  }

  /**
   * The address in {@code text}: {@code a@b}, {@code <a@b>}, {@code "a b"@c}, {@code a} (no domain), an obsolete
   * source route ({@code <@relay:a@b>}) dropped. Empty for the null reverse path {@code <>} and for what is no
   * address.
   */
  public static Optional<EmailAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (s.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1).trim();
    }
    if (s.startsWith("@")) {
      // RFC 5321 4.1.2 source route "@a,@b:user@c": obsolete, ignored by every MTA
      int colon = s.indexOf(':');
      if (colon < 0) {
        return Optional.empty();
      }
      s = s.substring(colon + 1);
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < ' ' || c == 0x7f) {
        return Optional.empty();
      }
    }
    StringBuilder local = new StringBuilder(s.length());
    int i = 0;
    boolean inQuote = false;
    // the local part ends at the first '@' outside a quoted string
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inQuote) {
        if (c == '\\' && i + 1 < s.length()) {
          local.append(s.charAt(++i));
        } else if (c == '"') {
          inQuote = false;
        } else {
          local.append(c);
        }
      } else if (c == '"') {
        inQuote = true;
      } else if (c == '@') {
        break;
      } else {
        local.append(c);
      }
    }
    if (inQuote || local.length() == 0) {
      return Optional.empty();
    }
    String domain = i < s.length() ? s.substring(i + 1) : "";
    if (i < s.length() && domain.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EmailAddress(local.toString().toLowerCase(Locale.ROOT), canonicalDomain(domain)));
  }

  /** {@link #parse}, failing loudly: for addresses a caller already checked (policy keys, tests). */
  public static EmailAddress of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not an address: '" + text + "'"));
  }

  /**
   * A domain as addresses compare it: lower case, no trailing dot, A-labels ({@link DomainName}). Text that
   * is no domain name (a label over 63 octets) is kept lower case rather than refused: it still compares as itself.
   */
  public static String canonicalDomain(String domain) {
    String d = domain.trim();
    if (d.startsWith("[")) {
      return d.toLowerCase(Locale.ROOT);
    }
    String canonical = DomainName.canonical(d);
    if (canonical != null) {
      return canonical;
    }
    // not convertible: compare the text itself
    return (d.endsWith(".") && d.length() > 1 ? d.substring(0, d.length() - 1) : d).toLowerCase(Locale.ROOT);
  }

  /** The local part, unquoted and lower case. */
  public String localPart() {
    return local;
  }

  /** The domain in A-labels, lower case; empty when the address had none. */
  public String domain() {
    return domain;
  }

  public boolean hasDomain() {
    return !domain.isEmpty();
  }

  /** This address, with {@code defaultDomain} when it has none; unchanged otherwise or when that is empty. */
  public EmailAddress withDomain(String defaultDomain) {
    if (hasDomain() || defaultDomain == null || defaultDomain.isEmpty()) {
      return this;
    }
    return new EmailAddress(local, canonicalDomain(defaultDomain));
  }

  /**
   * The address without its extension: the local part up to the first of {@code delimiters}, as Postfix's
   * {@code recipient_delimiter} splits {@code ceo+board} into {@code ceo}. Unchanged when there is no delimiter, or
   * when nothing would be left before it ({@code +ceo}).
   */
  public EmailAddress withoutExtension(String delimiters) {
    if (delimiters == null || delimiters.isEmpty()) {
      return this;
    }
    for (int i = 1; i < local.length(); i++) {
      if (delimiters.indexOf(local.charAt(i)) >= 0) {
        return new EmailAddress(local.substring(0, i), domain);
      }
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EmailAddress)) {
      return false;
    }
    EmailAddress a = (EmailAddress) o;
    return a.local.equals(local) && a.domain.equals(domain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(local, domain);
  }

  /** {@code local@domain}, the local part quoted (RFC 5321) only when not a dot-atom; no domain: the local part. */
  @Override
  public String toString() {
    String l = isDotAtom(local) ? local : quoted(local);
    return domain.isEmpty() ? l : l + "@" + domain;
  }

  private static boolean isDotAtom(String s) {
    if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean atext = c >= 0x80 || Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
      if (!atext) {
        return false;
      }
    }
    return true;
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }
}
