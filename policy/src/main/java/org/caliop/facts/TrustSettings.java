package org.caliop.facts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.caliop.geo.CountryDatabase;

/**
 * What the admin told us is ours: the networks and hosts whose {@code Received:} headers we believe, the
 * authserv-ids whose {@code Authentication-Results} we believe, our local domains, and the header fields that must
 * not arrive from outside.
 */
public final class TrustSettings {
  /** What to do with our header fields (and the configured ones) when they arrive from outside. */
  public enum ForeignHeaderAction { STRIP, RENAME }

  private static final TrustSettings DEFAULTS = new TrustSettings(List.of("127.0.0.0/8", "::1/128"), Set.of(),
      Set.of(), Set.of(), List.of("Caliop-"), Set.of(), ForeignHeaderAction.STRIP, "X-Untrusted-");

  private final List<String> internalNetworks;
  private final Set<String> internalHosts;
  private final Set<String> trustedAuthservIds;
  private final Set<String> localDomains;
  private final List<String> stripHeaderPrefixes;
  private final Set<String> stripHeaderNames;
  private final ForeignHeaderAction foreignHeaderAction;
  private final String renamePrefix;
  private final CountryDatabase countryDatabase;

  private TrustSettings(List<String> internalNetworks, Set<String> internalHosts, Set<String> trustedAuthservIds,
      Set<String> localDomains, List<String> stripHeaderPrefixes, Set<String> stripHeaderNames,
      ForeignHeaderAction foreignHeaderAction, String renamePrefix) {
    this.internalNetworks = List.copyOf(internalNetworks);
    this.internalHosts = lower(internalHosts);
    this.trustedAuthservIds = lower(trustedAuthservIds);
    this.localDomains = lower(localDomains);
    this.stripHeaderPrefixes = List.copyOf(stripHeaderPrefixes);
    this.stripHeaderNames = lower(stripHeaderNames);
    this.foreignHeaderAction = foreignHeaderAction;
    this.renamePrefix = renamePrefix;
    this.countryDatabase = null;
  }

  private TrustSettings(TrustSettings t, CountryDatabase countryDatabase) {
    this.internalNetworks = t.internalNetworks;
    this.internalHosts = t.internalHosts;
    this.trustedAuthservIds = t.trustedAuthservIds;
    this.localDomains = t.localDomains;
    this.stripHeaderPrefixes = t.stripHeaderPrefixes;
    this.stripHeaderNames = t.stripHeaderNames;
    this.foreignHeaderAction = t.foreignHeaderAction;
    this.renamePrefix = t.renamePrefix;
    this.countryDatabase = countryDatabase;
  }

  /** These settings with an IP-to-country database (policy {@code trust.geoip_database}), or none when null. */
  public TrustSettings withCountryDatabase(CountryDatabase db) {
    return new TrustSettings(this, db);
  }

  /** The IP-to-country database hops are looked up in; empty when none is configured. */
  public Optional<CountryDatabase> countryDatabase() {
    return Optional.ofNullable(countryDatabase);
  }

  /** Loopback only, nothing else trusted, {@code Caliop-*} stripped. */
  public static TrustSettings defaults() {
    return DEFAULTS;
  }

  public static TrustSettings of(List<String> internalNetworks, Set<String> internalHosts,
      Set<String> trustedAuthservIds, Set<String> localDomains, List<String> stripHeaderPrefixes,
      ForeignHeaderAction foreignHeaderAction, String renamePrefix) {
    return new TrustSettings(internalNetworks, internalHosts, trustedAuthservIds, localDomains, stripHeaderPrefixes,
        Set.of(), foreignHeaderAction, renamePrefix);
  }

  /** As {@link #of}, with exact header field names to strip as well as prefixes (policy {@code strip_headers}). */
  public static TrustSettings of(List<String> internalNetworks, Set<String> internalHosts,
      Set<String> trustedAuthservIds, Set<String> localDomains, List<String> stripHeaderPrefixes,
      Set<String> stripHeaderNames, ForeignHeaderAction foreignHeaderAction, String renamePrefix) {
    return new TrustSettings(internalNetworks, internalHosts, trustedAuthservIds, localDomains, stripHeaderPrefixes,
        stripHeaderNames, foreignHeaderAction, renamePrefix);
  }

  /** CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare address is a /32 or /128. */
  public List<String> internalNetworks() { return internalNetworks; }
  /** Host names (lower case) whose {@code by} we trust. */
  public Set<String> internalHosts() { return internalHosts; }
  /** authserv-ids (lower case) whose Authentication-Results we read; empty trusts none. */
  public Set<String> trustedAuthservIds() { return trustedAuthservIds; }
  /** Domains (lower case) that are ours, for direction. */
  public Set<String> localDomains() { return localDomains; }
  /** Header name prefixes (case-insensitive) that must not arrive from outside; always contains {@code Caliop-}. */
  public List<String> stripHeaderPrefixes() { return stripHeaderPrefixes; }
  /** Exact header field names (lower case) that must not arrive from outside, besides the prefixes. */
  public Set<String> stripHeaderNames() { return stripHeaderNames; }
  public ForeignHeaderAction foreignHeaderAction() { return foreignHeaderAction; }
  /** Prefix put before a renamed foreign header's name. */
  public String renamePrefix() { return renamePrefix; }

  /** Whether a header of this name must not be believed when it arrives from outside. */
  public boolean isForeignHeaderName(String name) {
    if (!stripHeaderNames.isEmpty() && stripHeaderNames.contains(name.toLowerCase(Locale.ROOT))) {
      return true;
    }
    for (String prefix : stripHeaderPrefixes) {
      if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return true;
      }
    }
    return false;
  }

  public boolean isLocalDomain(String domain) {
    return domain != null && localDomains.contains(domain.toLowerCase(Locale.ROOT));
  }

  private static Set<String> lower(Set<String> in) {
    return in.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
