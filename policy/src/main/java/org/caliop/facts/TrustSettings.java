package org.caliop.facts;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.caliop.address.DomainName;
import org.caliop.address.EmailAddress;
import org.caliop.auth.AuthMethod;
import org.caliop.geo.CountryDatabase;

/**
 * What the admin told us is ours: the networks of our own clients (direction), the relays and hosts whose
 * {@code Received:} headers we believe, the authserv-ids whose {@code Authentication-Results} we believe, our local
 * domains and how our addresses carry extensions, and the header fields that must not arrive from outside.
 */
public final class TrustSettings {
  /** What to do with our header fields (and the configured ones) when they arrive from outside. */
  public enum ForeignHeaderAction { STRIP, RENAME }

  private static final TrustSettings DEFAULTS = builder().build();

  private final List<String> internalNetworks;
  private final Set<String> internalHosts;
  private final Set<String> trustedAuthservIds;
  private final Set<String> localDomains;
  private final List<String> stripHeaderPrefixes;
  private final Set<String> stripHeaderNames;
  private final ForeignHeaderAction foreignHeaderAction;
  private final String renamePrefix;
  private final List<TrustedRelay> trustedRelays;
  private final String recipientDelimiter;
  private final CountryDatabase countryDatabase;
  private final Set<AuthMethod> authservUpstream;
  private final Set<String> trustedArcSealers;
  private final List<X509Certificate> smimeTrustAnchors;

  private TrustSettings(Builder b) {
    this.internalNetworks = List.copyOf(b.internalNetworks);
    this.internalHosts = lower(b.internalHosts);
    this.trustedAuthservIds = lower(b.trustedAuthservIds);
    Set<String> domains = new LinkedHashSet<>();
    for (String d : b.localDomains) {
      domains.add(EmailAddress.canonicalDomain(d));
    }
    this.localDomains = Collections.unmodifiableSet(domains);
    this.stripHeaderPrefixes = List.copyOf(b.stripHeaderPrefixes);
    this.stripHeaderNames = lower(b.stripHeaderNames);
    this.foreignHeaderAction = b.foreignHeaderAction;
    this.renamePrefix = b.renamePrefix;
    this.trustedRelays = List.copyOf(b.trustedRelays);
    this.recipientDelimiter = b.recipientDelimiter;
    this.countryDatabase = b.countryDatabase;
    this.authservUpstream = b.authservUpstream.isEmpty() ? Set.of()
        : java.util.Collections.unmodifiableSet(EnumSet.copyOf(b.authservUpstream));
    this.trustedArcSealers = b.trustedArcSealers.stream().map(DomainName::canonical).filter(Objects::nonNull)
        .collect(Collectors.toUnmodifiableSet());
    this.smimeTrustAnchors = List.copyOf(b.smimeTrustAnchors);
  }

  /** Loopback only, nothing else trusted, {@code Caliop-*} stripped. */
  public static TrustSettings defaults() {
    return DEFAULTS;
  }

  /** Starts from the defaults ({@link #defaults()}); each setter replaces one setting. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder().internalNetworks(internalNetworks).internalHosts(internalHosts)
        .trustedAuthservIds(trustedAuthservIds).localDomains(localDomains).stripHeaderPrefixes(stripHeaderPrefixes)
        .stripHeaderNames(stripHeaderNames).foreignHeaderAction(foreignHeaderAction).renamePrefix(renamePrefix)
        .trustedRelays(trustedRelays).recipientDelimiter(recipientDelimiter).countryDatabase(countryDatabase)
        .authservUpstream(authservUpstream).trustedArcSealers(trustedArcSealers).smimeTrustAnchors(smimeTrustAnchors);
  }

  /**
   * CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare address is a /32 or /128. Clients here are ours
   * for direction (their mail is outbound or internal); it does not make what they wrote believed: that takes a
   * {@link #trustedRelays() trusted relay}.
   */
  public List<String> internalNetworks() { return internalNetworks; }
  /** The relays whose {@code Received:} lines we believe; empty: only our own MTA's first-hand facts count. */
  public List<TrustedRelay> trustedRelays() { return trustedRelays; }
  /**
   * Characters that separate an address extension, as Postfix's {@code recipient_delimiter}: with {@code +},
   * {@code ceo+board@example.org} is matched by a rule for {@code ceo@example.org}. Empty: none.
   */
  public String recipientDelimiter() { return recipientDelimiter; }
  /** Host names (lower case) whose {@code by} we trust. */
  public Set<String> internalHosts() { return internalHosts; }
  /** authserv-ids (lower case) whose Authentication-Results we read; empty trusts none. */
  public Set<String> trustedAuthservIds() { return trustedAuthservIds; }
  /** Domains (lower case) that are ours, for direction. */
  /** Our domains in {@link EmailAddress#canonicalDomain canonical form} (A-labels, lower case), in the order given. */
  public Set<String> localDomains() { return localDomains; }

  /** The first local domain: what completes an address written without one; empty when none is configured. */
  public String defaultDomain() {
    return localDomains.isEmpty() ? "" : localDomains.iterator().next();
  }
  /** Header name prefixes (case-insensitive) that must not arrive from outside; always contains {@code Caliop-}. */
  public List<String> stripHeaderPrefixes() { return stripHeaderPrefixes; }
  /** Exact header field names (lower case) that must not arrive from outside, besides the prefixes. */
  public Set<String> stripHeaderNames() { return stripHeaderNames; }
  public ForeignHeaderAction foreignHeaderAction() { return foreignHeaderAction; }
  /** Prefix put before a renamed foreign header's name. */
  public String renamePrefix() { return renamePrefix; }
  /** The IP-to-country database hops are looked up in (policy {@code trust.geoip_database}); empty when none. */
  public Optional<CountryDatabase> countryDatabase() { return Optional.ofNullable(countryDatabase); }
  /**
   * Methods whose {@code Authentication-Results} (under one of {@link #trustedAuthservIds()}) a verifier running in
   * front of caliop writes after removing every forged field of ours that speaks of them (policy
   * {@code trust.authserv_upstream}). Only for these are the fields caliop sees at the top of what the client sent
   * believed; empty (the default) believes none of them and takes them all out.
   */
  public Set<AuthMethod> authservUpstream() { return authservUpstream; }
  /** ARC sealers (canonical domains) whose seal makes an {@code arc=pass} count ({@code trust.trusted_arc_sealers}). */
  public Set<String> trustedArcSealers() { return trustedArcSealers; }
  /**
   * The certificates of {@code trust.smime_trust_store}: an S/MIME signer's chain must end in one of them for the
   * signature to count. Empty (the default): no S/MIME signature is verified.
   */
  public List<X509Certificate> smimeTrustAnchors() { return smimeTrustAnchors; }

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
    return domain != null && !domain.isEmpty() && localDomains.contains(EmailAddress.canonicalDomain(domain));
  }

  /** Collects settings; every one has the default of {@link #defaults()} until set. */
  public static final class Builder {
    private List<String> internalNetworks = List.of("127.0.0.0/8", "::1/128");
    private Set<String> internalHosts = Set.of();
    private Set<String> trustedAuthservIds = Set.of();
    private Set<String> localDomains = Set.of();
    private List<String> stripHeaderPrefixes = List.of("Caliop-");
    private Set<String> stripHeaderNames = Set.of();
    private ForeignHeaderAction foreignHeaderAction = ForeignHeaderAction.STRIP;
    private String renamePrefix = "X-Untrusted-";
    private List<TrustedRelay> trustedRelays = List.of();
    private String recipientDelimiter = "";
    private CountryDatabase countryDatabase;
    private Set<AuthMethod> authservUpstream = Set.of();
    private Set<String> trustedArcSealers = Set.of();
    private List<X509Certificate> smimeTrustAnchors = List.of();

    private Builder() {
    }

    public Builder internalNetworks(List<String> v) { internalNetworks = List.copyOf(v); return this; }
    public Builder internalHosts(Set<String> v) { internalHosts = Set.copyOf(v); return this; }
    public Builder trustedAuthservIds(Set<String> v) { trustedAuthservIds = Set.copyOf(v); return this; }
    /** Iteration order kept: the first is the {@link TrustSettings#defaultDomain() default domain}. */
    public Builder localDomains(Set<String> v) { localDomains = new LinkedHashSet<>(v); return this; }
    public Builder stripHeaderPrefixes(List<String> v) { stripHeaderPrefixes = List.copyOf(v); return this; }
    public Builder stripHeaderNames(Set<String> v) { stripHeaderNames = Set.copyOf(v); return this; }
    public Builder foreignHeaderAction(ForeignHeaderAction v) {
      foreignHeaderAction = Objects.requireNonNull(v);
      return this;
    }

    public Builder renamePrefix(String v) { renamePrefix = Objects.requireNonNull(v); return this; }
    public Builder trustedRelays(List<TrustedRelay> v) { trustedRelays = List.copyOf(v); return this; }
    public Builder recipientDelimiter(String v) { recipientDelimiter = Objects.requireNonNull(v); return this; }
    /** An IP-to-country database, or null for none. */
    public Builder countryDatabase(CountryDatabase v) { countryDatabase = v; return this; }
    public Builder authservUpstream(Set<AuthMethod> v) { authservUpstream = Set.copyOf(v); return this; }
    public Builder trustedArcSealers(Set<String> v) { trustedArcSealers = Set.copyOf(v); return this; }
    /** The S/MIME trust anchors ({@code trust.smime_trust_store}); empty for none. */
    public Builder smimeTrustAnchors(List<X509Certificate> v) { smimeTrustAnchors = List.copyOf(v); return this; }

    public TrustSettings build() {
      return new TrustSettings(this);
    }
  }

  private static Set<String> lower(Set<String> in) {
    return in.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
