package org.caliop.auth;

import java.util.List;
import org.caliop.address.DomainName;

/**
 * Who sealed the newest ARC set (RFC 8617): the {@code d=} of the {@code ARC-Seal} with the highest {@code i=}.
 * Read only when our verifier wrote {@code arc=pass}: then every seal of the chain was verified, and the newest
 * sealer is the intermediary that handed the message on (a mailing list, a forwarding provider) whose word ARC
 * carries. Whether that sealer is worth believing is the admin's call ({@code trust.trusted_arc_sealers}).
 */
public final class ArcSeals {
  /** RFC 8617 §4.2.1: instances run from 1 to 50. */
  private static final int MAX_INSTANCE = 50;

  private ArcSeals() {
  }

  /**
   * @param sealValues unfolded {@code ARC-Seal} values, in any order
   * @return the canonical domain of the newest seal, or null when there is none, two seals claim the newest
   *     instance with different domains, or it names no domain
   */
  public static String newestSealer(List<String> sealValues) {
    int newest = 0;
    String sealer = null;
    boolean ambiguous = false;
    for (String v : sealValues) {
      int instance = -1;
      String d = null;
      int instanceTags = 0;
      int domainTags = 0;
      for (String tag : v.split(";")) {
        int eq = tag.indexOf('=');
        if (eq < 0) {
          continue;
        }
        // Tag names are case-sensitive (RFC 6376 3.2, RFC 8617): a verifier reads d=, never D=, so "D=trusted" beside
        // the d= it checked must not name the sealer.
        String name = tag.substring(0, eq).trim();
        String value = tag.substring(eq + 1).replaceAll("\\s+", "");
        if (name.equals("i")) {
          instanceTags++;
          instance = instance(value);
        } else if (name.equals("d")) {
          domainTags++;
          d = DomainName.canonical(value);
        }
      }
      if (instanceTags > 1 || domainTags > 1) {
        return null; // a tag twice makes the seal invalid (RFC 6376 3.2); which one a verifier read is unknown
      }
      if (instance < 1) {
        continue;
      }
      if (instance > newest) {
        newest = instance;
        sealer = d;
        ambiguous = false;
      } else if (instance == newest && (d == null || !d.equals(sealer))) {
        ambiguous = true;
      }
    }
    return ambiguous ? null : sealer;
  }

  private static int instance(String v) {
    if (v.isEmpty() || v.length() > 2) {
      return -1;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return -1;
      }
    }
    int i = Integer.parseInt(v);
    return i <= MAX_INSTANCE ? i : -1;
  }
}
