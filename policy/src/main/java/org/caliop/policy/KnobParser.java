package org.caliop.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.SmimeAlgorithms;
import org.caliop.hop.TlsVersion;
import org.caliop.score.Grade;

/**
 * Reads the keys of a rule block ({@link Knob}s, and the {@code encrypt:} mapping) into {@link Settings}: each value
 * parsed into its type once, here, with an error naming the key and what it may be. Remembers every action written,
 * so the compiled policy can say what a message may end in.
 */
final class KnobParser {
  static final List<String> ENCRYPT_KEYS = List.of("format", "on_missing_key", "on_failure",
      "split_per_recipient", "outer_subject", "smime_key_transport", "smime_content");
  private static final List<String> ACTIONS = List.of("accept", "tag", "reject", "tempfail", "hold", "quarantine",
      "redirect", "encrypt");
  private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

  private final PolicyTree tree;
  private final ProblemSink problems;
  private final YamlIndex index;
  /** trust.geoip_database was given and opened: jurisdiction requirements can be checked. */
  private final boolean countryDatabaseConfigured;
  /** Every value of action, on_missing_key and on_failure written anywhere: what the policy may end in. */
  private final Set<Action> actionValues = EnumSet.noneOf(Action.class);
  private final Set<Action> fallbackValues = EnumSet.noneOf(Action.class);

  KnobParser(PolicyTree tree, ProblemSink problems, YamlIndex index, boolean countryDatabaseConfigured) {
    this.tree = tree;
    this.problems = problems;
    this.index = index;
    this.countryDatabaseConfigured = countryDatabaseConfigured;
  }

  /** Every value of {@code action} written so far. */
  Set<Action> actionValues() {
    return actionValues;
  }

  /** Every value of {@code encrypt.on_missing_key} and {@code encrypt.on_failure} written so far. */
  Set<Action> fallbackValues() {
    return fallbackValues;
  }

  /** One key of a rule block (not a direction block, {@code name} or {@code applies_to}), set into {@code b}. */
  void ruleKey(Settings.Builder b, List<String> path, String name, List<ImmutableNode> nodes, RuleRef ref) {
    if (name.equals("encrypt")) {
      ImmutableNode en = tree.mapNode(path, nodes);
      if (en == null) {
        return;
      }
      for (Map.Entry<String, List<ImmutableNode>> e : tree.children(en, path).entrySet()) {
        List<String> p = PolicyTree.append(path, e.getKey());
        if (!ENCRYPT_KEYS.contains(e.getKey())) {
          problems.unknownKey(p, e.getKey(), ENCRYPT_KEYS, "in encrypt");
          continue;
        }
        Knob k = Knob.byKey(Knob.ENCRYPT_PREFIX + e.getKey()).orElseThrow();
        setKnob(b, k, p, e.getValue(), ref);
      }
      return;
    }
    Knob k = Knob.byKey(name).filter(x -> !x.key().startsWith(Knob.ENCRYPT_PREFIX)).orElse(null);
    if (k == null) {
      List<String> known = new ArrayList<>();
      for (Knob x : Knob.values()) {
        if (!x.key().startsWith(Knob.ENCRYPT_PREFIX)) {
          known.add(x.key());
        }
      }
      known.addAll(List.of("encrypt", "inbound", "outbound", "internal", "applies_to"));
      problems.unknownKey(path, name, known, "in a rule");
      return;
    }
    setKnob(b, k, path, nodes, ref);
  }

  private void setKnob(Settings.Builder b, Knob k, List<String> path, List<ImmutableNode> nodes, RuleRef ref) {
    if (k == Knob.REQUIRE_JURISDICTIONS || k == Knob.DENY_JURISDICTIONS) {
      Object v = jurisdictions(k, path, nodes);
      if (v != null) {
        YamlIndex.Loc loc = index.at(path);
        b.set(k, v, ref, loc.line, loc.column);
      }
      return;
    }
    Object raw = tree.scalar(path, nodes);
    if (raw == null) {
      if (index.kind(path) == YamlIndex.Kind.NULL) {
        problems.error(path, k.key() + " has no value");
      }
      return;
    }
    Object v = parse(k, raw, path);
    if (v instanceof Action) {
      (k == Knob.ACTION ? actionValues : fallbackValues).add((Action) v);
    }
    if (k == Knob.ENCRYPT_SPLIT_PER_RECIPIENT && Boolean.TRUE.equals(v)) {
      problems.warning(path, "split_per_recipient: James sends one copy per recipient; the milter cannot split a"
          + " message and encrypts one copy to every recipient's key (OpenPGP: the key ids of recipients not named in"
          + " To or Cc hidden; S/MIME: every recipient's certificate listed)");
    }
    if (v != null) {
      YamlIndex.Loc loc = index.at(path);
      b.set(k, v, ref, loc.line, loc.column);
    }
  }

  /**
   * {@code require_jurisdictions} / {@code deny_jurisdictions}: a list of country codes and group names, or
   * {@code none} to switch an inherited one off. They need {@code trust.geoip_database}.
   */
  private Object jurisdictions(Knob k, List<String> path, List<ImmutableNode> nodes) {
    if (nodes.size() == 1 && nodes.get(0).getChildren().isEmpty() && nodes.get(0).getValue() != null
        && String.valueOf(nodes.get(0).getValue()).trim().equalsIgnoreCase("none")) {
      return Settings.Off.OFF;
    }
    int before = problems.count();
    List<String> entries = tree.checkedList(path, nodes, JurisdictionList::problem);
    if (problems.count() > before) {
      return null;
    }
    if (entries.isEmpty()) {
      problems.error(path, k.key() + " has no value (a list of country codes or groups such as EU, or none)");
      return null;
    }
    if (!countryDatabaseConfigured) {
      problems.error(path, k.key() + " needs trust.geoip_database (an IP-to-country database, see"
          + " docs/provenance.md)");
      return null;
    }
    String block = outboundOrInternal(path);
    if (block != null) {
      problems.warning(path, k.key() + " in an " + block + " block is never checked: jurisdictions are checked on"
          + " inbound mail only");
    }
    return JurisdictionList.of(entries);
  }

  /** The value of {@code k} written as {@code raw}, in its type; null (with an error) when it is not one. */
  private Object parse(Knob k, Object raw, List<String> path) {
    String text = String.valueOf(raw).trim();
    switch (k) {
      case ACTION: {
        Action a = raw instanceof String ? Action.parse(text).orElse(null) : null;
        if (a == null) {
          String near = KeyHints.nearest(text, ACTIONS);
          problems.error(path, "unknown action '" + text + "' (" + (near != null ? "did you mean '" + near + "'?"
              : "expected accept, tag, reject, tempfail, hold (or quarantine), redirect or encrypt") + ")");
        }
        return a;
      }
      case MIN_TLS_VERSION: {
        if (text.equalsIgnoreCase("none")) {
          return Settings.Off.OFF;
        }
        TlsVersion v = raw instanceof String ? TlsVersion.parse(text).orElse(null) : null;
        if (v == null) {
          problems.error(path, "min_tls_version must be TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3 or none, not '" + text
              + "'");
        }
        return v;
      }
      case MIN_SCORE: {
        if (!(raw instanceof Integer) || (Integer) raw < 0 || (Integer) raw > 100) {
          problems.error(path, "min_score must be a whole number from 0 to 100, not '" + text + "'");
          return null;
        }
        return raw;
      }
      case MIN_GRADE: {
        if (text.equalsIgnoreCase("none")) {
          return Settings.Off.OFF;
        }
        Grade g = raw instanceof String ? Grade.parse(text).orElse(null) : null;
        if (g == null) {
          problems.error(path, "min_grade must be A, B, C, D, E or none, not '" + text + "'");
        }
        return g;
      }
      case REQUIRE_ENCRYPTION: {
        if (raw instanceof Boolean) {
          return (Boolean) raw ? Settings.Requirement.ANY : Settings.Requirement.NONE;
        }
        Settings.Requirement r = ValueChecks.parseEnum(Settings.Requirement.class, text);
        if (r == null) {
          problems.error(path, "require_encryption must be none, pgp, smime or any, not '" + text + "'");
        }
        return r;
      }
      case REQUIRE_TLS_ON_TRUSTED_HOPS:
      case REQUIRE_SIGNED:
      case REQUIRE_DKIM_PASS:
      case REQUIRE_DMARC_PASS:
      case ENCRYPT_SPLIT_PER_RECIPIENT: {
        if (!(raw instanceof Boolean)) {
          problems.error(path, keyName(k) + " must be true or false, not '" + text + "'");
          return null;
        }
        return raw;
      }
      case REPLY_CODE: {
        if (!(raw instanceof Integer) || (Integer) raw < 400 || (Integer) raw > 599) {
          problems.error(path, "reply_code must be an SMTP code from 400 to 599 (4xx for tempfail, 5xx for reject),"
              + " not '" + text + "'");
          return null;
        }
        return raw;
      }
      case ENHANCED_CODE: {
        if (!ENHANCED.matcher(text).matches()) {
          problems.error(path, "enhanced_code must be an RFC 3463 status such as 5.7.1 or 4.7.1, not '" + text
              + "'");
          return null;
        }
        return text;
      }
      case REPLY_TEXT:
      case ENCRYPT_OUTER_SUBJECT: {
        String bad = k == Knob.REPLY_TEXT ? ValueChecks.checkAscii(text) : ValueChecks.checkText(text);
        if (bad != null) {
          problems.error(path, keyName(k) + " " + bad);
          return null;
        }
        return text;
      }
      case SUBJECT_PREFIX: {
        if (text.equalsIgnoreCase("none")) {
          return Settings.Off.OFF;
        }
        if (!(raw instanceof String)) {
          problems.error(path, "subject_prefix must be text such as '[privacy {grade}] ', not '" + text + "'");
          return null;
        }
        SubjectPrefix prefix;
        try {
          prefix = SubjectPrefix.parse((String) raw);
        } catch (IllegalArgumentException e) {
          problems.error(path, "subject_prefix " + e.getMessage());
          return null;
        }
        String block = outboundOrInternal(path);
        if (block != null) {
          problems.warning(path, "subject_prefix in an " + block + " block is never used: only inbound mail is"
              + " tagged in its Subject");
        }
        return prefix;
      }
      case REDIRECT_TO: {
        String addr = ValueChecks.normalizeAddressKey(text);
        String bad = ValueChecks.checkAddress(addr);
        if (bad != null) {
          problems.error(path, "redirect_to must be an address (user@domain): " + bad);
          return null;
        }
        return addr;
      }
      case VERIFY_DELIVERY_CERTIFICATE: {
        if (text.equalsIgnoreCase("none")) {
          return Settings.Off.OFF;
        }
        DeliveryTls.Verification v = DeliveryTls.Verification.parse(text).orElse(null);
        if (v == null) {
          problems.error(path, "verify_delivery_certificate must be none, ca or dane, not '" + text + "'");
          return null;
        }
        String block = path.size() >= 3 ? path.get(path.size() - 2) : "";
        if (block.equals("inbound") || block.equals("internal")) {
          problems.warning(path, "verify_delivery_certificate in an " + block + " block is never used: it is about"
              + " delivery of outbound mail (caliop policy export postfix-tls)");
        }
        return v;
      }
      case ENCRYPT_FORMAT: {
        EncryptOptions.Format f = ValueChecks.parseEnum(EncryptOptions.Format.class, text);
        if (f == null) {
          problems.error(path, "format must be pgp, smime, prefer-pgp or prefer-smime, not '" + text + "'");
        }
        return f;
      }
      case ENCRYPT_SMIME_KEY_TRANSPORT: {
        SmimeAlgorithms.KeyTransport t = SmimeAlgorithms.KeyTransport.parse(text).orElse(null);
        if (t == null) {
          problems.error(path, "smime_key_transport must be rsa-oaep or rsa-pkcs1v15, not '" + text + "'");
        }
        return t;
      }
      case ENCRYPT_SMIME_CONTENT: {
        SmimeAlgorithms.ContentCipher c = SmimeAlgorithms.ContentCipher.parse(text).orElse(null);
        if (c == null) {
          problems.error(path, "smime_content must be aes-cbc or aes-gcm, not '" + text + "'");
        }
        return c;
      }
      case ENCRYPT_ON_MISSING_KEY: {
        Action a = Action.parse(text).orElse(null);
        if (a != Action.TAG && a != Action.TEMPFAIL && a != Action.REJECT && a != Action.HOLD) {
          problems.error(path, "on_missing_key must be tag, tempfail, reject or hold (or quarantine; never a silent"
              + " clear send), not '" + text + "'");
          return null;
        }
        return a;
      }
      case ENCRYPT_ON_FAILURE: {
        Action a = Action.parse(text).orElse(null);
        if (a != Action.TEMPFAIL && a != Action.REJECT && a != Action.HOLD) {
          problems.error(path, "on_failure must be tempfail, reject or hold (or quarantine; a failed encryption never"
              + " sends in clear), not '" + text + "'");
          return null;
        }
        return a;
      }
      default:
        throw new IllegalStateException("knob without parser: " + k);
    }
  }

  /**
   * The direction block ({@code outbound} or {@code internal}) a key sits in, directly or under {@code encrypt:},
   * or null: some keys are only ever used for inbound mail.
   */
  private static String outboundOrInternal(List<String> path) {
    String block = path.size() >= 3 ? path.get(path.size() - 2) : "";
    return (block.equals("outbound") || block.equals("internal")) && (path.size() == 3 || path.size() == 4)
        ? block : null;
  }

  /** The key as written: {@code format}, not {@code encrypt.format}, under {@code encrypt:}. */
  private static String keyName(Knob k) {
    return k.key().startsWith(Knob.ENCRYPT_PREFIX) ? k.key().substring(Knob.ENCRYPT_PREFIX.length()) : k.key();
  }
}
