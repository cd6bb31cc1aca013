package org.caliop.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Syntax check of a CIDR block or bare address for {@code trust.internal_networks}, without name lookups.
 * TODO unify with org.caliop.hop.Network (branch received) once merged: the classifier must accept exactly what
 * this accepts.
 */
final class Cidr {
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

  private Cidr() {
  }

  /** Null when {@code s} is {@code address} or {@code address/prefix}; else what is wrong. */
  static String check(String s) {
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    boolean v6 = addr.indexOf(':') >= 0;
    if (v6) {
      if (addr.startsWith("[") && addr.endsWith("]")) {
        addr = addr.substring(1, addr.length() - 1);
      }
      if (!IPV6_CHARS.matcher(addr).matches()) {
        return "not an IPv6 address";
      }
      try {
        // Only hex digits, ':' and '.' reach here: a literal, never a DNS lookup.
        InetAddress.getByName(addr);
      } catch (UnknownHostException | IllegalArgumentException e) {
        return "not an IPv6 address";
      }
    } else {
      java.util.regex.Matcher m = IPV4.matcher(addr);
      if (!m.matches()) {
        return "not an IPv4 address (a.b.c.d) or IPv6 address";
      }
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return "IPv4 octet " + m.group(i) + " is above 255";
        }
      }
    }
    if (slash >= 0) {
      String prefix = s.substring(slash + 1);
      int max = v6 ? 128 : 32;
      if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)
          || Integer.parseInt(prefix) > max) {
        return "prefix length must be 0 to " + max;
      }
    }
    return null;
  }
}
