package org.caliop.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The DKIM, SPF, DMARC and ARC results that a trusted authserv-id (one of ours) wrote in
 * {@code Authentication-Results}. Values are the RFC 8601 result keywords in lower case ({@code pass},
 * {@code fail}, {@code none}, {@code neutral}, {@code softfail}, {@code temperror}, {@code permerror},
 * {@code policy}); absent means no trusted header said anything about that method.
 */
public final class AuthResults {
  private static final AuthResults NONE = new AuthResults(null, null, null, null);

  private final String dkim;
  private final String spf;
  private final String dmarc;
  private final String arc;

  private AuthResults(String dkim, String spf, String dmarc, String arc) {
    this.dkim = dkim;
    this.spf = spf;
    this.dmarc = dmarc;
    this.arc = arc;
  }

  public static AuthResults of(String dkim, String spf, String dmarc, String arc) {
    return new AuthResults(dkim, spf, dmarc, arc);
  }

  /** Nothing trusted was said. */
  public static AuthResults none() {
    return NONE;
  }

  public Optional<String> dkim() {
    return Optional.ofNullable(dkim);
  }

  public Optional<String> spf() {
    return Optional.ofNullable(spf);
  }

  public Optional<String> dmarc() {
    return Optional.ofNullable(dmarc);
  }

  public Optional<String> arc() {
    return Optional.ofNullable(arc);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AuthResults)) {
      return false;
    }
    AuthResults a = (AuthResults) o;
    return Objects.equals(dkim, a.dkim) && Objects.equals(spf, a.spf) && Objects.equals(dmarc, a.dmarc)
        && Objects.equals(arc, a.arc);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dkim, spf, dmarc, arc);
  }

  @Override
  public String toString() {
    return "AuthResults[dkim=" + dkim + ", spf=" + spf + ", dmarc=" + dmarc + ", arc=" + arc + "]";
  }
}
