package org.caliop.auth;

import java.util.List;
import java.util.Set;

/**
 * Turns the believed fields into {@link AuthResults}: per method the topmost believed field that speaks of it, each
 * result judged against the author's domain. DKIM and SPF count for the {@code From:} domain only when their domain
 * shares its organisational domain (RFC 7489 relaxed alignment): a phish from {@code bank.example} signed by
 * {@code attacker.example} has a DKIM pass that earns nothing. DMARC speaks for {@code From:} when its
 * {@code header.from} is that domain (or names none). ARC counts only when the newest set was sealed by a listed
 * sealer. Within one field, several DKIM signatures give the aligned pass when there is one.
 */
public final class AuthJudge {
  private AuthJudge() {
  }

  /**
   * @param believed fields of ours, topmost first ({@link AuthResultsSelection#believed()})
   * @param fromDomain the author's domain ({@link FromDomain}), or null
   * @param arcSealer the newest ARC sealer ({@link ArcSeals}), or null
   * @param trustedSealers canonical ARC sealer domains the admin believes
   * @param refused fields of ours that were not believed ({@link AuthResultsSelection#refused()})
   */
  public static AuthResults judge(List<AuthResultsHeader> believed, String fromDomain, String arcSealer,
      Set<String> trustedSealers, List<AuthResultsHeader> refused) {
    AuthResults.Builder b = AuthResults.builder().refused(refused);
    boolean[] seen = new boolean[AuthMethod.values().length];
    for (AuthResultsHeader h : believed) {
      for (AuthMethod m : AuthMethod.values()) {
        if (seen[m.ordinal()]) {
          continue;
        }
        MethodResult chosen = null;
        for (MethodResult r : h.results()) {
          if (r.method() != m) {
            continue;
          }
          MethodResult j = judged(r, fromDomain, arcSealer, trustedSealers);
          if (chosen == null || better(j, chosen)) {
            chosen = j;
          }
        }
        if (chosen != null) {
          seen[m.ordinal()] = true;
          b.add(chosen);
        }
      }
    }
    return b.build();
  }

  /** An aligned pass beats anything; a pass beats a non-pass; else the first result stays. */
  private static boolean better(MethodResult candidate, MethodResult current) {
    if (current.alignedPass()) {
      return false;
    }
    if (candidate.alignedPass()) {
      return true;
    }
    return candidate.result() == AuthResult.PASS && current.result() != AuthResult.PASS;
  }

  static MethodResult judged(MethodResult r, String fromDomain, String arcSealer, Set<String> trustedSealers) {
    String domain = r.domain().orElse(null);
    switch (r.method()) {
      case DKIM:
      case SPF:
        if (domain == null || fromDomain == null) {
          return r.judged(domain, Alignment.UNKNOWN);
        }
        return r.judged(domain, Domains.relaxedAligned(domain, fromDomain) ? Alignment.ALIGNED : Alignment.UNALIGNED);
      case DMARC:
        if (fromDomain == null) {
          return r.judged(domain, Alignment.UNKNOWN);
        }
        return r.judged(domain == null ? fromDomain : domain,
            domain == null || domain.equals(fromDomain) ? Alignment.ALIGNED : Alignment.UNALIGNED);
      default:
        if (arcSealer == null) {
          return r.judged(null, Alignment.UNKNOWN);
        }
        return r.judged(arcSealer, trustedSealers.contains(arcSealer) ? Alignment.ALIGNED : Alignment.UNALIGNED);
    }
  }
}
