package org.caliop.auth;

import java.util.Locale;

/** The RFC 8601 authentication methods the score and the policy read. */
public enum AuthMethod {
  DKIM, SPF, DMARC, ARC;

  private final String token = name().toLowerCase(Locale.ROOT);

  /** The method name as written in {@code Authentication-Results} and in policy files ({@code dkim}). */
  public String token() {
    return token;
  }

  /** The method of a (lower-case) method name, or null for one we do not read ({@code dkim-atps}, {@code iprev}). */
  public static AuthMethod fromToken(String lower) {
    switch (lower) {
      case "dkim":
        return DKIM;
      case "spf":
        return SPF;
      case "dmarc":
        return DMARC;
      case "arc":
        return ARC;
      default:
        return null;
    }
  }
}
