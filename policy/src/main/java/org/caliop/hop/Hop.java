package org.caliop.hop;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of the message's path: which host handed it to which, over what TLS, and how far we trust that.
 * Built from our own connection ({@link Trust#FIRSTHAND}) or from a {@code Received:} header. Every field but
 * {@code parsed} and {@code trust} is optional: absent means the source did not say.
 */
public final class Hop {
  private final String raw;
  private final boolean parsed;
  private final Trust trust;
  private final String fromHost;
  private final IpAddress fromIp;
  private final String fromRdns;
  private final String helo;
  private final String byHost;
  private final Protocol protocol;
  private final boolean tls;
  private final TlsVersion tlsVersion;
  private final String tlsCipher;
  private final String id;
  private final String forAddress;
  private final OffsetDateTime date;
  private final boolean authenticated;
  private final boolean localInjection;
  private final String country;
  private final String countrySource;

  private Hop(Builder b) {
    this.raw = b.raw;
    this.parsed = b.parsed;
    this.trust = Objects.requireNonNull(b.trust, "trust");
    this.fromHost = b.fromHost;
    this.fromIp = b.fromIp;
    this.fromRdns = b.fromRdns;
    this.helo = b.helo;
    this.byHost = b.byHost;
    this.protocol = b.protocol;
    this.tls = b.tls;
    this.tlsVersion = b.tlsVersion;
    this.tlsCipher = b.tlsCipher;
    this.id = b.id;
    this.forAddress = b.forAddress;
    this.date = b.date;
    this.authenticated = b.authenticated;
    this.localInjection = b.localInjection;
    this.country = b.country;
    this.countrySource = b.countrySource;
  }

  public static Builder builder(Trust trust) {
    return new Builder(trust);
  }

  public Builder toBuilder() {
    Builder b = new Builder(trust);
    b.raw = raw;
    b.parsed = parsed;
    b.fromHost = fromHost;
    b.fromIp = fromIp;
    b.fromRdns = fromRdns;
    b.helo = helo;
    b.byHost = byHost;
    b.protocol = protocol;
    b.tls = tls;
    b.tlsVersion = tlsVersion;
    b.tlsCipher = tlsCipher;
    b.id = id;
    b.forAddress = forAddress;
    b.date = date;
    b.authenticated = authenticated;
    b.localInjection = localInjection;
    b.country = country;
    b.countrySource = countrySource;
    return b;
  }

  public Hop withTrust(Trust newTrust) {
    return toBuilder().trust(newTrust).build();
  }

  /** The unfolded header value this hop was parsed from; empty for a first-hand hop. */
  public Optional<String> raw() {
    return Optional.ofNullable(raw);
  }

  /** False when the {@code Received:} value could not be understood at all. */
  public boolean parsed() {
    return parsed;
  }

  public Trust trust() {
    return trust;
  }

  public Optional<String> fromHost() {
    return Optional.ofNullable(fromHost);
  }

  /** The sending side's address as the writer recorded it (or our MTA saw it, first-hand). */
  public Optional<IpAddress> fromIp() {
    return Optional.ofNullable(fromIp);
  }

  public Optional<String> fromRdns() {
    return Optional.ofNullable(fromRdns);
  }

  public Optional<String> helo() {
    return Optional.ofNullable(helo);
  }

  public Optional<String> byHost() {
    return Optional.ofNullable(byHost);
  }

  /** The {@code with} protocol (ESMTPS, ESMTPSA, LMTP ...); empty when none was named or the name is unknown. */
  public Optional<Protocol> protocol() {
    return Optional.ofNullable(protocol);
  }

  public Optional<TlsVersion> tlsVersion() {
    return Optional.ofNullable(tlsVersion);
  }

  public Optional<String> tlsCipher() {
    return Optional.ofNullable(tlsCipher);
  }

  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  public Optional<String> forAddress() {
    return Optional.ofNullable(forAddress);
  }

  public Optional<OffsetDateTime> date() {
    return Optional.ofNullable(date);
  }

  /** The client authenticated: SMTP AUTH seen first-hand, a comment saying so, or a protocol such as ESMTPSA. */
  public boolean authenticated() {
    return authenticated || protocol != null && protocol.saysAuthenticated();
  }

  /**
   * The line names no sending host at all: the writer handed the message to itself ({@code (qmail 123 invoked from
   * network)}, {@code (majordomo@x) by x via listexpand}, a local submission). The line below it was written on the
   * same host. Such a line has no {@code by} either when the writer did not name itself (qmail).
   */
  public boolean localInjection() {
    return localInjection;
  }

  /**
   * The country an IP-to-country database gives for {@link #fromIp()}: ISO 3166-1 alpha-2, upper case. The address's
   * registered or declared country per that database, an estimate, not a legal jurisdiction; as trusted as the
   * address, so a claimed hop's country is a claim too. Empty without a database, without an address, or when the
   * database maps none there (private, loopback, documentation ranges).
   */
  public Optional<String> country() {
    return Optional.ofNullable(country);
  }

  /** The database {@link #country()} comes from and its build date ("GeoLite2-Country 2026-11-03"). */
  public Optional<String> countrySource() {
    return Optional.ofNullable(country == null ? null : countrySource);
  }

  /**
   * Whether the hop is known to have used TLS: a TLS version, a cipher, or a protocol that says so (ESMTPS,
   * ESMTPSA, LMTPS ...). Empty when nothing is said either way.
   */
  public boolean saysTls() {
    return tls || tlsVersion != null || tlsCipher != null || protocol != null && protocol.saysTls();
  }

  /**
   * The protocol names TLS whenever it is used and this hop says no TLS at all: a claim of clear text ({@code with
   * ESMTP}, {@code with HTTP}). False when nothing is said either way.
   */
  public boolean saysClear() {
    return protocol != null && protocol.saysClear() && !saysTls();
  }

  /** A short label for reasons: "mx.example → relay.example". */
  public String label() {
    String from = fromHost != null ? fromHost : fromRdns != null ? fromRdns : fromIp != null ? fromIp.toString() : "?";
    String by = byHost != null ? byHost : "?";
    return from + " \u2192 " + by;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Hop)) {
      return false;
    }
    Hop h = (Hop) o;
    return parsed == h.parsed && authenticated == h.authenticated && localInjection == h.localInjection
        && tls == h.tls && trust == h.trust
        && Objects.equals(raw, h.raw) && Objects.equals(fromHost, h.fromHost) && Objects.equals(fromIp, h.fromIp)
        && Objects.equals(fromRdns, h.fromRdns) && Objects.equals(helo, h.helo)
        && Objects.equals(byHost, h.byHost) && protocol == h.protocol
        && tlsVersion == h.tlsVersion && Objects.equals(tlsCipher, h.tlsCipher) && Objects.equals(id, h.id)
        && Objects.equals(forAddress, h.forAddress) && Objects.equals(date, h.date)
        && Objects.equals(country, h.country);
  }

  @Override
  public int hashCode() {
    return Objects.hash(raw, trust, fromHost, fromIp, byHost, protocol, tlsVersion, id, date);
  }

  @Override
  public String toString() {
    return "Hop[" + trust.token() + " " + label() + " with=" + protocol + " tls=" + tlsVersion + "/" + tlsCipher
        + " parsed=" + parsed + "]";
  }

  public static final class Builder {
    private String raw;
    private boolean parsed = true;
    private Trust trust;
    private String fromHost;
    private IpAddress fromIp;
    private String fromRdns;
    private String helo;
    private String byHost;
    private Protocol protocol;
    private boolean tls;
    private TlsVersion tlsVersion;
    private String tlsCipher;
    private String id;
    private String forAddress;
    private OffsetDateTime date;
    private boolean authenticated;
    private boolean localInjection;
    private String country;
    private String countrySource;

    private Builder(Trust trust) {
      this.trust = trust;
    }

    public Builder raw(String v) { raw = v; return this; }
    public Builder parsed(boolean v) { parsed = v; return this; }
    public Builder trust(Trust v) { trust = v; return this; }
    public Builder fromHost(String v) { fromHost = blankToNull(v); return this; }
    /** Text as a header or the MTA wrote it: anything that is not an address leaves the field empty. */
    public Builder fromIp(String v) { fromIp = IpAddress.orNull(v); return this; }
    public Builder fromIp(IpAddress v) { fromIp = v; return this; }
    public Builder fromRdns(String v) { fromRdns = blankToNull(v); return this; }
    public Builder helo(String v) { helo = blankToNull(v); return this; }
    public Builder byHost(String v) { byHost = blankToNull(v); return this; }
    /** A protocol name ({@code ESMTPSA}); a name {@link Protocol} does not know leaves the field empty. */
    public Builder protocol(String v) { protocol = Protocol.parse(v).orElse(null); return this; }
    public Builder protocol(Protocol v) { protocol = v; return this; }
    /** TLS was on, whatever its version (e.g. OpenSSL's {@code TLSv1/SSLv3}, which names no version). */
    public Builder tls(boolean v) { tls = v; return this; }
    public Builder tlsVersion(TlsVersion v) { tlsVersion = v; return this; }
    public Builder tlsCipher(String v) { tlsCipher = blankToNull(v); return this; }
    public Builder id(String v) { id = blankToNull(v); return this; }
    public Builder forAddress(String v) { forAddress = blankToNull(v); return this; }
    public Builder date(OffsetDateTime v) { date = v; return this; }
    public Builder authenticated(boolean v) { authenticated = v; return this; }
    public Builder localInjection(boolean v) { localInjection = v; return this; }
    public Builder country(String v) { country = blankToNull(v); return this; }
    public Builder countrySource(String v) { countrySource = blankToNull(v); return this; }

    public Hop build() {
      return new Hop(this);
    }

    private static String blankToNull(String v) {
      return v == null || v.isBlank() ? null : v;
    }
  }
}
