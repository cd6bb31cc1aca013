package org.caliop.policy;

import java.util.List;
import org.caliop.facts.Direction;
import org.caliop.auth.AuthMethod;
import org.caliop.auth.AuthResult;
import org.caliop.auth.MethodResult;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.mime.Encryption;
import org.caliop.mime.Signature;
import org.caliop.received.HopCountries;
import org.caliop.score.Grade;
import org.caliop.score.Score;
import org.caliop.score.ScoreV2;

/**
 * The requirements of one effective rule checked against one message. A requirement is met only when the facts
 * prove it: an unknown TLS version, or a missing trusted Authentication-Results, fails it.
 */
final class Checks {
  private Checks() {
  }

  /**
   * Appends a sentence per failed requirement to {@code failed} (and per met one to {@code passed} when not null).
   *
   * @return the rule that decided (the most specific block that set a failed requirement or the action), or null
   *     when every requirement is met
   */
  static RuleRef evaluate(Settings eff, MessageFacts facts, Score score, List<String> failed, List<String> passed) {
    return evaluate(eff, facts, score, failed, null, passed, null);
  }

  /**
   * As above; the sentences of {@code failed} that failed for want of a fact (see {@link Decision#unknowns()}) are
   * also appended to {@code unknown} when not null; {@code countrySource} names the IP-to-country database and its
   * date ("GeoLite2-Country 2026-11-03") in jurisdiction sentences, or null.
   */
  static RuleRef evaluate(Settings eff, MessageFacts facts, Score score, List<String> failed, List<String> unknown,
      List<String> passed, String countrySource) {
    RuleRef rule = null;
    boolean explain = passed != null;
    // Success sentences are built only for explain: deciding must not pay for them.
    if (eff.isActive(Knob.MIN_TLS_VERSION)) {
      TlsVersion min = eff.get(Knob.MIN_TLS_VERSION, TlsVersion.class);
      String why = ourHopTls(facts, min);
      rule = record(eff, Knob.MIN_TLS_VERSION, why, failed, rule);
      Hop ours = why == null ? null : ourHop(facts);
      unknownIf(ours == null || ours.tlsVersion().isEmpty() && ours.saysTls(), why, unknown);
      if (why == null && explain) {
        Hop hop = ourHop(facts);
        passed.add(hop == null ? "the message never crossed a network (only local trusted hops): no TLS to check"
            : "our hop " + hop.label() + " used " + hop.tlsVersion().map(TlsVersion::canonical).orElse("TLS")
            + ", at or above " + min.canonical());
      }
    }
    if (eff.isActive(Knob.REQUIRE_TLS_ON_TRUSTED_HOPS)) {
      String why = trustedHopsTls(facts);
      rule = record(eff, Knob.REQUIRE_TLS_ON_TRUSTED_HOPS, why, failed, rule);
      unknownIf(why != null && !anyTrustedNetworkHop(facts), why, unknown);
      if (why == null && explain) {
        passed.add(neverCrossedNetwork(facts) ? "the message never crossed a network (only local trusted hops):"
            + " no TLS to check" : "TLS on every trusted hop that crossed a network");
      }
    }
    if (eff.isActive(Knob.MIN_SCORE)) {
      int min = eff.get(Knob.MIN_SCORE, Integer.class);
      String why = score.value() < min ? "privacy score " + score.value() + " is below " + min : null;
      rule = record(eff, Knob.MIN_SCORE, why, failed, rule);
      if (why == null && explain) {
        passed.add("privacy score " + score.value() + " >= " + min);
      }
    }
    if (eff.isActive(Knob.MIN_GRADE)) {
      Grade min = eff.get(Knob.MIN_GRADE, Grade.class);
      String why = score.grade().worseThan(min) ? "privacy grade " + score.grade() + " is worse than " + min : null;
      rule = record(eff, Knob.MIN_GRADE, why, failed, rule);
      if (why == null && explain) {
        passed.add("privacy grade " + score.grade() + " is " + min + " or better");
      }
    }
    if (eff.isActive(Knob.REQUIRE_ENCRYPTION)) {
      Settings.Requirement req = eff.get(Knob.REQUIRE_ENCRYPTION, Settings.Requirement.class);
      String why = encryption(facts.content().encrypted(), req);
      rule = record(eff, Knob.REQUIRE_ENCRYPTION, why, failed, rule);
      if (why == null && explain) {
        passed.add("end-to-end encrypted (" + facts.content().encrypted().token() + ")");
      }
    }
    if (eff.isActive(Knob.REQUIRE_SIGNED)) {
      // Only a signature verified over the whole message, by the From: address, anchored in what the admin
      // configured: a garbage or self-signed signature does not meet the requirement.
      String why = facts.content().signed() == Signature.NONE ? "message is not signed end to end"
          : facts.content().isSignatureVerified() ? null
          : "signature " + facts.content().signatureStatus().token() + " (" + facts.content().signatureDetail() + ")";
      rule = record(eff, Knob.REQUIRE_SIGNED, why, failed, rule);
      if (why == null && explain) {
        passed.add("signed end to end, verified (" + facts.content().signed().token() + ")");
      }
    }
    if (eff.isActive(Knob.REQUIRE_DKIM_PASS)) {
      String why = authFailure(facts, AuthMethod.DKIM, "DKIM");
      rule = record(eff, Knob.REQUIRE_DKIM_PASS, why, failed, rule);
      unknownIf(facts.auth().get(AuthMethod.DKIM).isEmpty(), why, unknown);
      if (why == null && explain) {
        passed.add("DKIM pass aligned with the From: domain");
      }
    }
    if (eff.isActive(Knob.REQUIRE_DMARC_PASS)) {
      String why = authFailure(facts, AuthMethod.DMARC, "DMARC");
      rule = record(eff, Knob.REQUIRE_DMARC_PASS, why, failed, rule);
      unknownIf(facts.auth().get(AuthMethod.DMARC).isEmpty(), why, unknown);
      if (why == null && explain) {
        passed.add("DMARC pass");
      }
    }
    if (eff.isActive(Knob.REQUIRE_JURISDICTIONS) || eff.isActive(Knob.DENY_JURISDICTIONS)) {
      String per = countrySource == null ? "the IP-to-country database" : countrySource;
      if (facts.direction() != Direction.INBOUND) {
        if (explain) {
          passed.add("jurisdictions are checked on inbound mail only, not " + facts.direction().token());
        }
      } else {
        if (eff.isActive(Knob.REQUIRE_JURISDICTIONS)) {
          JurisdictionList allowed = eff.get(Knob.REQUIRE_JURISDICTIONS, JurisdictionList.class);
          String why = requiredJurisdictions(facts, allowed, per);
          rule = record(eff, Knob.REQUIRE_JURISDICTIONS, why, failed, rule);
          unknownIf(why != null && !anyKnownCountryOutside(facts, allowed), why, unknown);
          if (why == null && explain) {
            passed.add("every trusted hop's address is registered in " + allowed.text() + " per " + per);
          }
        }
        if (eff.isActive(Knob.DENY_JURISDICTIONS)) {
          JurisdictionList denied = eff.get(Knob.DENY_JURISDICTIONS, JurisdictionList.class);
          String why = deniedJurisdictions(facts, denied, per);
          rule = record(eff, Knob.DENY_JURISDICTIONS, why, failed, rule);
          if (why == null && explain) {
            passed.add("no trusted hop's address is registered in " + denied.text() + " per " + per);
          }
        }
      }
    }
    // The rule that decided: the most specific block that set a failed requirement or the action; on a tie, the
    // one that set the action (what happens is what the admin looks for).
    if (rule != null && eff.has(Knob.ACTION) && eff.source(Knob.ACTION).specificity() >= rule.specificity()) {
      rule = eff.source(Knob.ACTION);
    }
    return rule;
  }

  /** Why a believed, aligned pass of {@code method} is missing; null when there is one. */
  private static String authFailure(MessageFacts facts, AuthMethod method, String name) {
    MethodResult r = facts.auth().get(method).orElse(null);
    if (r == null) {
      return name + " did not pass (no trusted result)";
    }
    if (r.alignedPass()) {
      return null;
    }
    if (r.result() == AuthResult.PASS) {
      return name + " passed for " + r.domain().orElse("an unnamed domain") + ", not the From: domain";
    }
    return name + " did not pass (" + r.result().token() + ")";
  }

  /** Notes a failure that rests on a missing fact rather than on a fact. */
  private static void unknownIf(boolean forWantOfAFact, String failure, List<String> unknown) {
    if (failure != null && forWantOfAFact && unknown != null) {
      unknown.add(failure);
    }
  }

  /** A trusted hop that is not local (the ones {@link #trustedHopsTls} checks). */
  private static boolean anyTrustedNetworkHop(MessageFacts facts) {
    for (Hop h : facts.hops()) {
      if (h.trust() != Trust.CLAIMED && !ScoreV2.isLocal(h)) {
        return true;
      }
    }
    return false;
  }

  /** A trusted hop registered in a country outside {@code allowed}: require_jurisdictions fails on a fact. */
  private static boolean anyKnownCountryOutside(MessageFacts facts, JurisdictionList allowed) {
    for (Hop h : facts.hops()) {
      if (h.trust() != Trust.CLAIMED && h.country().isPresent() && !allowed.contains(h.country().get())) {
        return true;
      }
    }
    return false;
  }

  private static RuleRef record(Settings eff, Knob k, String failure, List<String> failed, RuleRef rule) {
    if (failure == null) {
      return rule;
    }
    failed.add(failure);
    RuleRef source = eff.source(k);
    return rule == null || source.specificity() > rule.specificity() ? source : rule;
  }

  /**
   * The hop our own server received the message on, chosen exactly as the score chooses its entry hop
   * ({@link ScoreV2}): the first-hand connection when it crossed a network, else the oldest trusted (internal) hop
   * that did, at the top of the message. Local hops (a loopback client, a host handing the message to itself: LMTP
   * delivery into the mailbox, a content filter's reinjection on 127.0.0.1) are skipped, so stored mail and the live
   * milter name the same hop. Null when there is none.
   */
  static Hop ourHop(MessageFacts facts) {
    int entry = ScoreV2.entryIndex(facts.hops());
    return entry < 0 ? null : facts.hops().get(entry);
  }

  /**
   * Every hop is trusted and local: the message never crossed a network (the score gives such a transport full
   * marks), so there is no network hop whose TLS could fall short. A claimed hop anywhere means it came from
   * elsewhere by ways unknown.
   */
  static boolean neverCrossedNetwork(MessageFacts facts) {
    List<Hop> hops = facts.hops();
    if (hops.isEmpty()) {
      return false;
    }
    for (Hop h : hops) {
      if (h.trust() == Trust.CLAIMED || !ScoreV2.isLocal(h)) {
        return false;
      }
    }
    return true;
  }

  private static int leadingTrustedRun(List<Hop> hops) {
    int n = 0;
    while (n < hops.size() && hops.get(n).trust() != Trust.CLAIMED) {
      n++;
    }
    return n;
  }

  private static String ourHopTls(MessageFacts facts, TlsVersion min) {
    Hop hop = ourHop(facts);
    if (hop == null) {
      if (neverCrossedNetwork(facts)) {
        return null;
      }
      return (leadingTrustedRun(facts.hops()) > 0 ? "only local trusted hops (loopback, LMTP delivery) above"
          + " claimed ones: TLS on the hop that reached our server is unknown"
          : "no first-hand or internal hop: TLS on our hop is unknown") + " (need " + min.canonical() + ")";
    }
    if (hop.tlsVersion().isEmpty()) {
      return hop.saysTls() ? "TLS version on our hop is unknown (need " + min.canonical() + ")"
          : "no TLS on our hop (need " + min.canonical() + ")";
    }
    TlsVersion v = hop.tlsVersion().get();
    return v.atLeast(min) ? null : "our hop used " + v.canonical() + ", below " + min.canonical();
  }

  /**
   * Every trusted hop that crossed a network says TLS; local hops are skipped, as by the score. The hop is named by
   * its place and by our own host that received it, never by the name the client gave (its HELO): this sentence goes
   * into SMTP replies and header fields.
   */
  private static String trustedHopsTls(MessageFacts facts) {
    int trusted = 0;
    int place = 0;
    for (Hop h : facts.hops()) {
      place++;
      if (h.trust() == Trust.CLAIMED || ScoreV2.isLocal(h)) {
        continue;
      }
      trusted++;
      if (!h.saysTls()) {
        return "no TLS on " + h.trust().token() + " hop " + place + h.byHost().map(b -> " (received by " + b + ")")
            .orElse("");
      }
    }
    return trusted > 0 || neverCrossedNetwork(facts) ? null : "no trusted hop that crossed a network to check for"
        + " TLS";
  }

  /**
   * Every trusted hop whose address the database maps is in {@code allowed}; a trusted hop at a global address the
   * database does not map fails (unknown is not proof); private, loopback and link-local addresses without a
   * country are ours and skipped. At least one trusted hop must have a country.
   */
  private static String requiredJurisdictions(MessageFacts facts, JurisdictionList allowed, String per) {
    int known = 0;
    int index = 0;
    for (Hop h : facts.hops()) {
      index++;
      if (h.trust() == Trust.CLAIMED || h.fromIp().isEmpty()) {
        continue;
      }
      if (h.country().isPresent()) {
        known++;
        if (!allowed.contains(h.country().get())) {
          return hopText(index, h) + " is registered in " + h.country().get() + " per " + per
              + ", not in require_jurisdictions (" + allowed.text() + ")";
        }
      } else if (HopCountries.isGlobal(h.fromIp().get())) {
        return hopText(index, h) + " at " + h.fromIp().get() + " has no country in " + per
            + " (require_jurisdictions " + allowed.text() + ")";
      }
    }
    return known == 0 ? "no trusted hop has an address with a known country (require_jurisdictions "
        + allowed.text() + ")" : null;
  }

  /** No trusted hop's address is mapped to a country in {@code denied}; an address without a country is no proof. */
  private static String deniedJurisdictions(MessageFacts facts, JurisdictionList denied, String per) {
    int index = 0;
    for (Hop h : facts.hops()) {
      index++;
      if (h.trust() != Trust.CLAIMED && h.country().isPresent() && denied.contains(h.country().get())) {
        return hopText(index, h) + " is registered in " + h.country().get() + " per " + per
            + ", in deny_jurisdictions (" + denied.text() + ")";
      }
    }
    return null;
  }

  /** "first-hand hop 1 (mx.example → ours)". */
  private static String hopText(int index, Hop h) {
    return h.trust().token() + " hop " + index + " (" + h.label() + ")";
  }

  private static String encryption(Encryption found, Settings.Requirement req) {
    boolean pgp = found == Encryption.PGP_MIME || found == Encryption.PGP_INLINE;
    boolean smime = found == Encryption.SMIME;
    switch (req) {
      case PGP:
        return pgp ? null : found == Encryption.NONE ? "message is not end-to-end encrypted (pgp required)"
            : "message is encrypted as " + found.token() + ", pgp required";
      case SMIME:
        return smime ? null : found == Encryption.NONE ? "message is not end-to-end encrypted (smime required)"
            : "message is encrypted as " + found.token() + ", smime required";
      case ANY:
        return pgp || smime ? null : found == Encryption.NONE ? "message is not end-to-end encrypted"
            : "message is only partly end-to-end encrypted (" + found.token() + ")";
      default:
        return null;
    }
  }
}
