package org.caliop.policy;

import org.caliop.hop.Network;

/** Checks a {@code trust.internal_networks} entry with the same parser the hop classifier uses. */
final class Cidr {
  private Cidr() {
  }

  /** Null when {@code s} is {@code address} or {@code address/prefix}; else what is wrong. */
  static String check(String s) {
    try {
      Network.parse(s);
      return null;
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      int colon = m.indexOf("\": ");
      return colon >= 0 ? m.substring(colon + 3) : m;
    }
  }
}
