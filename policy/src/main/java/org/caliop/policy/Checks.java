package org.caliop.policy;

import java.util.List;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.mime.Encryption;
import org.caliop.mime.Signature;
import org.caliop.score.Grade;
import org.caliop.score.Score;

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
    RuleRef rule = null;
    boolean explain = passed != null;
    // Success sentences are built only for explain: deciding must not pay for them.
    if (eff.isActive(Knob.MIN_TLS_VERSION)) {
      TlsVersion min = (TlsVersion) eff.get(Knob.MIN_TLS_VERSION);
      String why = ourHopTls(facts, min);
      rule = record(eff, Knob.MIN_TLS_VERSION, why, failed, rule);
      if (why == null && explain) {
        passed.add("our hop used TLS at or above " + min.canonical());
      }
    }
    if (eff.isActive(Knob.REQUIRE_TLS_ON_TRUSTED_HOPS)) {
      String why = trustedHopsTls(facts);
      rule = record(eff, Knob.REQUIRE_TLS_ON_TRUSTED_HOPS, why, failed, rule);
      if (why == null && explain) {
        passed.add("TLS on every trusted hop");
      }
    }
    if (eff.isActive(Knob.MIN_SCORE)) {
      int min = (Integer) eff.get(Knob.MIN_SCORE);
      String why = score.value() < min ? "privacy score " + score.value() + " is below " + min : null;
      rule = record(eff, Knob.MIN_SCORE, why, failed, rule);
      if (why == null && explain) {
        passed.add("privacy score " + score.value() + " >= " + min);
      }
    }
    if (eff.isActive(Knob.MIN_GRADE)) {
      Grade min = (Grade) eff.get(Knob.MIN_GRADE);
      String why = score.grade().worseThan(min) ? "privacy grade " + score.grade() + " is worse than " + min : null;
      rule = record(eff, Knob.MIN_GRADE, why, failed, rule);
      if (why == null && explain) {
        passed.add("privacy grade " + score.grade() + " is " + min + " or better");
      }
    }
    if (eff.isActive(Knob.REQUIRE_ENCRYPTION)) {
      Settings.Requirement req = (Settings.Requirement) eff.get(Knob.REQUIRE_ENCRYPTION);
      String why = encryption(facts.content().encrypted(), req);
      rule = record(eff, Knob.REQUIRE_ENCRYPTION, why, failed, rule);
      if (why == null && explain) {
        passed.add("end-to-end encrypted (" + facts.content().encrypted().token() + ")");
      }
    }
    if (eff.isActive(Knob.REQUIRE_SIGNED)) {
      String why = facts.content().signed() == Signature.NONE ? "message is not signed end to end" : null;
      rule = record(eff, Knob.REQUIRE_SIGNED, why, failed, rule);
      if (why == null && explain) {
        passed.add("signed end to end (" + facts.content().signed().token() + ")");
      }
    }
    if (eff.isActive(Knob.REQUIRE_DKIM_PASS)) {
      String dkim = facts.auth().dkim().orElse(null);
      String why = "pass".equals(dkim) ? null
          : "DKIM did not pass (" + (dkim == null ? "no trusted result" : dkim) + ")";
      rule = record(eff, Knob.REQUIRE_DKIM_PASS, why, failed, rule);
      if (why == null && explain) {
        passed.add("DKIM pass");
      }
    }
    if (eff.isActive(Knob.REQUIRE_DMARC_PASS)) {
      String dmarc = facts.auth().dmarc().orElse(null);
      String why = "pass".equals(dmarc) ? null
          : "DMARC did not pass (" + (dmarc == null ? "no trusted result" : dmarc) + ")";
      rule = record(eff, Knob.REQUIRE_DMARC_PASS, why, failed, rule);
      if (why == null && explain) {
        passed.add("DMARC pass");
      }
    }
    // The rule that decided: the most specific block that set a failed requirement or the action; on a tie, the
    // one that set the action (what happens is what the admin looks for).
    if (rule != null && eff.has(Knob.ACTION) && eff.source(Knob.ACTION).specificity() >= rule.specificity()) {
      rule = eff.source(Knob.ACTION);
    }
    return rule;
  }

  private static RuleRef record(Settings eff, Knob k, String failure, List<String> failed, RuleRef rule) {
    if (failure == null) {
      return rule;
    }
    failed.add(failure);
    RuleRef source = eff.source(k);
    return rule == null || source.specificity() > rule.specificity() ? source : rule;
  }

  /** The hop our own server received the message on: first-hand, or else the newest internal one. */
  static Hop ourHop(MessageFacts facts) {
    Hop internal = null;
    for (Hop h : facts.hops()) {
      if (h.trust() == Trust.FIRSTHAND) {
        return h;
      }
      if (internal == null && h.trust() == Trust.INTERNAL) {
        internal = h;
      }
    }
    return internal;
  }

  private static String ourHopTls(MessageFacts facts, TlsVersion min) {
    Hop hop = ourHop(facts);
    if (hop == null) {
      return "no first-hand or internal hop: TLS on our hop is unknown (need " + min.canonical() + ")";
    }
    if (hop.tlsVersion().isEmpty()) {
      return hop.saysTls() ? "TLS version on our hop is unknown (need " + min.canonical() + ")"
          : "no TLS on our hop (need " + min.canonical() + ")";
    }
    TlsVersion v = hop.tlsVersion().get();
    return v.atLeast(min) ? null : "our hop used " + v.canonical() + ", below " + min.canonical();
  }

  /**
   * The hop is named by its place and by our own host that received it, never by the name the client gave (its HELO):
   * this sentence goes into SMTP replies and header fields.
   */
  private static String trustedHopsTls(MessageFacts facts) {
    int trusted = 0;
    int place = 0;
    for (Hop h : facts.hops()) {
      place++;
      if (h.trust() == Trust.CLAIMED) {
        continue;
      }
      trusted++;
      if (!h.saysTls()) {
        return "no TLS on " + h.trust().token() + " hop " + place + h.byHost().map(b -> " (received by " + b + ")")
            .orElse("");
      }
    }
    return trusted == 0 ? "no trusted hop to check for TLS" : null;
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
