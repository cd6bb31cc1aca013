package org.caliop.header;

import java.util.ArrayList;
import java.util.List;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.score.Reason;
import org.caliop.score.Score;

/**
 * The header fields caliop writes, as RFC 8941 structured-field dictionaries (docs/headers.md). Every value is
 * 7-bit printable ASCII on one line whatever the input: text taken from the connection or the policy is sanitized
 * by {@link StructuredFields}.
 */
public final class CaliopHeaders {
  public static final String PRIVACY = "Caliop-Privacy";
  public static final String HOP = "Caliop-Hop";
  public static final String POLICY = "Caliop-Policy";

  /** At most this many distinct reason codes go into {@code Caliop-Privacy}, keeping the line short. */
  static final int MAX_REASON_CODES = 24;
  /** At most this many policy reasons go into {@code Caliop-Policy}. */
  static final int MAX_POLICY_REASONS = 4;

  private CaliopHeaders() {
  }

  /** Our fields, top first: Caliop-Privacy, then Caliop-Policy when a rule matched, then Caliop-Hop. */
  public static List<HeaderEdit> render(MessageFacts facts, Score score, Decision decision) {
    List<HeaderEdit> out = new ArrayList<>(3);
    out.add(HeaderEdit.add(PRIVACY, privacy(facts, score)));
    if (hasPolicyField(decision)) {
      out.add(HeaderEdit.add(POLICY, policy(decision)));
    }
    facts.connection().ifPresent(c -> out.add(HeaderEdit.add(HOP, hop(c, inboundCountry(facts)))));
    return out;
  }

  /** {@code score=71, grade=B, v=2, reasons=(...), encrypted=none, signed=none, hops=3}. */
  public static String privacy(MessageFacts facts, Score score) {
    StructuredFields.DictionaryWriter d = StructuredFields.dictionary()
        .integer("score", score.value())
        .token("grade", score.grade().name());
    String v = score.version();
    if (isSmallNumber(v)) {
      d.integer("v", Long.parseLong(v));
    } else {
      d.string("v", v);
    }
    d.tokens("reasons", reasonCodes(score.reasons()));
    d.token("encrypted", facts.content().encrypted().token());
    d.token("signed", facts.content().signed().token());
    d.integer("hops", facts.hops().size());
    return d.toString();
  }

  /** Our first-hand record: {@code ip="...", helo="...", tls=TLSv1.3, cipher="...", auth=?0, by="...", id="..."}. */
  public static String hop(ConnectionFacts c) {
    return hop(c, null);
  }

  /**
   * As {@link #hop(ConnectionFacts)}, with {@code cc} (and {@code ccdb}, the database and its date) after {@code ip}
   * when {@code country} is the first-hand hop's.
   */
  public static String hop(ConnectionFacts c, Hop country) {
    StructuredFields.DictionaryWriter d = StructuredFields.dictionary();
    c.clientName().ifPresent(v -> d.string("from", v));
    c.clientAddress().ifPresent(v -> d.string("ip", v.toString()));
    if (country != null && country.country().isPresent()) {
      d.token("cc", country.country().get());
      country.countrySource().ifPresent(v -> d.string("ccdb", v));
    }
    c.helo().ifPresent(v -> d.string("helo", v));
    c.protocol().ifPresent(v -> d.token("proto", v.name()));
    if (c.tlsVersion().isPresent()) {
      d.token("tls", c.tlsVersion().get().canonical());
    } else {
      d.token("tls", c.tls() ? "unknown" : "none");
    }
    c.cipher().ifPresent(v -> d.string("cipher", v));
    c.cipherBits().filter(b -> b > 0 && b < 100_000).ifPresent(v -> d.integer("bits", v));
    // Whether the client authenticated, never who: the login name does not belong in every recipient's headers.
    d.bool("auth", c.authUser().isPresent());
    d.bool("cert", c.certSubject().isPresent());
    c.receivedBy().ifPresent(v -> d.string("by", v));
    c.queueId().ifPresent(v -> d.string("id", v));
    return d.toString();
  }

  /**
   * The first-hand hop when it has a country and the mail is inbound; else null. Outbound and internal mail carry no
   * details of the submitter beyond what they already did.
   */
  private static Hop inboundCountry(MessageFacts facts) {
    if (facts.direction() != Direction.INBOUND) {
      return null;
    }
    for (Hop h : facts.hops()) {
      if (h.trust() == Trust.FIRSTHAND) {
        return h.country().isPresent() ? h : null;
      }
    }
    return null;
  }

  /** {@code action=reject, dry-run, rule="policy.yml:12", why=("...")}. */
  public static String policy(Decision decision) {
    StructuredFields.DictionaryWriter d = StructuredFields.dictionary()
        .token("action", decision.policyAction().token())
        .bool("dry-run", decision.dryRun());
    decision.rule().ifPresent(r -> d.string("rule", r));
    List<String> why = decision.reasons();
    if (!why.isEmpty()) {
      d.strings("why", why.size() > MAX_POLICY_REASONS ? why.subList(0, MAX_POLICY_REASONS) : why);
    }
    return d.toString();
  }

  static boolean hasPolicyField(Decision decision) {
    return decision.rule().isPresent() || decision.dryRun() || decision.policyAction() != Action.ACCEPT;
  }

  /** Distinct codes in order of first appearance; codes that are not sf-tokens are left out. */
  static List<String> reasonCodes(List<Reason> reasons) {
    List<String> codes = new ArrayList<>(Math.min(reasons.size(), MAX_REASON_CODES));
    for (Reason r : reasons) {
      String code = r.code();
      if (codes.size() < MAX_REASON_CODES && StructuredFields.isToken(code) && !codes.contains(code)) {
        codes.add(code);
      }
    }
    return codes;
  }

  private static boolean isSmallNumber(String v) {
    if (v.isEmpty() || v.length() > 9) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
