package org.caliop.header;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why caliop held a message, as the {@code Caliop-Hold} field it writes into the held copy (docs/headers.md): the
 * MTA's hold queue keeps no reason of its own (Postfix only logs a milter's), so {@code caliop hold list} reads it
 * back from the queued message. An RFC 8941 dictionary on one line:
 *
 * <pre>
 * Caliop-Hold: direction=outbound, reason="no key for bob@example.net", action=encrypt, rule="policy.yaml:12",
 *  missing=("bob@example.net"), by="mx.example.org", id="4F1A2B3C", at=1796332067
 * </pre>
 *
 * <p>It never leaves our servers: a released message is judged again, and that judgement removes every
 * {@code Caliop-*} field it finds, this one included. Postfix's {@code milter_header_checks} see it because a milter
 * added it, so a message cannot name its own release route by carrying one (examples/postfix/caliop-hold).
 */
public final class HoldRecord {
  public static final String FIELD = "Caliop-Hold";
  /** The whole field, name and colon included, stays within one RFC 5322 line. */
  static final int MAX_LINE = 998;

  private final String reason;
  private final String action;
  private final String rule;
  private final List<String> missing;
  private final int missingTotal;
  private final String direction;
  private final String by;
  private final String queueId;
  private final Instant at;

  private HoldRecord(Builder b) {
    this.reason = b.reason;
    this.action = b.action;
    this.rule = b.rule;
    this.missing = List.copyOf(b.missing);
    this.missingTotal = Math.max(b.missingTotal, b.missing.size());
    this.direction = b.direction;
    this.by = b.by;
    this.queueId = b.queueId;
    this.at = b.at;
  }

  /** @param reason why, as the engine says it ({@code caliop: no key for ...}; the {@code caliop: } goes) */
  public static Builder builder(String reason) {
    return new Builder(reason);
  }

  public String reason() { return reason; }
  /** The action the rule asked for ({@code hold}, or {@code encrypt} when a key was missing). */
  public Optional<String> action() { return Optional.ofNullable(action); }
  /** The rule's name or {@code file:line}. */
  public Optional<String> rule() { return Optional.ofNullable(rule); }
  /** The recipients without a usable key, as many as fit on the line. */
  public List<String> missing() { return missing; }
  /** How many recipients had no key, including those the line had no room for. */
  public int missingTotal() { return missingTotal; }
  /** {@code inbound}, {@code outbound} or {@code internal}: which re-injection path a release takes. */
  public Optional<String> direction() { return Optional.ofNullable(direction); }
  /** The host that held it. */
  public Optional<String> by() { return Optional.ofNullable(by); }
  /** The queue id under which it was held. */
  public Optional<String> queueId() { return Optional.ofNullable(queueId); }
  public Optional<Instant> at() { return Optional.ofNullable(at); }

  /**
   * The field value. Every text is sanitized and cut by {@link StructuredFields}; recipients past what fits in one
   * line are left out and counted in {@code missing-total}.
   */
  public String render() {
    // direction first: Postfix's milter_header_checks route a held copy by it, with a pattern anchored at the start
    // of the value, so nothing in a reason (which may quote a recipient's address) can pose as it.
    StructuredFields.DictionaryWriter w = StructuredFields.dictionary();
    if (direction != null) {
      w.token("direction", direction);
    }
    w.string("reason", reason);
    if (action != null) {
      w.token("action", action);
    }
    if (rule != null) {
      w.string("rule", rule);
    }
    StructuredFields.DictionaryWriter tail = StructuredFields.dictionary();
    if (by != null) {
      tail.string("by", by);
    }
    if (queueId != null) {
      tail.string("id", queueId);
    }
    if (at != null) {
      tail.integer("at", at.getEpochSecond());
    }
    int budget = MAX_LINE - FIELD.length() - 2 - w.toString().length() - tail.toString().length() - 64;
    List<String> listed = new ArrayList<>();
    int used = 0;
    for (String m : missing) {
      int cost = StructuredFields.string(m).length() + 1;
      if (used + cost > budget) {
        break;
      }
      listed.add(m);
      used += cost;
    }
    if (!missing.isEmpty()) {
      w.strings("missing", listed);
      if (listed.size() < missingTotal) {
        w.integer("missing-total", missingTotal);
      }
    } else if (missingTotal > 0) {
      w.integer("missing-total", missingTotal);
    }
    String head = w.toString();
    String rest = tail.toString();
    return rest.isEmpty() ? head : head + ", " + rest;
  }

  /**
   * Reads a field value back; empty when it is not a {@code Caliop-Hold} value (not a dictionary, or no
   * {@code reason}). Unknown keys are ignored, as readers of our fields must.
   */
  public static Optional<HoldRecord> parse(String value) {
    Map<String, Object> d;
    try {
      d = StructuredFields.parseDictionary(value == null ? "" : value.trim());
    } catch (StructuredFields.ParseException e) {
      return Optional.empty();
    }
    Optional<String> reason = text(d.get("reason"));
    if (reason.isEmpty()) {
      return Optional.empty();
    }
    Builder b = builder(reason.get());
    text(d.get("action")).ifPresent(b::action);
    text(d.get("rule")).ifPresent(b::rule);
    text(d.get("direction")).ifPresent(b::direction);
    text(d.get("by")).ifPresent(b::by);
    text(d.get("id")).ifPresent(b::queueId);
    Object at = item(d.get("at"));
    if (at instanceof Long && (Long) at >= 0) {
      b.at(Instant.ofEpochSecond((Long) at));
    }
    List<String> missing = new ArrayList<>();
    if (d.get("missing") instanceof StructuredFields.InnerList) {
      for (StructuredFields.Item i : ((StructuredFields.InnerList) d.get("missing")).items()) {
        text(i).ifPresent(missing::add);
      }
    }
    b.missing(missing);
    Object total = item(d.get("missing-total"));
    if (total instanceof Long && (Long) total >= 0 && (Long) total <= Integer.MAX_VALUE) {
      b.missingTotal((int) (long) (Long) total);
    }
    return Optional.of(b.build());
  }

  private static Object item(Object member) {
    return member instanceof StructuredFields.Item ? ((StructuredFields.Item) member).value() : null;
  }

  private static Optional<String> text(Object member) {
    Object v = item(member);
    if (v instanceof String || v instanceof StructuredFields.Token) {
      String s = v.toString().trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HoldRecord)) {
      return false;
    }
    HoldRecord h = (HoldRecord) o;
    return reason.equals(h.reason) && Objects.equals(action, h.action) && Objects.equals(rule, h.rule)
        && missing.equals(h.missing) && missingTotal == h.missingTotal && Objects.equals(direction, h.direction)
        && Objects.equals(by, h.by) && Objects.equals(queueId, h.queueId) && Objects.equals(at, h.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, action, rule, missing, missingTotal, direction, by, queueId, at);
  }

  @Override
  public String toString() {
    return render();
  }

  /** Every part but the reason is optional. */
  public static final class Builder {
    private final String reason;
    private String action;
    private String rule;
    private List<String> missing = Collections.emptyList();
    private int missingTotal;
    private String direction;
    private String by;
    private String queueId;
    private Instant at;

    private Builder(String reason) {
      String r = reason == null ? "" : reason.trim();
      if (r.regionMatches(true, 0, "caliop:", 0, 7)) {
        r = r.substring(7).trim();
      }
      this.reason = r.isEmpty() ? "held by policy" : r;
    }

    /** A token ({@code hold}, {@code encrypt}); anything else is left out. */
    public Builder action(String v) { action = token(v); return this; }
    public Builder rule(String v) { rule = blankToNull(v); return this; }
    public Builder missing(List<String> v) { missing = List.copyOf(v); return this; }
    public Builder missingTotal(int v) { missingTotal = Math.max(0, v); return this; }
    /** A token ({@code inbound}, {@code outbound}, {@code internal}); anything else is left out. */
    public Builder direction(String v) { direction = token(v); return this; }
    public Builder by(String v) { by = blankToNull(v); return this; }
    public Builder queueId(String v) { queueId = blankToNull(v); return this; }
    public Builder at(Instant v) { at = v; return this; }

    public HoldRecord build() {
      return new HoldRecord(this);
    }

    private static String token(String v) {
      String t = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
      return StructuredFields.isToken(t) ? t : null;
    }

    private static String blankToNull(String v) {
      return v == null || v.isBlank() ? null : v.trim();
    }
  }
}
