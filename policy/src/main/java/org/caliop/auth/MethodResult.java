package org.caliop.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code method=result} of an {@code Authentication-Results} field, with the domain it speaks for: DKIM's
 * {@code header.d} (or the domain of {@code header.i}), SPF's {@code smtp.mailfrom} domain (or {@code smtp.helo}
 * when there is no MAIL FROM), DMARC's {@code header.from}; for ARC the engine puts the sealer of the newest ARC set.
 * Domains are lower case. Parsed values carry {@link Alignment#UNKNOWN} until the engine judges them.
 */
public final class MethodResult {
  private final AuthMethod method;
  private final AuthResult result;
  private final String domain;
  private final Alignment alignment;

  private MethodResult(AuthMethod method, AuthResult result, String domain, Alignment alignment) {
    this.method = Objects.requireNonNull(method);
    this.result = Objects.requireNonNull(result);
    this.domain = domain;
    this.alignment = Objects.requireNonNull(alignment);
  }

  public static MethodResult of(AuthMethod method, AuthResult result, String domain) {
    return new MethodResult(method, result, domain, Alignment.UNKNOWN);
  }

  /** This result judged against the message's author: the domain it speaks for and whether that is aligned. */
  public MethodResult judged(String newDomain, Alignment newAlignment) {
    return new MethodResult(method, result, newDomain, newAlignment);
  }

  public AuthMethod method() { return method; }
  public AuthResult result() { return result; }
  public Optional<String> domain() { return Optional.ofNullable(domain); }
  public Alignment alignment() { return alignment; }

  /** An aligned pass: the only result that earns points or meets a requirement. */
  public boolean alignedPass() {
    return result == AuthResult.PASS && alignment == Alignment.ALIGNED;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MethodResult)) {
      return false;
    }
    MethodResult m = (MethodResult) o;
    return method == m.method && result == m.result && Objects.equals(domain, m.domain) && alignment == m.alignment;
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, result, domain, alignment);
  }

  @Override
  public String toString() {
    return method.token() + "=" + result.token() + (domain == null ? "" : " (" + domain + ")")
        + (alignment == Alignment.UNKNOWN ? "" : " " + alignment.name().toLowerCase(java.util.Locale.ROOT));
  }
}
