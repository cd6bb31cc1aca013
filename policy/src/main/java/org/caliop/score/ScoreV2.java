package org.caliop.score;

import java.util.ArrayList;
import java.util.List;
import org.caliop.auth.AuthMethod;
import org.caliop.auth.AuthResult;
import org.caliop.auth.AuthResults;
import org.caliop.auth.MethodResult;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.IpAddress;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.mime.ContentProtection;
import org.caliop.mime.Encryption;
import org.caliop.mime.Signature;

/**
 * Score formula version 2, published in docs/score.md (version 1 is described there too): transport (0-40) + authentication (0-15) + content
 * protection (0-45) = 0-100, graded A (85+), B (50+), C (35+), D (20+), E.
 *
 * <p>Only first-hand and internal hops can earn transport points; claimed hops can only take points away. Nothing
 * here allocates beyond the reason list and its texts, and nothing uses regular expressions: the engine scores tens
 * of thousands of messages per second per core.
 */
public final class ScoreV2 implements ScoreFormula {
  public static final ScoreV2 INSTANCE = new ScoreV2();

  public static final String VERSION = "2";

  /** Points of each dimension; they add up to 100. */
  static final int TRANSPORT_ENTRY_MAX = 25;
  static final int TRANSPORT_PATH_MAX = 15;
  static final int AUTH_MAX = 15;
  static final int CONTENT_MAX = 45;

  /** Grade thresholds: the lowest score of each grade. */
  static final int GRADE_A = 85;
  static final int GRADE_B = 50;
  static final int GRADE_C = 35;
  static final int GRADE_D = 20;

  /** Transport levels of one hop, 0-10. */
  static final int LEVEL_TLS13 = 10;
  static final int LEVEL_TLS12 = 9;
  static final int LEVEL_TLS_UNKNOWN_VERSION = 7;
  static final int LEVEL_UNKNOWN = 5;
  static final int LEVEL_TLS11 = 4;
  static final int LEVEL_TLS10 = 3;
  static final int LEVEL_SSL3 = 1;
  static final int LEVEL_CLEAR = 0;
  static final int LEVEL_LOCAL = 10;

  static final int PENALTY_CLAIMED_CLEAR = 8;
  static final int PENALTY_CLAIMED_WEAK = 4;
  static final int PENALTY_CLAIMED_MAX = 16;

  /** Hops described one by one in the reasons; a message with 10,000 Received lines still gets a short list. */
  static final int MAX_HOP_REASONS = 32;

  static final int AUTH_SENDER_AUTHENTICATED = 15;
  static final int AUTH_DMARC_PASS = 15;
  static final int AUTH_DKIM_PASS = 10;
  static final int AUTH_SPF_PASS = 5;
  static final int AUTH_ARC_PASS = 5;

  static final int CONTENT_E2E_FULL = 40;
  static final int CONTENT_E2E_INLINE = 30;
  static final int CONTENT_E2E_MIXED = 15;
  static final int CONTENT_SIGNED = 5;

  private static final Reason TRANSPORT_UNKNOWN = Reason.of("transport-unknown",
      "no trusted record of the transport (no connection facts, no internal hop): counts as nothing");
  private static final Reason TRANSPORT_LOCAL_ONLY = Reason.of("transport-unknown",
      "only local hops are trusted: how the message reached us is unknown and counts as nothing");
  private static final Reason AUTH_UNKNOWN = Reason.of("auth-unknown",
      "no trusted authentication result (no SMTP AUTH, no trusted Authentication-Results)");
  private static final Reason E2E_NONE = Reason.of("e2e-none", "not end-to-end encrypted");
  private static final Reason E2E_PGP_MIME = Reason.of("e2e-pgp-mime", "end-to-end encrypted (OpenPGP/MIME)");
  private static final Reason E2E_SMIME = Reason.of("e2e-smime", "end-to-end encrypted (S/MIME)");
  private static final Reason E2E_PGP_INLINE = Reason.of("e2e-pgp-inline",
      "end-to-end encrypted inline (PGP armor in the text: structure and attachments may be in clear)");
  private static final Reason E2E_MIXED = Reason.of("e2e-mixed", "partly end-to-end encrypted (some parts in clear)");
  private static final Reason E2E_LABEL_WITHOUT_CIPHERTEXT = Reason.of("e2e-label-without-ciphertext",
      "labelled as encrypted (multipart/encrypted, smime-type, PGP armor or an OpenPGP file name) but no ciphertext"
          + " behind the label: counted as clear");

  private ScoreV2() {
  }

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public Score score(MessageFacts facts) {
    List<Reason> reasons = new ArrayList<>(8);
    List<Hop> hops = facts.hops();
    int run = leadingTrustedRun(hops);
    int transport = transport(hops, run, reasons);
    int auth = authentication(hops, run, facts.auth(), reasons);
    int content = content(facts.content(), reasons);
    int total = clamp(transport + auth + content, 0, 100);
    return Score.of(total, grade(total), VERSION, reasons);
  }

  /** The fixed thresholds (unchanged since version 1). */
  public static Grade grade(int score) {
    if (score >= GRADE_A) {
      return Grade.A;
    }
    if (score >= GRADE_B) {
      return Grade.B;
    }
    if (score >= GRADE_C) {
      return Grade.C;
    }
    if (score >= GRADE_D) {
      return Grade.D;
    }
    return Grade.E;
  }

  /** How many hops at the top are trusted (first-hand or internal) without a claimed hop above them. */
  private static int leadingTrustedRun(List<Hop> hops) {
    int n = 0;
    while (n < hops.size() && hops.get(n).trust() != Trust.CLAIMED) {
      n++;
    }
    return n;
  }

  private static int transport(List<Hop> hops, int run, List<Reason> reasons) {
    int entryIndex = entryIndex(hops);
    boolean untrustedBelow = run < hops.size();
    int entry;
    int path;
    if (entryIndex < 0 && run > 0 && !untrustedBelow) {
      // Everything happened on trusted loopback connections: the message never crossed a network.
      entry = LEVEL_LOCAL;
      path = LEVEL_LOCAL;
      for (int i = 0; i < run && i < MAX_HOP_REASONS; i++) {
        reasons.add(trustedReason(hops.get(i), i, LEVEL_LOCAL));
      }
    } else if (entryIndex < 0) {
      entry = 0;
      path = 0;
      reasons.add(run > 0 ? TRANSPORT_LOCAL_ONLY : TRANSPORT_UNKNOWN);
    } else {
      entry = level(hops.get(entryIndex));
      path = -1;
      for (int i = 0; i < run; i++) {
        Hop hop = hops.get(i);
        int level = i == entryIndex ? entry : level(hop);
        if (i < MAX_HOP_REASONS) {
          reasons.add(trustedReason(hop, i, level));
        }
        if (i != entryIndex) {
          path = path < 0 ? level : Math.min(path, level);
        }
      }
      if (path < 0) {
        path = entry;
      }
    }
    int points = (TRANSPORT_ENTRY_MAX * entry + TRANSPORT_PATH_MAX * path + 5) / 10;
    int penalty = 0;
    for (int i = run; i < hops.size(); i++) {
      penalty += claimed(hops.get(i), i, i < MAX_HOP_REASONS ? reasons : null);
    }
    if (hops.size() > MAX_HOP_REASONS) {
      reasons.add(Reason.of("hops-not-listed", (hops.size() - MAX_HOP_REASONS) + " more hops not listed (they still"
          + " count; only the first " + MAX_HOP_REASONS + " are described)"));
    }
    return Math.max(0, points - Math.min(penalty, PENALTY_CLAIMED_MAX));
  }

  /** What a first-hand or internal hop is worth, 0-10. */
  static int level(Hop hop) {
    // A loopback connection crosses no network: its TLS, or lack of it, exposes nothing.
    if (isLocal(hop)) {
      return LEVEL_LOCAL;
    }
    if (hop.tlsVersion().isPresent()) {
      return tlsLevel(hop.tlsVersion().get());
    }
    if (hop.saysTls()) {
      return LEVEL_TLS_UNKNOWN_VERSION;
    }
    // Our own MTA reports TLS whenever it was on, so a first-hand hop without it was in clear; one without a client
    // address came from nobody knows where, which counts as nothing too.
    if (hop.trust() == Trust.FIRSTHAND || hop.saysClear()) {
      return LEVEL_CLEAR;
    }
    return LEVEL_UNKNOWN;
  }

  private static int tlsLevel(TlsVersion v) {
    switch (v) {
      case TLSV1_3:
        return LEVEL_TLS13;
      case TLSV1_2:
        return LEVEL_TLS12;
      case TLSV1_1:
        return LEVEL_TLS11;
      case TLSV1_0:
        return LEVEL_TLS10;
      default:
        return LEVEL_SSL3;
    }
  }

  private static Reason trustedReason(Hop hop, int index, int level) {
    boolean firsthand = hop.trust() == Trust.FIRSTHAND;
    String prefix = firsthand ? "firsthand-" : "hop-internal-";
    String kind = firsthand ? "first-hand: " : "internal: ";
    if (isLocal(hop)) {
      return Reason.of(prefix + "local", hopText(hop, index, kind, "local, no network crossed"));
    }
    if (hop.tlsVersion().isPresent()) {
      TlsVersion v = hop.tlsVersion().get();
      return Reason.of(prefix + tlsCode(v), hopText(hop, index, kind, v.canonical()));
    }
    if (hop.saysTls()) {
      return Reason.of(prefix + "tls", hopText(hop, index, kind, "TLS, version not reported"));
    }
    if (firsthand && hop.fromIp().isEmpty()) {
      return Reason.of("firsthand-no-address", hopText(hop, index, kind,
          "no client address, transport unknown (counts as nothing)"));
    }
    if (level == LEVEL_UNKNOWN) {
      return Reason.of(prefix + "tls-unknown", hopText(hop, index, kind, "says nothing about TLS"));
    }
    return Reason.of(prefix + "no-tls", hopText(hop, index, kind, "no TLS"));
  }

  /** "hop 2 (mx.example → relay.example) " + a + b, built in one buffer: this runs for every hop of every message. */
  private static String hopText(Hop hop, int index, String a, String b) {
    StringBuilder t = new StringBuilder(96).append("hop ").append(index + 1).append(" (");
    String from = hop.fromHost().orElse(null);
    if (from == null) {
      from = hop.fromRdns().orElse(null);
    }
    if (from == null) {
      from = hop.fromIp().map(IpAddress::toString).orElse("?");
    }
    t.append(from).append(" \u2192 ").append(hop.byHost().orElse("?")).append(") ").append(a).append(b);
    return t.toString();
  }

  private static String tlsCode(TlsVersion v) {
    switch (v) {
      case TLSV1_3:
        return "tls13";
      case TLSV1_2:
        return "tls12";
      case TLSV1_1:
        return "tls11";
      case TLSV1_0:
        return "tls10";
      default:
        return "sslv3";
    }
  }

  /**
   * Claimed hops never earn points; a claim of clear text or weak TLS costs points. Returns the penalty; adds a
   * reason when {@code reasons} is not null.
   */
  private static int claimed(Hop hop, int index, List<Reason> reasons) {
    if (!hop.parsed()) {
      add(reasons, "hop-unparsed", hop, index, "could not be parsed", "");
      return 0;
    }
    if (hop.tlsVersion().isPresent()) {
      TlsVersion v = hop.tlsVersion().get();
      if (!v.atLeast(TlsVersion.TLSV1_2)) {
        add(reasons, "hop-claimed-weak-tls", hop, index, "claimed obsolete ", v.canonical());
        return PENALTY_CLAIMED_WEAK;
      }
      add(reasons, "hop-claimed-tls", hop, index, "claimed ", v.canonical() + " (not verified, no points)");
      return 0;
    }
    if (hop.saysTls()) {
      add(reasons, "hop-claimed-tls", hop, index, "claimed TLS", " (not verified, no points)");
      return 0;
    }
    if (isLocal(hop)) {
      return 0;
    }
    // Only a hop between two named parties over a protocol that would say TLS counts as a claim of clear text:
    // "by 2002:a05:... with SMTP id ..." is the writer's own plumbing, MAPI and the like say nothing.
    if (hop.saysClear() && (hop.fromHost().isPresent() || hop.fromIp().isPresent())) {
      add(reasons, "hop-claimed-no-tls", hop, index, "claimed no TLS", "");
      return PENALTY_CLAIMED_CLEAR;
    }
    return 0;
  }

  private static void add(List<Reason> reasons, String code, Hop hop, int index, String a, String b) {
    if (reasons != null) {
      reasons.add(Reason.of(code, hopText(hop, index, a, b)));
    }
  }

  /**
   * The hop our own server received the message on, the one that weighs most: our own first-hand hop; when it is a
   * loopback re-injection (content filter) or absent, the oldest trusted hop that crossed a network. The score, the
   * policy's TLS checks and the direction of stored mail all look at this hop.
   *
   * @param hops classified hops, newest first
   * @return its index, or -1 when no trusted hop crossed a network
   */
  public static int entryIndex(List<Hop> hops) {
    int run = leadingTrustedRun(hops);
    if (run > 0 && hops.get(0).trust() == Trust.FIRSTHAND && !isLocal(hops.get(0))) {
      return 0;
    }
    for (int i = run - 1; i >= 0; i--) {
      if (!isLocal(hops.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Nothing crossed a network: a loopback address, or, in a header line with no address recorded, a host handing
   * the message to itself ({@code from mail.example.org by mail.example.org with LMTP}: Dovecot over a unix socket).
   * When an address is recorded it alone decides, and our own first-hand hop is local only by its client's address:
   * a HELO never decides (a client may name our host; without an address its transport is unknown).
   */
  public static boolean isLocal(Hop hop) {
    if (hop.fromIp().isPresent()) {
      return hop.fromIp().get().isLoopback();
    }
    if (hop.trust() != Trust.FIRSTHAND && hop.fromHost().isPresent() && hop.byHost().isPresent()) {
      return hop.fromHost().get().equalsIgnoreCase(hop.byHost().get());
    }
    return false;
  }

  private static int authentication(List<Hop> hops, int run, AuthResults auth, List<Reason> reasons) {
    int points = 0;
    for (int i = 0; i < run; i++) {
      Hop hop = hops.get(i);
      if (hop.authenticated()) {
        reasons.add(Reason.of("sender-authenticated",
            hopText(hop, i, "sender authenticated to our server (SMTP AUTH)", "")));
        points = AUTH_SENDER_AUTHENTICATED;
        break;
      }
    }
    if (auth.notBelieved() > 0) {
      reasons.add(Reason.of("authres-not-believed", auth.notBelieved() + " Authentication-Results claiming our"
          + " authserv-id not believed (not written inside our trusted run): taken out"));
    }
    if (auth.isEmpty()) {
      if (points == 0) {
        reasons.add(AUTH_UNKNOWN);
      }
      return points;
    }
    int results = 0;
    results += method(AuthMethod.DMARC, auth, AUTH_DMARC_PASS, reasons);
    results += method(AuthMethod.DKIM, auth, AUTH_DKIM_PASS, reasons);
    results += method(AuthMethod.SPF, auth, AUTH_SPF_PASS, reasons);
    results += method(AuthMethod.ARC, auth, AUTH_ARC_PASS, reasons);
    if (auth.dmarc().map(r -> r.result() == AuthResult.FAIL).orElse(false)) {
      // The From domain is not authenticated, whatever else passed for some other domain.
      results = 0;
    }
    return Math.min(AUTH_MAX, Math.max(points, results));
  }

  /**
   * Points for one method: only an aligned pass earns them (version 2). A pass for another domain, or from an ARC
   * sealer the admin did not list, is reported and earns nothing.
   */
  private static int method(AuthMethod method, AuthResults auth, int passPoints, List<Reason> reasons) {
    MethodResult r = auth.get(method).orElse(null);
    if (r == null) {
      return 0;
    }
    if (r.result() == AuthResult.PASS && !r.alignedPass()) {
      reasons.add(unalignedPass(r));
      return 0;
    }
    reasons.add(AUTH_REASONS[method.ordinal()][r.result().ordinal()]);
    return r.alignedPass() ? passPoints : 0;
  }

  private static Reason unalignedPass(MethodResult r) {
    String domain = r.domain().orElse(null);
    switch (r.method()) {
      case ARC:
        return Reason.of("arc-pass-unlisted-sealer", "ARC pass, sealed by " + (domain == null ? "an unknown sealer"
            : domain) + ", not in trusted_arc_sealers (no points)");
      case DMARC:
        return Reason.of("dmarc-pass-unaligned", "DMARC pass for " + (domain == null ? "an unknown domain" : domain)
            + ", not the From: domain (no points)");
      default:
        String name = r.method() == AuthMethod.DKIM ? "DKIM" : "SPF";
        return Reason.of(r.method().token() + "-pass-unaligned", name + " pass for "
            + (domain == null ? "an unnamed domain" : domain) + ", not aligned with the From: domain (no points)");
    }
  }

  /** Built once, indexed by method and result ordinals: scoring a message allocates no authentication reason. */
  private static final Reason[][] AUTH_REASONS = new Reason[AuthMethod.values().length][AuthResult.values().length];

  static {
    for (AuthMethod m : AuthMethod.values()) {
      for (AuthResult r : AuthResult.values()) {
        String name = m == AuthMethod.DMARC ? "DMARC" : m == AuthMethod.DKIM ? "DKIM" : m == AuthMethod.SPF ? "SPF"
            : "ARC";
        String text = name + " " + r.token() + (r == AuthResult.PASS ? (m == AuthMethod.ARC
            ? " (trusted Authentication-Results, trusted sealer)"
            : m == AuthMethod.DMARC ? " (trusted Authentication-Results, for the From: domain)"
            : " (trusted Authentication-Results, aligned with the From: domain)") : " (trusted Authentication-Results)");
        AUTH_REASONS[m.ordinal()][r.ordinal()] = Reason.of(m.token() + "-" + r.token(), text);
      }
    }
  }

  private static int content(ContentProtection content, List<Reason> reasons) {
    int points;
    Encryption e = content.encrypted();
    switch (e) {
      case PGP_MIME:
        points = CONTENT_E2E_FULL;
        reasons.add(E2E_PGP_MIME);
        break;
      case SMIME:
        points = CONTENT_E2E_FULL;
        reasons.add(E2E_SMIME);
        break;
      case PGP_INLINE:
        points = CONTENT_E2E_INLINE;
        reasons.add(E2E_PGP_INLINE);
        break;
      case MIXED:
        points = CONTENT_E2E_MIXED;
        reasons.add(E2E_MIXED);
        break;
      default:
        points = 0;
        reasons.add(E2E_NONE);
        break;
    }
    if (content.labelWithoutCiphertext()) {
      // Version 2 credits ciphertext, not labels: the label earns nothing, and says so.
      reasons.add(E2E_LABEL_WITHOUT_CIPHERTEXT);
    }
    Signature s = content.signed();
    if (s != Signature.NONE) {
      // Version 2: only a signature verified over the whole message, by the From: address, anchored in what the
      // admin configured, earns the points; any other is listed and earns nothing.
      String kind = s == Signature.PGP_MIME ? "OpenPGP/MIME" : s == Signature.SMIME ? "S/MIME" : "inline PGP";
      String detail = content.signatureDetail().isEmpty() ? "" : ": " + content.signatureDetail();
      switch (content.signatureStatus()) {
        case VERIFIED:
          points += CONTENT_SIGNED;
          reasons.add(Reason.of("signed-" + s.token(), "signed (" + kind + "), verified" + detail));
          break;
        case INVALID:
          reasons.add(Reason.of("signed-invalid", "signed (" + kind + "), but the signature is wrong" + detail));
          break;
        default:
          reasons.add(Reason.of("signed-unverified", "signed (" + kind + "), not verified" + detail));
          break;
      }
    }
    return Math.min(CONTENT_MAX, points);
  }

  private static int clamp(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
  }
}
