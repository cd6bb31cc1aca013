package org.caliop.auth;

import java.util.List;
import java.util.Set;

/** Reads RFC 8601 {@code Authentication-Results} values, believing only our own authserv-ids. Never throws. */
public final class AuthResultsParser {
  private AuthResultsParser() {
  }

  /**
   * @param values unfolded header values, topmost first
   * @param trustedAuthservIds lower-case authserv-ids we trust; empty trusts none
   */
  public static AuthResults trusted(List<String> values, Set<String> trustedAuthservIds) {
    // Skeleton: replaced by the real parser.
    return AuthResults.none();
  }
}
