package org.caliop.auth;

import java.util.Locale;

/**
 * An RFC 8601 result keyword. Keywords outside RFC 8601 (Yahoo's {@code unknown}) are {@link #OTHER}, so what
 * the score reports stays a fixed, documented set.
 */
public enum AuthResult {
  PASS, FAIL, NONE, NEUTRAL, SOFTFAIL, TEMPERROR, PERMERROR, POLICY, OTHER;

  private final String token = name().toLowerCase(Locale.ROOT);

  /** The keyword in lower case ({@code pass}); {@code other} for {@link #OTHER}. */
  public String token() {
    return token;
  }

  /** The result a keyword names, case-insensitively; {@link #OTHER} for anything else. */
  public static AuthResult of(String keyword) {
    switch (keyword.toLowerCase(Locale.ROOT)) {
      case "pass":
        return PASS;
      case "fail":
        return FAIL;
      case "none":
        return NONE;
      case "neutral":
        return NEUTRAL;
      case "softfail":
        return SOFTFAIL;
      case "temperror":
        return TEMPERROR;
      case "permerror":
        return PERMERROR;
      case "policy":
        return POLICY;
      default:
        return OTHER;
    }
  }
}
