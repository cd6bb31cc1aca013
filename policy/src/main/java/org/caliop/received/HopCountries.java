package org.caliop.received;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.caliop.geo.CountryDatabase;
import org.caliop.hop.Hop;
import org.caliop.hop.IpAddress;

/**
 * Gives each hop with an address the country an IP-to-country database names for it. The country is as trusted as
 * the hop's address: first-hand and internal hops' countries are facts about the address, a claimed hop's country is
 * a claim (the trust label stays on the hop). Nothing here changes a hop's trust or the score.
 */
public final class HopCountries {
  private HopCountries() {
  }

  /** The hops with {@link Hop#country()} set where the database maps their {@code from} address; the same list without a database. */
  public static List<Hop> annotate(List<Hop> hops, Optional<CountryDatabase> db) {
    if (db.isEmpty() || hops.isEmpty()) {
      return hops;
    }
    CountryDatabase countries = db.get();
    String source = countries.source();
    List<Hop> out = new ArrayList<>(hops.size());
    for (Hop hop : hops) {
      Optional<String> cc = hop.fromIp().flatMap(ip -> countries.country(ip.bytes()));
      out.add(cc.isPresent() ? hop.toBuilder().country(cc.get()).countrySource(source).build() : hop);
    }
    return out;
  }

  /**
   * Whether an address is globally routed, so that a registry has a country for it: not loopback, private (RFC 1918,
   * RFC 6598 shared, IPv6 ULA), link-local or unspecified. Documentation ranges count as global here: tests use them
   * in place of public addresses, and real databases map no country there anyway.
   */
  public static boolean isGlobal(IpAddress ip) {
    byte[] b = ip.bytes();
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (b.length == 4) {
      return !(a0 == 0 || a0 == 10 || a0 == 127 || (a0 == 169 && a1 == 254) || (a0 == 172 && (a1 & 0xf0) == 16)
          || (a0 == 192 && a1 == 168) || (a0 == 100 && (a1 & 0xc0) == 64));
    }
    boolean zeroPrefix = true;
    for (int i = 0; i < 15; i++) {
      zeroPrefix &= b[i] == 0;
    }
    if (zeroPrefix) {
      return false; // :: and ::1
    }
    return !((a0 & 0xfe) == 0xfc || (a0 == 0xfe && (a1 & 0xc0) == 0x80));
  }
}
