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
import org.caliop.score.ScoreV2;

/**
 * The header fields caliop writes, as RFC 8941 structured-field dictionaries (docs/headers.md). Every value is
 * 7-bit printable ASCII on one line whatever the input: text taken from the connection or the policy is sanitized
 * by {@link StructuredFields}.
 */
public final class CaliopHeaders {
  public static final String PRIVACY = "Caliop-Privacy";
  public static final String HOP = "Caliop-Hop";
  public static final String POLICY = "Caliop-Policy";
  public static final String PATH = "Caliop-Path";

  /** At most this many distinct reason codes go into {@code Caliop-Privacy}, keeping the line short. */
  static final int MAX_REASON_CODES = 24;
  /** At most this many policy reasons go into {@code Caliop-Policy}. */
  static final int MAX_POLICY_REASONS = 4;
  /** At most this many hops go into {@code Caliop-Path}; {@code hops=} of {@code Caliop-Privacy} gives them all. */
  static final int MAX_PATH_HOPS = 8;
  /** A host name in {@code Caliop-Path} is cut to this many characters. */
  static final int MAX_PATH_HOST = 64;
  /** RFC 5322 section 2.1.1: a line is at most 998 characters; {@code Caliop-Path} stays on one. */
  static final int MAX_LINE = 998;

  private CaliopHeaders() {
  }

  /** As {@link #render(MessageFacts, Score, Decision, String)} with no stamper name of our own. */
  public static List<HeaderEdit> render(MessageFacts facts, Score score, Decision decision) {
    return render(facts, score, decision, true, null);
  }

  /** As {@link #render(MessageFacts, Score, Decision, boolean, String)} with all first-hand details. */
  public static List<HeaderEdit> render(MessageFacts facts, Score score, Decision decision, String stamper) {
    return render(facts, score, decision, true, stamper);
  }

  /**
   * Our fields, top first: Caliop-Privacy, then Caliop-Policy when a rule matched, then Caliop-Path (inbound mail),
   * then Caliop-Hop. Without {@code firstHandDetails} (mail from our own users, unless the admin asks for them)
   * {@code Caliop-Hop} leaves out the client's address, name and HELO and {@code Caliop-Policy} the rule's file and
   * line: they would tell every recipient where the sender sat and how our policy is laid out.
   *
   * @param stamper the name of our server when no connection names it ({@code caliop stamp --by}), or null
   */
  public static List<HeaderEdit> render(MessageFacts facts, Score score, Decision decision, boolean firstHandDetails,
      String stamper) {
    List<HeaderEdit> out = new ArrayList<>(4);
    out.add(HeaderEdit.add(PRIVACY, privacy(facts, score, stamperName(facts, stamper))));
    if (hasPolicyField(decision)) {
      out.add(HeaderEdit.add(POLICY, policy(decision, firstHandDetails)));
    }
    // The path names the hosts a message came through: for inbound mail only. Submitted mail (outbound or to our
    // own users) would carry the submitter's addresses to every recipient.
    if (facts.direction() == Direction.INBOUND && !facts.hops().isEmpty()) {
      out.add(HeaderEdit.add(PATH, path(facts.hops())));
    }
    facts.connection().ifPresent(c -> out.add(HeaderEdit.add(HOP, hop(c, firstHandDetails, inboundCountry(facts)))));
    return out;
  }

  /**
   * The name of the server writing our fields, for {@code by=}: the host name our MTA gave (Postfix's {@code j}
   * macro, James's HELO name), else {@code stamper}. Never on outbound mail: its readers are not our users, and no
   * client of theirs trusts our server.
   */
  static String stamperName(MessageFacts facts, String stamper) {
    if (facts.direction() == Direction.OUTBOUND) {
      return null;
    }
    return facts.connection().flatMap(ConnectionFacts::receivedBy).orElse(stamper);
  }

  /** {@code score=71, grade=B, v=2, reasons=(...), encrypted=none, signed=none, hops=3}. */
  public static String privacy(MessageFacts facts, Score score) {
    return privacy(facts, score, null);
  }

  /** As {@link #privacy(MessageFacts, Score)}, with {@code by="..."} at the end when {@code by} is not null. */
  public static String privacy(MessageFacts facts, Score score, String by) {
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
    if (by != null && !by.isEmpty()) {
      d.string("by", by);
    }
    return d.toString();
  }

  /**
   * {@code Caliop-Path}: one item per hop, newest first, the trust label with what the hop says. At most
   * {@link #MAX_PATH_HOPS} items, and the whole field (name, colon, space, value) at most {@link #MAX_LINE}
   * characters: items past either bound are left out whole.
   */
  public static String path(List<Hop> hops) {
    int budget = MAX_LINE - PATH.length() - 2;
    StringBuilder out = new StringBuilder(256);
    int written = 0;
    for (Hop hop : hops) {
      if (written == MAX_PATH_HOPS) {
        break;
      }
      String member = pathMember(hop);
      int separator = written == 0 ? 0 : 2;
      if (out.length() + separator + member.length() > budget) {
        break;
      }
      if (separator > 0) {
        out.append(", ");
      }
      out.append(member);
      written++;
    }
    return out.toString();
  }

  /** {@code internal;tls=TLSv1.3;proto=ESMTPSA;auth;from="relay.example.org";cc=DE}: the parameters of docs/headers.md. */
  static String pathMember(Hop hop) {
    StructuredFields.ListWriter w = StructuredFields.list().token(hop.trust().token());
    if (!hop.parsed()) {
      return w.param("parsed", false).toString();
    }
    String tls = pathTls(hop);
    if (tls != null) {
      w.param("tls", StructuredFields.Token.of(tls));
    }
    if (ScoreV2.isLocal(hop)) {
      w.param("local", true);
    }
    hop.protocol().ifPresent(p -> w.param("proto", StructuredFields.Token.of(p.name())));
    if (hop.authenticated()) {
      w.param("auth", true);
    }
    // What the receiving side determined (reverse DNS, address) before what the client said (its HELO name).
    String from = hop.fromRdns().orElse(hop.fromIp().map(Object::toString).orElse(hop.fromHost().orElse(null)));
    if (from != null) {
      w.param("from", from.length() > MAX_PATH_HOST ? from.substring(0, MAX_PATH_HOST) : from);
    }
    hop.country().filter(c -> c.length() == 2 && StructuredFields.isToken(c))
        .ifPresent(c -> w.param("cc", StructuredFields.Token.of(c)));
    return w.toString();
  }

  /** The hop's TLS as a token: a version, {@code unknown} (TLS without version), {@code none}, or null (not said). */
  private static String pathTls(Hop hop) {
    if (hop.tlsVersion().isPresent()) {
      return hop.tlsVersion().get().canonical();
    }
    if (hop.saysTls()) {
      return "unknown";
    }
    // Our own MTA reports TLS whenever it was on, so our first-hand hop without it was in clear.
    if (hop.trust() == Trust.FIRSTHAND || hop.saysClear()) {
      return "none";
    }
    return null;
  }

  /** Our first-hand record: {@code ip="...", helo="...", tls=TLSv1.3, cipher="...", auth=?0, by="...", id="..."}. */
  public static String hop(ConnectionFacts c) {
    return hop(c, true, null);
  }

  /**
   * As {@link #hop(ConnectionFacts)}, with {@code cc} (and {@code ccdb}, the database and its date) after {@code ip}
   * when {@code country} is the first-hand hop's.
   */
  public static String hop(ConnectionFacts c, Hop country) {
    return hop(c, true, country);
  }

  /** Without {@code client}: no {@code from}, {@code ip} or {@code helo} (mail from our own users going out). */
  public static String hop(ConnectionFacts c, boolean client, Hop country) {
    StructuredFields.DictionaryWriter d = StructuredFields.dictionary();
    if (client) {
      c.clientName().ifPresent(v -> d.string("from", v));
      c.clientAddress().ifPresent(v -> d.string("ip", v.toString()));
    }
    if (country != null && country.country().isPresent()) {
      d.token("cc", country.country().get());
      country.countrySource().ifPresent(v -> d.string("ccdb", v));
    }
    if (client) {
      c.helo().ifPresent(v -> d.string("helo", v));
    }
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
    return policy(decision, true);
  }

  /** Without {@code rule}: no {@code rule=}. */
  public static String policy(Decision decision, boolean rule) {
    StructuredFields.DictionaryWriter d = StructuredFields.dictionary()
        .token("action", decision.policyAction().token())
        .bool("dry-run", decision.dryRun());
    if (rule) {
      decision.rule().ifPresent(r -> d.string("rule", r));
    }
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
