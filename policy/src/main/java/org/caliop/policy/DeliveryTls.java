package org.caliop.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.caliop.facts.Direction;
import org.caliop.hop.TlsVersion;

/**
 * The TLS a policy asks for when outbound mail is delivered to a destination, per destination domain: what
 * {@code caliop policy export postfix-tls} writes as Postfix's {@code smtp_tls_policy_maps}. A milter never sees
 * delivery (Postfix connects to the next hop after the milter has answered), so caliop cannot check it; Postfix can
 * enforce it, keyed by next-hop domain exactly as caliop's domain entries are ({@code .example.com} for subdomains).
 *
 * <p>A destination's requirement is the effective outbound rule of its domain entry (global, global's
 * {@code outbound} block, the entry, its {@code outbound} block): {@code min_tls_version} when the rule's action
 * refuses mail (reject, tempfail, hold: Postfix can only defer a delivery, never tag it), and
 * {@code verify_delivery_certificate}. What cannot be said per destination (global rules, user entries, sender-side
 * entries) is reported as a note. Immutable.
 */
public final class DeliveryTls {
  /** How the destination's certificate must be verified ({@code verify_delivery_certificate}). */
  public enum Verification {
    /** Signed by a trusted CA and naming the destination: Postfix {@code secure}. */
    CA("ca", "secure"),
    /** Matching TLSA records in DNSSEC-signed DNS, mandatory: Postfix {@code dane-only}. */
    DANE("dane", "dane-only");

    private final String token;
    private final String postfixLevel;

    Verification(String token, String postfixLevel) {
      this.token = token;
      this.postfixLevel = postfixLevel;
    }

    public String token() { return token; }

    /** The Postfix TLS security level that enforces it. */
    public String postfixLevel() { return postfixLevel; }

    static Optional<Verification> parse(String text) {
      for (Verification v : values()) {
        if (v.token.equalsIgnoreCase(text.trim())) {
          return Optional.of(v);
        }
      }
      return Optional.empty();
    }
  }

  /** One destination: its table key and what delivery to it must use. */
  public static final class Destination {
    private final String key;
    private final TlsVersion minVersion;
    private final Verification verification;
    private final boolean exempt;
    private final String rule;

    Destination(String key, TlsVersion minVersion, Verification verification, boolean exempt, String rule) {
      this.key = key;
      this.minVersion = minVersion;
      this.verification = verification;
      this.exempt = exempt;
      this.rule = rule;
    }

    /** The next-hop domain as Postfix looks it up: {@code partner.example}, or {@code .partner.example}. */
    public String key() { return key; }

    public Optional<TlsVersion> minVersion() { return Optional.ofNullable(minVersion); }

    public Optional<Verification> verification() { return Optional.ofNullable(verification); }

    /** The entry switches off a requirement of global's: delivery may go in clear (Postfix {@code may}). */
    public boolean exempt() { return exempt; }

    /** The rules it comes from, as the admin reads them: {@code domain partner.example outbound (policy.yaml:21)}. */
    public String rule() { return rule; }

    /** The Postfix TLS security level: {@code encrypt}, {@code secure}, {@code dane-only} or {@code may}. */
    public String postfixLevel() {
      return exempt ? "may" : verification != null ? verification.postfixLevel() : "encrypt";
    }

    /** {@code partner.example encrypt protocols=>=TLSv1.2}: one line of the table. */
    public String postfixLine() {
      StringBuilder b = new StringBuilder(key).append(' ').append(postfixLevel());
      if (!exempt && minVersion != null) {
        b.append(" protocols=>=").append(postfixProtocol(minVersion));
      }
      return b.toString();
    }
  }

  private final List<Destination> destinations;
  private final List<String> notes;
  private final TlsVersion globalMinVersion;
  private final Verification globalVerification;

  private DeliveryTls(List<Destination> destinations, List<String> notes, TlsVersion globalMinVersion,
      Verification globalVerification) {
    this.destinations = List.copyOf(destinations);
    this.notes = List.copyOf(notes);
    this.globalMinVersion = globalMinVersion;
    this.globalVerification = globalVerification;
  }

  /** What {@code policy} asks of delivery, destination by destination, sorted by key. */
  public static DeliveryTls of(CompiledPolicy policy) {
    Objects.requireNonNull(policy);
    List<String> notes = new ArrayList<>();
    Settings global = policy.globalSettings(Direction.OUTBOUND);
    String globalRule = describe(policy.globalRef(Direction.OUTBOUND));
    TlsVersion globalMin = refuses(global) ? version(global) : null;
    if (version(global) != null && globalMin == null) {
      notes.add(globalRule + ": min_tls_version " + version(global).canonical() + " with action "
          + action(global).token() + " is not exported: Postfix can only defer a delivery, not tag it");
    }
    Verification globalVerify = verification(global);
    if (globalMin != null || globalVerify != null) {
      notes.add(globalRule + " asks every destination for " + describe(globalMin, globalVerify) + ": say it in"
          + " main.cf (smtp_tls_security_level = " + (globalVerify != null ? globalVerify.postfixLevel() : "encrypt")
          + (globalMin != null ? ", smtp_tls_mandatory_protocols = >=" + postfixProtocol(globalMin) : "")
          + "); the table below lists the domain entries");
    }
    Map<String, Destination> out = new TreeMap<>();
    for (Map.Entry<String, Layer> e : policy.domainLayers().entrySet()) {
      Layer layer = e.getValue();
      Settings own = layer.settings(Direction.OUTBOUND);
      Settings eff = global.overlay(own);
      TlsVersion min = refuses(eff) ? version(eff) : null;
      Verification verify = verification(eff);
      String rule = describe(layer.directionRef(Direction.OUTBOUND) != null
          ? layer.directionRef(Direction.OUTBOUND) : layer.ref());
      if (!layer.forRecipient()) {
        if (version(own) != null || verification(own) != null) {
          notes.add(rule + " applies to senders only: delivery TLS is chosen per destination, not exported");
        }
        continue;
      }
      if (version(eff) != null && min == null && version(own) != null) {
        notes.add(rule + ": min_tls_version " + version(eff).canonical() + " with action " + action(eff).token()
            + " is not exported: Postfix can only defer a delivery, not tag it");
      }
      if (min != null || verify != null) {
        out.put(e.getKey(), new Destination(e.getKey(), min, verify, false, rule));
      } else if (globalMin != null || globalVerify != null) {
        out.put(e.getKey(), new Destination(e.getKey(), null, null, true, rule));
      }
    }
    for (Layer user : policy.userLayers().values()) {
      Settings own = user.settings(Direction.OUTBOUND);
      if (version(own) != null || verification(own) != null) {
        notes.add(describe(user.directionRef(Direction.OUTBOUND) != null ? user.directionRef(Direction.OUTBOUND)
            : user.ref()) + " is not exported: Postfix chooses delivery TLS per destination domain, not per address");
      }
    }
    return new DeliveryTls(new ArrayList<>(out.values()), notes, globalMin, globalVerify);
  }

  /** The destinations with a requirement (or an exemption from global's), sorted by key. */
  public List<Destination> destinations() { return destinations; }

  /** What the policy asks that a per-destination table cannot say, one sentence each. */
  public List<String> notes() { return notes; }

  /** Global's outbound requirement, for {@code smtp_tls_mandatory_protocols} in main.cf. */
  public Optional<TlsVersion> globalMinVersion() { return Optional.ofNullable(globalMinVersion); }

  public Optional<Verification> globalVerification() { return Optional.ofNullable(globalVerification); }

  /** Postfix's protocol names: {@code TLSv1} for TLS 1.0, then {@code TLSv1.1} ... */
  static String postfixProtocol(TlsVersion v) {
    String c = v.canonical();
    return c.equals("TLSv1.0") ? "TLSv1" : c;
  }

  private static TlsVersion version(Settings s) {
    return s.get(Knob.MIN_TLS_VERSION, TlsVersion.class);
  }

  private static Verification verification(Settings s) {
    return s.get(Knob.VERIFY_DELIVERY_CERTIFICATE, Verification.class);
  }

  private static Action action(Settings s) {
    return s.get(Knob.ACTION, Action.class, Action.TAG);
  }

  /** The action stops a message that fails: what deferring a delivery carries out. */
  private static boolean refuses(Settings s) {
    Action a = action(s);
    return a == Action.REJECT || a == Action.TEMPFAIL || a == Action.HOLD;
  }

  private static String describe(RuleRef r) {
    return r.label() + " (" + r.where() + ")";
  }

  private static String describe(TlsVersion min, Verification verify) {
    String tls = "TLS" + (min == null ? "" : " " + min.canonical() + " or better");
    return verify == null ? tls : tls + " with a " + (verify == Verification.CA ? "CA-verified" : "DANE-verified")
        + " certificate";
  }

  @Override
  public String toString() {
    return "DeliveryTls" + destinations.stream().map(Destination::postfixLine).collect(
        java.util.stream.Collectors.toList()) + String.format(Locale.ROOT, " notes=%d", notes.size());
  }
}
