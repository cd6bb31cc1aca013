package org.caliop.facts;

import java.util.Optional;
import org.caliop.hop.IpAddress;
import org.caliop.hop.Protocol;
import org.caliop.hop.TlsVersion;

/**
 * What our own MTA saw first-hand on the SMTP connection it accepted: the only transport facts caliop trusts.
 * Adapters fill it from milter macros or James mail attributes, as text; the builder parses each value once (the
 * client address into an {@link IpAddress}, the protocol into a {@link Protocol}). Every field is optional.
 */
public final class ConnectionFacts {
  private final IpAddress clientAddress;
  private final String clientName;
  private final String helo;
  private final String tlsVersionRaw;
  private final TlsVersion tlsVersion;
  private final String cipher;
  private final Integer cipherBits;
  private final String authType;
  private final String authUser;
  private final String certSubject;
  private final String certIssuer;
  private final String receivedBy;
  private final String queueId;
  private final Protocol protocol;
  private final Listener listener;
  private final boolean localSubmission;

  private ConnectionFacts(Builder b) {
    this.clientAddress = b.clientAddress;
    this.clientName = b.clientName;
    this.helo = b.helo;
    this.tlsVersionRaw = b.tlsVersionRaw;
    this.tlsVersion = b.tlsVersionRaw == null ? null : TlsVersion.parse(b.tlsVersionRaw).orElse(null);
    this.cipher = b.cipher;
    this.cipherBits = b.cipherBits;
    this.authType = b.authType;
    this.authUser = b.authUser;
    this.certSubject = b.certSubject;
    this.certIssuer = b.certIssuer;
    this.receivedBy = b.receivedBy;
    this.queueId = b.queueId;
    this.protocol = b.protocol;
    this.listener = Listener.of(b.daemonName, b.daemonAddress, b.daemonPort);
    this.localSubmission = b.localSubmission;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The client's IP address; empty when the MTA gave none (or something that is not an address). */
  public Optional<IpAddress> clientAddress() { return Optional.ofNullable(clientAddress); }
  /** The client's verified reverse name, when the MTA has one ({@code unknown} is not a name). */
  public Optional<String> clientName() { return Optional.ofNullable(clientName); }
  public Optional<String> helo() { return Optional.ofNullable(helo); }
  /** The TLS version as the MTA spelled it; empty when the session was in clear. */
  public Optional<String> tlsVersionRaw() { return Optional.ofNullable(tlsVersionRaw); }
  public Optional<TlsVersion> tlsVersion() { return Optional.ofNullable(tlsVersion); }
  public Optional<String> cipher() { return Optional.ofNullable(cipher); }
  public Optional<Integer> cipherBits() { return Optional.ofNullable(cipherBits); }
  public Optional<String> authType() { return Optional.ofNullable(authType); }
  /** The SMTP AUTH identity; present means the client authenticated. */
  public Optional<String> authUser() { return Optional.ofNullable(authUser); }
  public Optional<String> certSubject() { return Optional.ofNullable(certSubject); }
  public Optional<String> certIssuer() { return Optional.ofNullable(certIssuer); }
  /** Our own host name, as it would stand in {@code by}. */
  public Optional<String> receivedBy() { return Optional.ofNullable(receivedBy); }
  public Optional<String> queueId() { return Optional.ofNullable(queueId); }
  /** SMTP, ESMTP, ESMTPS, ESMTPSA, LMTP ... when the adapter knows it. */
  public Optional<Protocol> protocol() { return Optional.ofNullable(protocol); }
  /** Where our MTA accepted the connection: what tells a declared relay's listener from any other. */
  public Listener listener() { return listener; }

  /**
   * Submitted on our own host through the MTA's local submission path (Postfix's {@code sendmail(1)} and pickup,
   * judged on caliop's listener for {@code non_smtpd_milters}), not over SMTP: the submitter is a local user or
   * process, so the mail is ours for direction whatever {@code internal_networks} say. Only the adapter sets it,
   * from which of its listeners the MTA used; nothing in a message can.
   */
  public boolean localSubmission() { return localSubmission; }

  /** TLS is known to be on: a version or a cipher was reported. */
  public boolean tls() {
    return tlsVersionRaw != null || cipher != null;
  }

  public static final class Builder {
    private IpAddress clientAddress;
    private String clientName;
    private String helo;
    private String tlsVersionRaw;
    private String cipher;
    private Integer cipherBits;
    private String authType;
    private String authUser;
    private String certSubject;
    private String certIssuer;
    private String receivedBy;
    private String queueId;
    private Protocol protocol;
    private String daemonName;
    private IpAddress daemonAddress;
    private int daemonPort;
    private boolean localSubmission;

    private Builder() {
    }

    /** {@code 192.0.2.1}, {@code 2001:db8::1}, {@code IPv6:2001:db8::1}, brackets allowed; anything else: none. */
    public Builder clientAddress(String v) { clientAddress = IpAddress.orNull(v); return this; }
    public Builder clientAddress(IpAddress v) { clientAddress = v; return this; }
    public Builder clientName(String v) { clientName = clean(v); return this; }
    public Builder helo(String v) { helo = clean(v); return this; }
    public Builder tlsVersion(String v) { tlsVersionRaw = clean(v); return this; }
    public Builder cipher(String v) { cipher = clean(v); return this; }
    public Builder cipherBits(Integer v) { cipherBits = v; return this; }
    public Builder authType(String v) { authType = clean(v); return this; }
    public Builder authUser(String v) { authUser = clean(v); return this; }
    public Builder certSubject(String v) { certSubject = clean(v); return this; }
    public Builder certIssuer(String v) { certIssuer = clean(v); return this; }
    public Builder receivedBy(String v) { receivedBy = clean(v); return this; }
    public Builder queueId(String v) { queueId = clean(v); return this; }
    /** A protocol name ({@code ESMTPSA}); one {@link Protocol} does not know is left out. */
    public Builder protocol(String v) { protocol = Protocol.parse(clean(v)).orElse(null); return this; }
    public Builder protocol(Protocol v) { protocol = v; return this; }
    /** The listener's name: Postfix {@code {daemon_name}}, Sendmail's daemon {@code Name=}. */
    public Builder daemonName(String v) { daemonName = clean(v); return this; }
    /** The local address the client connected to: {@code {daemon_addr}}, the James server's bound address. */
    public Builder daemonAddress(String v) { daemonAddress = IpAddress.orNull(v); return this; }
    /** The local port the client connected to: {@code {daemon_port}}; not a number in 1-65535: unknown. */
    public Builder daemonPort(String v) {
      String p = clean(v);
      int n = 0;
      if (p != null && p.length() <= 5 && p.chars().allMatch(Character::isDigit)) {
        n = Integer.parseInt(p);
      }
      daemonPort = n <= 65535 ? n : 0;
      return this;
    }

    public Builder daemonPort(int v) { daemonPort = v > 0 && v <= 65535 ? v : 0; return this; }

    /** See {@link ConnectionFacts#localSubmission()}. */
    public Builder localSubmission(boolean v) { localSubmission = v; return this; }

    public ConnectionFacts build() {
      return new ConnectionFacts(this);
    }

    private static String clean(String v) {
      return v == null || v.isBlank() ? null : v.trim();
    }
  }
}
