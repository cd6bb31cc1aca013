package org.caliop.policy;

import java.util.Locale;
import java.util.regex.Pattern;
import org.caliop.address.EmailAddress;
import org.caliop.auth.AuthMethod;
import org.caliop.facts.Direction;

/**
 * Checks of single values written in a policy file, each returning null when the value is fine or what is wrong
 * with it (the caller says where), and the forms entry keys are compared in.
 */
final class ValueChecks {
  private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}_]([\\p{L}\\p{N}_-]{0,61}[\\p{L}\\p{N}_])?");

  private ValueChecks() {
  }

  /** A domain key as addresses compare it ({@link EmailAddress#canonicalDomain}), a leading dot kept. */
  static String normalizeDomainKey(String name) {
    String d = name.trim();
    return d.startsWith(".") && d.length() > 1 ? "." + EmailAddress.canonicalDomain(d.substring(1))
        : EmailAddress.canonicalDomain(d);
  }

  /** An address key in its {@link EmailAddress} form ({@code "ceo"@Example.ORG.} is {@code ceo@example.org}). */
  static String normalizeAddressKey(String text) {
    return EmailAddress.parse(text).map(EmailAddress::toString).orElse(text.trim());
  }

  /** Null when {@code d} is a domain name ({@code .parent} too when {@code leadingDot}). */
  static String checkDomain(String d, boolean leadingDot) {
    if (d.startsWith("*.")) {
      return leadingDot ? "wildcards are not written with '*': write '" + d.substring(1) + "' (a leading dot matches"
          + " every subdomain, as in Postfix tables; add '" + d.substring(2) + "' too for the domain itself)"
          : "wildcards are not written with '*': name the host or domain itself ('" + d.substring(2) + "')";
    }
    String name = leadingDot && d.startsWith(".") ? d.substring(1) : d;
    if (name.isEmpty() || name.length() > 253) {
      return "a domain name has 1 to 253 characters";
    }
    if (name.indexOf('@') >= 0) {
      return "a domain, not an address (put addresses under users:)";
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return label.isEmpty() ? "empty label (two dots, or a dot at an end)" : "bad label '" + label + "'";
      }
    }
    return null;
  }

  /** Null when {@code d}, lower-cased, is a host or domain name (no leading dot). */
  static String checkHostName(String d) {
    return checkDomain(d.toLowerCase(Locale.ROOT), false);
  }

  /** Null when {@code a} is {@code local@domain}. */
  static String checkAddress(String a) {
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1) {
      return "expected local@domain";
    }
    for (int i = 0; i < at; i++) {
      char c = a.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == '@' && i < at) {
        return "bad character in the local part";
      }
    }
    return checkDomain(a.substring(at + 1), false);
  }

  static String checkHeaderName(String s) {
    if (s.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        return "is not a header field name (printable ASCII without ':' or spaces)";
      }
    }
    return null;
  }

  static String checkMethod(String s) {
    return AuthMethod.fromToken(s.toLowerCase(Locale.ROOT)) == null
        ? "is not a method caliop reads (dkim, spf, dmarc, arc)" : null;
  }

  static String checkToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) <= ' ' || s.charAt(i) == ';') {
        return "an authserv-id has no spaces or ';'";
      }
    }
    return s.isEmpty() ? "is empty" : null;
  }

  /** A reply text goes into SMTP replies and quarantine reasons: printable ASCII on one line. */
  static String checkAscii(String s) {
    String bad = checkText(s);
    if (bad == null) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0x7e) {
          return "must be printable ASCII: SMTP replies are ASCII (found '" + s.charAt(i) + "')";
        }
      }
    }
    return bad;
  }

  static String checkText(String s) {
    if (s.length() > 400) {
      return "is longer than 400 characters";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < ' ' || c == 0x7f) {
        return "must be one line of text without control characters";
      }
    }
    return null;
  }

  /** The constant written as {@code text} (any case, {@code -} for {@code _}), or null. */
  static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(t)) {
        return e;
      }
    }
    return null;
  }

  /** The direction a block named {@code name} is for, or null when it is not a direction block. */
  static Direction direction(String name) {
    for (Direction d : Direction.values()) {
      if (d.token().equals(name)) {
        return d;
      }
    }
    return null;
  }
}
