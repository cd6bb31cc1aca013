package org.caliop.auth;

import com.google.common.net.InternetDomainName;

/**
 * The organisational domain of a {@link org.caliop.address.DomainName canonical} domain name (RFC 7489
 * §3.2): the public suffix plus one label, from the Public Suffix List that Guava ships and refreshes with each
 * release. The private section of the list counts too, so {@code bank.github.io} and {@code evil.github.io} are
 * two organisations, not one.
 */
public final class Domains {
  private Domains() {
  }

  /**
   * The organisational domain of a canonical domain: the registrable part under its public suffix; the name itself
   * when it is a public suffix; under a suffix the list does not know ({@code .example}, {@code .internal}), the
   * list's implicit {@code *} rule: the last two labels.
   */
  public static String organisational(String domain) {
    try {
      InternetDomainName d = InternetDomainName.from(domain);
      if (d.isUnderPublicSuffix()) {
        return d.topPrivateDomain().toString();
      }
      if (d.isPublicSuffix()) {
        return domain;
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      // not a valid name for Guava (an underscore label): the default rule below still applies
    }
    int last = domain.lastIndexOf('.');
    int secondLast = last <= 0 ? -1 : domain.lastIndexOf('.', last - 1);
    return secondLast < 0 ? domain : domain.substring(secondLast + 1);
  }

  /** RFC 7489 relaxed alignment: both names are domains and share their organisational domain. */
  public static boolean relaxedAligned(String a, String b) {
    return a != null && b != null && (a.equals(b) || organisational(a).equals(organisational(b)));
  }
}
