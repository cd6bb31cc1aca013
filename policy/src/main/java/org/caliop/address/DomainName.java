package org.caliop.address;

import java.net.IDN;
import java.util.Locale;

/**
 * Domain names in the one form caliop compares: lower case, no trailing dot, internationalised labels as A-labels
 * ({@link IDN#toASCII}, so {@code bücher.example} is {@code xn--bcher-kva.example}). Addresses, authentication
 * results and policy keys all take their domains through here.
 */
public final class DomainName {
  /** RFC 1035: a name longer than this is not a domain, whatever it says. */
  private static final int MAX_NAME = 253;

  private DomainName() {
  }

  /** The domain in canonical form, or null when {@code name} is null, empty, an address literal or no domain name. */
  public static String canonical(String name) {
    if (name == null) {
      return null;
    }
    String n = name.trim();
    if (n.startsWith("[") || n.length() > MAX_NAME * 4) {
      return null;
    }
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty()) {
      return null;
    }
    try {
      n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return null;
    }
    n = n.toLowerCase(Locale.ROOT);
    return n.isEmpty() || n.length() > MAX_NAME ? null : n;
  }
}
