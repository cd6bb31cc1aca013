package org.caliop.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.caliop.auth.AuthMethod;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.SmimeAlgorithms;
import org.caliop.facts.Direction;
import org.caliop.facts.TrustSettings;
import org.caliop.geo.CountryDatabase;
import org.caliop.hop.TlsVersion;
import org.caliop.message.ScanLimits;
import org.caliop.mime.TrustStoreFiles;
import org.caliop.score.Grade;

/**
 * Turns the configuration tree that Commons Configuration read into a {@link CompiledPolicy}, checking every key and
 * value and the rules against one another. Positions come from the {@link YamlIndex} of the same text. Collects every
 * problem instead of stopping at the first.
 */
final class PolicyCompiler {
  static final List<String> TOP_KEYS = List.of("version", "mode", "trust", "limits", "encryption", "global",
      "domains", "users");
  static final List<String> TRUST_KEYS = List.of("internal_networks", "internal_hosts",
      "trusted_authserv_ids", "local_domains", "strip_header_prefixes", "strip_headers", "foreign_header_action",
      "rename_prefix", "geoip_database", "authserv_upstream", "trusted_arc_sealers", "smime_trust_store");
  static final List<String> LIMIT_KEYS = List.of("max_header_fields", "max_header_field_bytes",
      "max_header_section_bytes", "max_nesting_depth", "max_parts", "max_inspect_bytes", "max_part_inspect_bytes");
  static final List<String> ENCRYPTION_KEYS = List.of("keys_dir", "pgp_keyring");
  private static final List<String> ENCRYPT_KEYS = List.of("format", "on_missing_key", "on_failure",
      "split_per_recipient", "outer_subject", "smime_key_transport", "smime_content");
  private static final List<String> ACTIONS = List.of("accept", "tag", "reject", "tempfail", "hold", "quarantine",
      "redirect", "encrypt");
  private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
  private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}_]([\\p{L}\\p{N}_-]{0,61}[\\p{L}\\p{N}_])?");

  /** The kinds of rule block, with the specificity of their layers. */
  private enum BlockKind {
    GLOBAL("global", 0), DOMAIN("domain", 2), USER("user", 4);

    final String label;
    final int specificity;

    BlockKind(String label, int specificity) {
      this.label = label;
      this.specificity = specificity;
    }
  }

  private final String file;
  private final String shortName;
  private final Path baseDir;
  private final YamlIndex index;
  private final Set<Problem> problems = new LinkedHashSet<>();
  /** Where errors were found, so that what follows from them is not reported as a problem of its own. */
  private final Set<List<String>> errorPaths = new java.util.HashSet<>();
  /** trust.geoip_database was given and opened: jurisdiction requirements can be checked. */
  private boolean countryDatabaseConfigured;
  private EncryptionSettings encryption = EncryptionSettings.none();
  /** Entries that say what to do but have no requirement of their own or from global, by path. */
  private final Map<List<String>, RuleRef> idle = new LinkedHashMap<>();
  private boolean anyEntryRequirement;
  private boolean usesEncryption;
  /** Every value of action, on_missing_key and on_failure written anywhere: what the policy may end in. */
  private final Set<Action> actionValues = EnumSet.noneOf(Action.class);
  private final Set<Action> fallbackValues = EnumSet.noneOf(Action.class);

  PolicyCompiler(String file, Path policyFile, YamlIndex index) {
    this.file = file;
    Path name = policyFile.getFileName();
    this.shortName = name == null ? file : name.toString();
    Path parent = policyFile.toAbsolutePath().getParent();
    this.baseDir = parent == null ? Path.of(".") : parent;
    this.index = index;
  }

  List<Problem> problems() {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
        : Integer.compare(a.column(), b.column()));
    return sorted;
  }

  boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  CompiledPolicy compile(ImmutableNode root) {
    Map<String, List<ImmutableNode>> top = children(root, List.of());
    for (String key : top.keySet()) {
      if (!TOP_KEYS.contains(key)) {
        unknownKey(List.of(key), key, TOP_KEYS, "at the top of a policy file");
      }
    }
    if (top.containsKey("version")) {
      Object v = scalar(List.of("version"), top.get("version"));
      if (v != null && !Integer.valueOf(1).equals(v)) {
        error(List.of("version"), "unsupported policy version '" + v + "': this caliop reads version 1");
      }
    }
    boolean dryRun = false;
    if (top.containsKey("mode")) {
      Object m = scalar(List.of("mode"), top.get("mode"));
      if (m != null) {
        String mode = String.valueOf(m).trim().toLowerCase(Locale.ROOT);
        if (mode.equals("dry-run")) {
          dryRun = true;
        } else if (!mode.equals("enforce")) {
          error(List.of("mode"), "mode must be 'enforce' or 'dry-run', not '" + m + "'");
        }
      }
    }
    TrustSettings trust = top.containsKey("trust") ? trust(mapNode(List.of("trust"), top.get("trust")))
        : TrustSettings.defaults();
    countryDatabaseConfigured = trust.countryDatabase().isPresent();
    ScanLimits limits = top.containsKey("limits") ? limits(mapNode(List.of("limits"), top.get("limits")))
        : ScanLimits.defaults();
    if (top.containsKey("encryption")) {
      encryption = encryption(mapNode(List.of("encryption"), top.get("encryption")));
    }

    String globalName = top.containsKey("global") ? blockName(List.of("global"), top.get("global")) : null;
    RuleRef globalRef = new RuleRef("global", shortName, top.containsKey("global")
        ? index.at(List.of("global")).keyLine : 1, BlockKind.GLOBAL.specificity, globalName);
    Block global = top.containsKey("global")
        ? block(mapNode(List.of("global"), top.get("global")), List.of("global"), globalRef, BlockKind.GLOBAL)
        : Block.empty(globalRef);
    Settings[] globalEff = new Settings[Direction.values().length];
    for (Direction d : Direction.values()) {
      globalEff[d.ordinal()] = global.base.overlay(global.byDirection[d.ordinal()]);
      checkConsequences(globalEff[d.ordinal()], d);
    }
    flushConsequences("global");

    Map<String, Layer> domains = entries(top, "domains", BlockKind.DOMAIN, global, globalEff);
    Map<String, Layer> users = entries(top, "users", BlockKind.USER, global, globalEff);
    for (Map.Entry<List<String>, RuleRef> e : idle.entrySet()) {
      if (errorsUnder(e.getKey()) || errorsUnder(List.of("global"))) {
        // A misspelt or invalid requirement is the real problem, already reported: not a rule without one.
        continue;
      }
      // With another entry's requirement under it (sender's domain under recipient's, domain under user), such a
      // rule can still fire; with no requirement anywhere in the file it never can.
      if (anyEntryRequirement) {
        warningAtKey(e.getKey(), "rule for " + e.getValue().label() + " says what to do when a requirement fails,"
            + " but has no requirement of its own or from global: it fires only under another matching entry");
      } else {
        errorAtKey(e.getKey(), "rule for " + e.getValue().label() + " says what to do when a requirement fails,"
            + " but no requirement is set anywhere in the policy: the rule can never fire");
      }
    }

    Settings[] globalMerged = globalEff;
    RuleRef[] globalDirRefs = global.directionRefs;
    List<Problem> warnings = problems().stream().filter(p -> !p.isError()).collect(Collectors.toList());
    return new CompiledPolicy(file, dryRun, trust, limits, encryption, possibleActions(), globalMerged, globalRef,
        globalDirRefs, domains, users, warnings);
  }

  /**
   * What a message judged by this policy may end in, a little more than less: accept and tag always (a rule without
   * action tags), every action written, and for encrypt its fallbacks with their defaults.
   */
  private Set<Action> possibleActions() {
    Set<Action> out = EnumSet.of(Action.ACCEPT, Action.TAG);
    out.addAll(actionValues);
    if (usesEncryption || out.contains(Action.ENCRYPT)) {
      out.add(Action.ENCRYPT);
      out.addAll(fallbackValues);
      out.add(Action.HOLD);
      out.add(Action.TEMPFAIL);
    }
    return out;
  }

  // ---- rule blocks ----

  /** A parsed block: its own keys and its direction blocks (not yet laid over it), with their references. */
  private static final class Block {
    final RuleRef ref;
    final Settings base;
    final Settings[] byDirection;
    final RuleRef[] directionRefs;
    final Layer.AppliesTo appliesTo;
    final boolean empty;

    Block(RuleRef ref, Settings base, Settings[] byDirection, RuleRef[] directionRefs, Layer.AppliesTo appliesTo,
        boolean empty) {
      this.ref = ref;
      this.base = base;
      this.byDirection = byDirection;
      this.directionRefs = directionRefs;
      this.appliesTo = appliesTo;
      this.empty = empty;
    }

    static Block empty(RuleRef ref) {
      Settings[] none = new Settings[Direction.values().length];
      Arrays.fill(none, Settings.EMPTY);
      return new Block(ref, Settings.EMPTY, none, new RuleRef[Direction.values().length], Layer.AppliesTo.BOTH,
          true);
    }

    /** Any key, in the block or its direction blocks, that only matters when the rule fires. */
    boolean setsConsequence() {
      if (setsConsequence(base)) {
        return true;
      }
      for (Settings s : byDirection) {
        if (setsConsequence(s)) {
          return true;
        }
      }
      return false;
    }

    private static boolean setsConsequence(Settings s) {
      for (Knob k : Knob.values()) {
        if (k.consequence() && s.has(k)) {
          return true;
        }
      }
      return false;
    }
  }

  private Map<String, Layer> entries(Map<String, List<ImmutableNode>> top, String section, BlockKind kind,
      Block global, Settings[] globalEff) {
    Map<String, Layer> out = new HashMap<>();
    if (!top.containsKey(section)) {
      return out;
    }
    ImmutableNode node = mapNode(List.of(section), top.get(section));
    if (node == null) {
      return out;
    }
    Map<String, Integer> firstLine = new HashMap<>();
    for (Map.Entry<String, List<ImmutableNode>> e : children(node, List.of(section)).entrySet()) {
      String name = e.getKey();
      List<String> path = List.of(section, name);
      String key = kind == BlockKind.DOMAIN ? normalizeDomainKey(name) : CompiledPolicy.normalizeAddress(name);
      String bad = kind == BlockKind.DOMAIN ? checkDomain(key, true) : checkAddress(key);
      if (bad != null) {
        errorAtKey(path, (kind == BlockKind.DOMAIN ? "bad domain '" : "bad address '") + name + "': " + bad);
        continue;
      }
      YamlIndex.Loc loc = index.at(path);
      Integer first = firstLine.putIfAbsent(key, loc.keyLine);
      if (first != null) {
        errorAtKey(path, "conflicting rules: " + kind.label + " " + key + " is already defined at line " + first);
        continue;
      }
      RuleRef ref = new RuleRef(kind.label + " " + key, shortName, loc.keyLine, kind.specificity,
          blockName(path, e.getValue()));
      ImmutableNode entryNode = mapNode(path, e.getValue());
      if (entryNode == null && index.kind(path) != YamlIndex.Kind.NULL) {
        continue;
      }
      Block b = block(entryNode, path, ref, kind);
      Settings[] byDirection = new Settings[Direction.values().length];
      boolean anyRequirement = false;
      boolean redundant = !b.empty;
      for (Direction d : Direction.values()) {
        byDirection[d.ordinal()] = b.base.overlay(b.byDirection[d.ordinal()]);
        Settings eff = globalEff[d.ordinal()].overlay(byDirection[d.ordinal()]);
        if (setsAny(byDirection[d.ordinal()], Knob.ACTION, Knob.REDIRECT_TO, Knob.REPLY_CODE, Knob.ENHANCED_CODE)) {
          // Global's own mistakes are reported once, at global; here only what this entry changes.
          checkConsequences(eff, d);
        }
        anyRequirement |= eff.hasRequirement();
        anyEntryRequirement |= byDirection[d.ordinal()].hasRequirement();
        for (Knob k : Knob.values()) {
          if (!eff.sameValue(globalEff[d.ordinal()], k)) {
            redundant = false;
          }
        }
      }
      flushConsequences(ref.label());
      if (b.empty) {
        warningAtKey(path, "empty rule for " + ref.label() + ": it changes nothing");
      } else if (redundant && !errorsUnder(path)) {
        warningAtKey(path, "rule for " + ref.label()
            + " changes nothing: every key it sets has the value it inherits from global");
      }
      if (b.setsConsequence() && !anyRequirement) {
        idle.put(path, ref);
      }
      out.put(key, new Layer(ref, b.appliesTo, b.base, byDirection, b.directionRefs));
    }
    return out;
  }

  private Block block(ImmutableNode node, List<String> path, RuleRef ref, BlockKind kind) {
    Block empty = Block.empty(ref);
    if (node == null) {
      return empty;
    }
    Settings.Builder base = Settings.builder();
    Settings[] dirs = empty.byDirection.clone();
    RuleRef[] dirRefs = new RuleRef[Direction.values().length];
    Layer.AppliesTo appliesTo = Layer.AppliesTo.BOTH;
    Map<String, List<ImmutableNode>> keys = children(node, path);
    for (Map.Entry<String, List<ImmutableNode>> e : keys.entrySet()) {
      String name = e.getKey();
      List<String> p = append(path, name);
      Direction d = direction(name);
      if (d != null) {
        YamlIndex.Loc loc = index.at(p);
        // A direction block without a name of its own is part of the rule its entry names.
        String own = blockName(p, e.getValue());
        RuleRef dref = new RuleRef(ref.label() + " " + d.token(), shortName, loc.keyLine, ref.specificity() + 1,
            own != null ? own : ref.name().orElse(null));
        dirRefs[d.ordinal()] = dref;
        Settings.Builder db = Settings.builder();
        ImmutableNode dn = mapNode(p, e.getValue());
        if (dn == null || dn.getChildren().isEmpty()) {
          warningAtKey(p, "empty " + d.token() + " block: it changes nothing");
        } else {
          for (Map.Entry<String, List<ImmutableNode>> de : children(dn, p).entrySet()) {
            List<String> dp = append(p, de.getKey());
            if (direction(de.getKey()) != null) {
              errorAtKey(dp, "direction blocks do not nest: '" + de.getKey() + "' inside '" + name + "'");
            } else if (de.getKey().equals("name")) {
              continue; // read with the block's reference
            } else if (de.getKey().equals("applies_to")) {
              errorAtKey(dp, "applies_to belongs to the entry itself, not to its " + name + " block");
            } else {
              ruleKey(db, dp, de.getKey(), de.getValue(), dref);
            }
          }
        }
        dirs[d.ordinal()] = db.build();
      } else if (name.equals("name")) {
        continue; // read with the block's reference
      } else if (name.equals("applies_to")) {
        if (kind == BlockKind.GLOBAL) {
          errorAtKey(p, "applies_to only makes sense in a domain or user entry");
        } else {
          Object v = scalar(p, e.getValue());
          Layer.AppliesTo a = v == null ? null : parseEnum(Layer.AppliesTo.class, String.valueOf(v));
          if (a == null && v != null) {
            error(p, "applies_to must be recipient, sender or both, not '" + v + "'");
          } else if (a != null) {
            appliesTo = a;
          }
        }
      } else {
        ruleKey(base, p, name, e.getValue(), ref);
      }
    }
    return new Block(ref, base.build(), dirs, dirRefs, appliesTo, keys.isEmpty());
  }

  private void ruleKey(Settings.Builder b, List<String> path, String name, List<ImmutableNode> nodes, RuleRef ref) {
    if (name.equals("encrypt")) {
      ImmutableNode en = mapNode(path, nodes);
      if (en == null) {
        return;
      }
      for (Map.Entry<String, List<ImmutableNode>> e : children(en, path).entrySet()) {
        List<String> p = append(path, e.getKey());
        if (!ENCRYPT_KEYS.contains(e.getKey())) {
          unknownKey(p, e.getKey(), ENCRYPT_KEYS, "in encrypt");
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
      unknownKey(path, name, known, "in a rule");
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
    Object raw = scalar(path, nodes);
    if (raw == null) {
      if (index.kind(path) == YamlIndex.Kind.NULL) {
        error(path, k.key() + " has no value");
      }
      return;
    }
    Object v = parseKnob(k, raw, path);
    if (v instanceof Action) {
      (k == Knob.ACTION ? actionValues : fallbackValues).add((Action) v);
    }
    if (k == Knob.ENCRYPT_SPLIT_PER_RECIPIENT && Boolean.TRUE.equals(v)) {
      warning(path, "split_per_recipient: James sends one copy per recipient; the milter cannot split a message"
          + " and encrypts one copy to every recipient's key (OpenPGP: the key ids of recipients not named in To"
          + " or Cc hidden; S/MIME: every recipient's certificate listed)");
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
    int before = problems.size();
    List<String> entries = checkedList(path, nodes, JurisdictionList::problem);
    if (problems.size() > before) {
      return null;
    }
    if (entries.isEmpty()) {
      error(path, k.key() + " has no value (a list of country codes or groups such as EU, or none)");
      return null;
    }
    if (!countryDatabaseConfigured) {
      error(path, k.key() + " needs trust.geoip_database (an IP-to-country database, see docs/provenance.md)");
      return null;
    }
    String block = path.size() >= 3 ? path.get(path.size() - 2) : "";
    if ((block.equals("outbound") || block.equals("internal")) && (path.size() == 3 || path.size() == 4)) {
      warning(path, k.key() + " in an " + block + " block is never checked: jurisdictions are checked on inbound"
          + " mail only");
    }
    return JurisdictionList.of(entries);
  }

  private Object parseKnob(Knob k, Object raw, List<String> path) {
    String text = String.valueOf(raw).trim();
    switch (k) {
      case ACTION: {
        Action a = raw instanceof String ? Action.parse(text).orElse(null) : null;
        if (a == null) {
          String near = nearest(text, ACTIONS);
          error(path, "unknown action '" + text + "' (" + (near != null ? "did you mean '" + near + "'?"
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
          error(path, "min_tls_version must be TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3 or none, not '" + text + "'");
        }
        return v;
      }
      case MIN_SCORE: {
        if (!(raw instanceof Integer) || (Integer) raw < 0 || (Integer) raw > 100) {
          error(path, "min_score must be a whole number from 0 to 100, not '" + text + "'");
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
          error(path, "min_grade must be A, B, C, D, E or none, not '" + text + "'");
        }
        return g;
      }
      case REQUIRE_ENCRYPTION: {
        if (raw instanceof Boolean) {
          return (Boolean) raw ? Settings.Requirement.ANY : Settings.Requirement.NONE;
        }
        Settings.Requirement r = parseEnum(Settings.Requirement.class, text);
        if (r == null) {
          error(path, "require_encryption must be none, pgp, smime or any, not '" + text + "'");
        }
        return r;
      }
      case REQUIRE_TLS_ON_TRUSTED_HOPS:
      case REQUIRE_SIGNED:
      case REQUIRE_DKIM_PASS:
      case REQUIRE_DMARC_PASS:
      case ENCRYPT_SPLIT_PER_RECIPIENT: {
        if (!(raw instanceof Boolean)) {
          error(path, keyName(k) + " must be true or false, not '" + text + "'");
          return null;
        }
        return raw;
      }
      case REPLY_CODE: {
        if (!(raw instanceof Integer) || (Integer) raw < 400 || (Integer) raw > 599) {
          error(path, "reply_code must be an SMTP code from 400 to 599 (4xx for tempfail, 5xx for reject), not '"
              + text + "'");
          return null;
        }
        return raw;
      }
      case ENHANCED_CODE: {
        if (!ENHANCED.matcher(text).matches()) {
          error(path, "enhanced_code must be an RFC 3463 status such as 5.7.1 or 4.7.1, not '" + text + "'");
          return null;
        }
        return text;
      }
      case REPLY_TEXT:
      case ENCRYPT_OUTER_SUBJECT: {
        String bad = k == Knob.REPLY_TEXT ? checkAscii(text) : checkText(text);
        if (bad != null) {
          error(path, keyName(k) + " " + bad);
          return null;
        }
        return text;
      }
      case SUBJECT_PREFIX: {
        if (text.equalsIgnoreCase("none")) {
          return Settings.Off.OFF;
        }
        if (!(raw instanceof String)) {
          error(path, "subject_prefix must be text such as '[privacy {grade}] ', not '" + text + "'");
          return null;
        }
        SubjectPrefix prefix;
        try {
          prefix = SubjectPrefix.parse((String) raw);
        } catch (IllegalArgumentException e) {
          error(path, "subject_prefix " + e.getMessage());
          return null;
        }
        String block = path.size() >= 3 ? path.get(path.size() - 2) : "";
        if ((block.equals("outbound") || block.equals("internal")) && (path.size() == 3 || path.size() == 4)) {
          warning(path, "subject_prefix in an " + block + " block is never used: only inbound mail is tagged in"
              + " its Subject");
        }
        return prefix;
      }
      case REDIRECT_TO: {
        String addr = CompiledPolicy.normalizeAddress(text);
        String bad = checkAddress(addr);
        if (bad != null) {
          error(path, "redirect_to must be an address (user@domain): " + bad);
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
          error(path, "verify_delivery_certificate must be none, ca or dane, not '" + text + "'");
          return null;
        }
        String block = path.size() >= 3 ? path.get(path.size() - 2) : "";
        if (block.equals("inbound") || block.equals("internal")) {
          warning(path, "verify_delivery_certificate in an " + block + " block is never used: it is about delivery"
              + " of outbound mail (caliop policy export postfix-tls)");
        }
        return v;
      }
      case ENCRYPT_FORMAT: {
        EncryptOptions.Format f = parseEnum(EncryptOptions.Format.class, text);
        if (f == null) {
          error(path, "format must be pgp, smime, prefer-pgp or prefer-smime, not '" + text + "'");
        }
        return f;
      }
      case ENCRYPT_SMIME_KEY_TRANSPORT: {
        SmimeAlgorithms.KeyTransport t = SmimeAlgorithms.KeyTransport.parse(text).orElse(null);
        if (t == null) {
          error(path, "smime_key_transport must be rsa-oaep or rsa-pkcs1v15, not '" + text + "'");
        }
        return t;
      }
      case ENCRYPT_SMIME_CONTENT: {
        SmimeAlgorithms.ContentCipher c = SmimeAlgorithms.ContentCipher.parse(text).orElse(null);
        if (c == null) {
          error(path, "smime_content must be aes-cbc or aes-gcm, not '" + text + "'");
        }
        return c;
      }
      case ENCRYPT_ON_MISSING_KEY: {
        Action a = Action.parse(text).orElse(null);
        if (a != Action.TAG && a != Action.TEMPFAIL && a != Action.REJECT && a != Action.HOLD) {
          error(path, "on_missing_key must be tag, tempfail, reject or hold (or quarantine; never a silent clear"
              + " send), not '" + text + "'");
          return null;
        }
        return a;
      }
      case ENCRYPT_ON_FAILURE: {
        Action a = Action.parse(text).orElse(null);
        if (a != Action.TEMPFAIL && a != Action.REJECT && a != Action.HOLD) {
          error(path, "on_failure must be tempfail, reject or hold (or quarantine; a failed encryption never sends in"
              + " clear), not '" + text + "'");
          return null;
        }
        return a;
      }
      default:
        throw new IllegalStateException("knob without parser: " + k);
    }
  }

  private static boolean setsAny(Settings s, Knob... knobs) {
    for (Knob k : knobs) {
      if (s.has(k)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Consequence problems of one block, keyed by position and message, with the directions they occur in: reported
   * once per block ("for domain x" when in every direction, "for domain x, outbound" otherwise).
   */
  private final Map<List<Object>, List<String>> pending = new LinkedHashMap<>();

  private void flushConsequences(String label) {
    for (Map.Entry<List<Object>, List<String>> e : pending.entrySet()) {
      List<Object> k = e.getKey();
      String where = e.getValue().size() == Direction.values().length ? label
          : label + ", " + String.join(" and ", e.getValue());
      problems.add(Problem.error(file, (Integer) k.get(0), (Integer) k.get(1), k.get(2) + ", for " + where));
    }
    pending.clear();
  }

  /** Checks an effective rule (global under an entry) for consequences that cannot work. */
  private void checkConsequences(Settings eff, Direction direction) {
    String where = direction.token();
    Action action = (Action) eff.get(Knob.ACTION);
    if (action == Action.REDIRECT && !eff.has(Knob.REDIRECT_TO)) {
      errorAt(eff, Knob.ACTION, "action redirect needs redirect_to (the address to deliver to instead)", where);
    }
    usesEncryption |= action == Action.ENCRYPT;
    if (action == Action.ENCRYPT && !encryption.configured() && !errorsUnder(List.of("encryption"))) {
      errorAt(eff, Knob.ACTION, "action encrypt needs an 'encryption:' section with keys_dir (where the"
          + " recipients' certificates and public keys are)", where);
    }
    if (action == Action.REJECT || action == Action.TEMPFAIL) {
      char cls = action == Action.REJECT ? '5' : '4';
      String want = action == Action.REJECT ? "5xx" : "4xx";
      if (eff.has(Knob.REPLY_CODE) && String.valueOf(eff.get(Knob.REPLY_CODE)).charAt(0) != cls) {
        errorAt(eff, Knob.REPLY_CODE, "reply_code " + eff.get(Knob.REPLY_CODE) + " does not fit action "
            + action.token() + " (needs " + want + ")", where);
      }
      if (eff.has(Knob.ENHANCED_CODE) && ((String) eff.get(Knob.ENHANCED_CODE)).charAt(0) != cls) {
        errorAt(eff, Knob.ENHANCED_CODE, "enhanced_code " + eff.get(Knob.ENHANCED_CODE) + " does not fit action "
            + action.token() + " (needs " + cls + ".x.x)", where);
      }
    }
  }

  // ---- sections ----

  private TrustSettings trust(ImmutableNode node) {
    TrustSettings d = TrustSettings.defaults();
    if (node == null) {
      return d;
    }
    List<String> networks = d.internalNetworks();
    Set<String> hosts = d.internalHosts();
    Set<String> authservIds = d.trustedAuthservIds();
    Set<String> localDomains = d.localDomains();
    List<String> prefixes = d.stripHeaderPrefixes();
    Set<String> names = d.stripHeaderNames();
    TrustSettings.ForeignHeaderAction foreign = d.foreignHeaderAction();
    String renamePrefix = d.renamePrefix();
    CountryDatabase countries = null;
    Set<AuthMethod> upstream = d.authservUpstream();
    Set<String> sealers = d.trustedArcSealers();
    List<java.security.cert.X509Certificate> smimeAnchors = d.smimeTrustAnchors();
    for (Map.Entry<String, List<ImmutableNode>> e : children(node, List.of("trust")).entrySet()) {
      List<String> p = List.of("trust", e.getKey());
      switch (e.getKey()) {
        case "internal_networks":
          networks = checkedList(p, e.getValue(), Cidr::check);
          break;
        case "internal_hosts":
          hosts = new LinkedHashSet<>(checkedList(p, e.getValue(), s -> checkDomain(s.toLowerCase(Locale.ROOT),
              false)));
          break;
        case "trusted_authserv_ids":
          authservIds = new LinkedHashSet<>(checkedList(p, e.getValue(), PolicyCompiler::checkToken));
          break;
        case "local_domains":
          localDomains = new LinkedHashSet<>(checkedList(p, e.getValue(), s -> checkDomain(
              s.toLowerCase(Locale.ROOT), false)));
          break;
        case "strip_header_prefixes":
          prefixes = new ArrayList<>(checkedList(p, e.getValue(), PolicyCompiler::checkHeaderName));
          if (prefixes.stream().noneMatch(x -> x.equalsIgnoreCase("Caliop-"))) {
            prefixes.add(0, "Caliop-");
          }
          break;
        case "strip_headers":
          names = new LinkedHashSet<>(checkedList(p, e.getValue(), PolicyCompiler::checkHeaderName));
          break;
        case "foreign_header_action": {
          Object v = scalar(p, e.getValue());
          TrustSettings.ForeignHeaderAction a = v == null ? null
              : parseEnum(TrustSettings.ForeignHeaderAction.class, String.valueOf(v));
          if (a == null) {
            error(p, "foreign_header_action must be strip or rename, not '" + v + "'");
          } else {
            foreign = a;
          }
          break;
        }
        case "rename_prefix": {
          Object v = scalar(p, e.getValue());
          String bad = v == null ? "has no value" : checkHeaderName(String.valueOf(v));
          if (bad != null) {
            error(p, "rename_prefix " + bad);
          } else {
            renamePrefix = String.valueOf(v);
          }
          break;
        }
        case "geoip_database":
          countries = countryDatabase(p, scalar(p, e.getValue()));
          break;
        case "smime_trust_store":
          smimeAnchors = smimeTrustStore(p, scalar(p, e.getValue()));
          break;
        case "authserv_upstream": {
          Set<AuthMethod> methods = EnumSet.noneOf(AuthMethod.class);
          for (String m : checkedList(p, e.getValue(), PolicyCompiler::checkMethod)) {
            methods.add(AuthMethod.fromToken(m.toLowerCase(Locale.ROOT)));
          }
          upstream = methods;
          break;
        }
        case "trusted_arc_sealers":
          sealers = new LinkedHashSet<>(checkedList(p, e.getValue(), s -> checkDomain(s.toLowerCase(Locale.ROOT),
              false)));
          break;
        default:
          unknownKey(p, e.getKey(), TRUST_KEYS, "in trust");
      }
    }
    if (!upstream.isEmpty() && authservIds.isEmpty()) {
      error(List.of("trust", "authserv_upstream"), "authserv_upstream needs trusted_authserv_ids (the ids the"
          + " verifier in front of caliop writes)");
    }
    return TrustSettings.builder().internalNetworks(networks).internalHosts(hosts).trustedAuthservIds(authservIds)
        .localDomains(localDomains).stripHeaderPrefixes(prefixes).stripHeaderNames(names).foreignHeaderAction(foreign)
        .renamePrefix(renamePrefix).countryDatabase(countries).authservUpstream(upstream).trustedArcSealers(sealers)
        .smimeTrustAnchors(smimeAnchors).build();
  }

  /**
   * Reads {@code trust.smime_trust_store} (relative to the policy file's directory): a PEM bundle or a directory of
   * certificates. A missing, unreadable or empty store is an error: an admin who names one expects signatures to be
   * anchored, and would otherwise see every one unverified without knowing why.
   */
  private List<java.security.cert.X509Certificate> smimeTrustStore(List<String> p, Object raw) {
    if (raw == null) {
      return List.of();
    }
    Path resolved;
    try {
      resolved = baseDir.resolve(String.valueOf(raw)).normalize();
    } catch (java.nio.file.InvalidPathException ex) {
      error(p, "smime_trust_store is not a usable path: " + ex.getReason());
      return List.of();
    }
    try {
      return TrustStoreFiles.read(resolved);
    } catch (java.io.IOException ex) {
      error(p, "smime_trust_store " + resolved + " cannot be read: " + (ex instanceof java.nio.file.NoSuchFileException
          ? "no such file" : ex.getMessage()));
      return List.of();
    }
  }

  /**
   * Opens {@code trust.geoip_database} (relative to the policy file's directory) once per compile; an unchanged
   * file gives the instance already open, so a reload shares it. A missing or unreadable file is an error: a policy
   * whose jurisdiction rules cannot be checked must not load.
   */
  private CountryDatabase countryDatabase(List<String> p, Object raw) {
    if (raw == null) {
      return null;
    }
    Path resolved;
    try {
      resolved = baseDir.resolve(String.valueOf(raw)).normalize();
    } catch (java.nio.file.InvalidPathException ex) {
      error(p, "geoip_database is not a usable path: " + ex.getReason());
      return null;
    }
    try {
      return CountryDatabase.open(resolved);
    } catch (java.io.IOException ex) {
      error(p, "geoip_database " + resolved + " cannot be read: " + (ex instanceof java.nio.file.NoSuchFileException
          ? "no such file" : ex.getMessage()));
      return null;
    }
  }

  private ScanLimits limits(ImmutableNode node) {
    ScanLimits d = ScanLimits.defaults();
    if (node == null) {
      return d;
    }
    long[] v = {d.maxHeaderFields(), d.maxHeaderFieldBytes(), d.maxHeaderSectionBytes(), d.maxNestingDepth(),
        d.maxParts(), d.maxInspectBytes(), d.maxPartInspectBytes()};
    for (Map.Entry<String, List<ImmutableNode>> e : children(node, List.of("limits")).entrySet()) {
      List<String> p = List.of("limits", e.getKey());
      int i = LIMIT_KEYS.indexOf(e.getKey());
      if (i < 0) {
        unknownKey(p, e.getKey(), LIMIT_KEYS, "in limits");
        continue;
      }
      Object raw = scalar(p, e.getValue());
      if (raw == null) {
        continue;
      }
      boolean bytes = i == 5 || i == 6;
      long max = bytes ? Long.MAX_VALUE : i == 3 ? ScanLimits.MAX_NESTING_DEPTH : Integer.MAX_VALUE;
      if (bytes && "unlimited".equals(raw)) {
        v[i] = Long.MAX_VALUE;
      } else if ((raw instanceof Integer || raw instanceof Long) && ((Number) raw).longValue() > 0
          && ((Number) raw).longValue() <= max) {
        v[i] = ((Number) raw).longValue();
      } else {
        error(p, e.getKey() + " must be a whole number from 1 to " + max + (bytes ? " or unlimited" : "")
            + ", not '" + raw + "'");
      }
    }
    return ScanLimits.of((int) v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4], v[5], v[6]);
  }

  private EncryptionSettings encryption(ImmutableNode node) {
    if (node == null) {
      return EncryptionSettings.none();
    }
    Path keysDir = null;
    Path keyring = null;
    for (Map.Entry<String, List<ImmutableNode>> e : children(node, List.of("encryption")).entrySet()) {
      List<String> p = List.of("encryption", e.getKey());
      if (!ENCRYPTION_KEYS.contains(e.getKey())) {
        unknownKey(p, e.getKey(), ENCRYPTION_KEYS, "in encryption");
        continue;
      }
      Object raw = scalar(p, e.getValue());
      if (raw == null) {
        continue;
      }
      Path resolved;
      try {
        resolved = baseDir.resolve(String.valueOf(raw)).normalize();
      } catch (java.nio.file.InvalidPathException ex) {
        error(p, e.getKey() + " is not a usable path: " + ex.getReason());
        continue;
      }
      boolean dir = e.getKey().equals("keys_dir");
      if (!Files.exists(resolved)) {
        warning(p, e.getKey() + " " + resolved + " does not exist (yet)");
      } else if (dir && !Files.isDirectory(resolved)) {
        error(p, "keys_dir " + resolved + " is not a directory");
        continue;
      } else if (!dir && !Files.isRegularFile(resolved)) {
        error(p, "pgp_keyring " + resolved + " is not a file");
        continue;
      }
      if (dir) {
        keysDir = resolved;
      } else {
        keyring = resolved;
      }
    }
    return EncryptionSettings.of(keysDir, keyring);
  }

  /** Names given so far, with the line they were given at: a name identifies one rule. */
  private final Map<String, Integer> names = new HashMap<>();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * The {@code name:} of the block at {@code path}, checked: a word of letters, digits, {@code .}, {@code _} and
   * {@code -} (at most 64, no {@code :}, so it is never mistaken for {@code file:line}), given to one block only.
   * Null when the block has none (or a bad one, reported).
   */
  private String blockName(List<String> path, List<ImmutableNode> nodes) {
    List<String> p = append(path, "name");
    if (nodes.size() != 1 || !index.keys(path).contains("name")) {
      return null;
    }
    List<ImmutableNode> value = new ArrayList<>();
    for (ImmutableNode c : nodes.get(0).getChildren()) {
      if (c.getNodeName().equals("name")) {
        value.add(c);
      }
    }
    Object raw = scalar(p, value);
    if (raw == null) {
      if (index.kind(p) == YamlIndex.Kind.NULL) {
        error(p, "name has no value");
      }
      return null;
    }
    String name = String.valueOf(raw).trim();
    if (!NAME.matcher(name).matches()) {
      error(p, "bad rule name '" + name + "': letters, digits, '.', '_' and '-', at most 64, starting with a letter"
          + " or digit (logs, headers and metric labels carry it)");
      return null;
    }
    Integer first = names.putIfAbsent(name, index.at(p).line);
    if (first != null) {
      error(p, "rule name '" + name + "' is already given at line " + first + ": a name identifies one rule");
      return null;
    }
    return name;
  }

  // ---- tree access ----

  /**
   * The keys of a mapping with their nodes (a list gives several nodes of one name). Commons Configuration drops a
   * key whose value is an empty list; the index still knows it, so it is here with no nodes: an unknown key is
   * reported even then, and {@code internal_networks: []} means none.
   */
  private Map<String, List<ImmutableNode>> children(ImmutableNode node, List<String> path) {
    Map<String, List<ImmutableNode>> out = new LinkedHashMap<>();
    for (String key : index.keys(path)) {
      out.put(key, new ArrayList<>(1));
    }
    if (node != null) {
      for (ImmutableNode c : node.getChildren()) {
        out.computeIfAbsent(c.getNodeName(), k -> new ArrayList<>(1)).add(c);
      }
    }
    return out;
  }

  /** A single value, or null (with an error when it is a list or a mapping). */
  private Object scalar(List<String> path, List<ImmutableNode> nodes) {
    YamlIndex.Kind kind = index.kind(path);
    if (kind == YamlIndex.Kind.LIST || nodes.size() != 1) {
      error(path, last(path) + " takes a single value, not a list");
      return null;
    }
    if (kind == YamlIndex.Kind.MAP || !nodes.get(0).getChildren().isEmpty()) {
      error(path, last(path) + " takes a single value, not a mapping");
      return null;
    }
    return nodes.get(0).getValue();
  }

  /** A mapping node, or null for an empty value (with an error when it is a scalar or a list). */
  private ImmutableNode mapNode(List<String> path, List<ImmutableNode> nodes) {
    YamlIndex.Kind kind = index.kind(path);
    if (kind == YamlIndex.Kind.LIST || nodes.size() != 1) {
      error(path, last(path) + " must be a mapping of keys, not a list");
      return null;
    }
    ImmutableNode n = nodes.get(0);
    if (kind == YamlIndex.Kind.SCALAR || n.getValue() != null) {
      error(path, last(path) + " must be a mapping of keys, not the value '" + n.getValue() + "'");
      return null;
    }
    return n;
  }

  private interface Check {
    /** An error message, or null when fine. */
    String problem(String value);
  }

  /** A list of scalars (a single scalar is a list of one), each checked at its own position. */
  private List<String> checkedList(List<String> path, List<ImmutableNode> nodes, Check check) {
    List<String> out = new ArrayList<>();
    if (index.kind(path) == YamlIndex.Kind.MAP) {
      error(path, last(path) + " must be a list, not a mapping");
      return out;
    }
    for (int i = 0; i < nodes.size(); i++) {
      ImmutableNode n = nodes.get(i);
      List<String> p = index.kind(path) == YamlIndex.Kind.LIST ? append(path, "#" + i) : path;
      if (!n.getChildren().isEmpty()) {
        error(p, last(path) + " must be a list of values, not of mappings");
        continue;
      }
      if (n.getValue() == null) {
        continue;
      }
      String v = String.valueOf(n.getValue()).trim();
      String bad = check.problem(v);
      if (bad != null) {
        error(p, "bad " + last(path) + " entry '" + v + "': " + bad);
      } else {
        out.add(v);
      }
    }
    return out;
  }

  // ---- value checks ----

  private static String normalizeDomainKey(String name) {
    String d = name.trim().toLowerCase(Locale.ROOT);
    return d.endsWith(".") && d.length() > 1 ? d.substring(0, d.length() - 1) : d;
  }

  /** Null when {@code d} is a domain name ({@code .parent} too when {@code leadingDot}). */
  static String checkDomain(String d, boolean leadingDot) {
    if (d.startsWith("*.")) {
      return leadingDot ? "wildcards are not written with '*': write '" + d.substring(1) + "' (a leading dot matches"
          + " every subdomain, as in Postfix tables; add '" + d.substring(2) + "' too for the domain itself)"
          : "wildcards are not written with '*': name the host or domain itself ('" + d.substring(2) + "')";
    }
    String name = leadingDot && d.startsWith(".") ? d.substring(1) : d;
    if (name.isEmpty() || name.length() > 253) {
      return "a domain name has 1 to 253 characters";
    }
    if (name.indexOf('@') >= 0) {
      return "a domain, not an address (put addresses under users:)";
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return label.isEmpty() ? "empty label (two dots, or a dot at an end)" : "bad label '" + label + "'";
      }
    }
    return null;
  }

  /** Null when {@code a} is {@code local@domain}. */
  static String checkAddress(String a) {
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1) {
      return "expected local@domain";
    }
    for (int i = 0; i < at; i++) {
      char c = a.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == '@' && i < at) {
        return "bad character in the local part";
      }
    }
    return checkDomain(a.substring(at + 1), false);
  }

  private static String checkHeaderName(String s) {
    if (s.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        return "is not a header field name (printable ASCII without ':' or spaces)";
      }
    }
    return null;
  }

  private static String checkMethod(String s) {
    return AuthMethod.fromToken(s.toLowerCase(Locale.ROOT)) == null
        ? "is not a method caliop reads (dkim, spf, dmarc, arc)" : null;
  }

  private static String checkToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) <= ' ' || s.charAt(i) == ';') {
        return "an authserv-id has no spaces or ';'";
      }
    }
    return s.isEmpty() ? "is empty" : null;
  }

  /** A reply text goes into SMTP replies and quarantine reasons: printable ASCII on one line. */
  private static String checkAscii(String s) {
    String bad = checkText(s);
    if (bad == null) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0x7e) {
          return "must be printable ASCII: SMTP replies are ASCII (found '" + s.charAt(i) + "')";
        }
      }
    }
    return bad;
  }

  private static String checkText(String s) {
    if (s.length() > 400) {
      return "is longer than 400 characters";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < ' ' || c == 0x7f) {
        return "must be one line of text without control characters";
      }
    }
    return null;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(t)) {
        return e;
      }
    }
    return null;
  }

  private static Direction direction(String name) {
    for (Direction d : Direction.values()) {
      if (d.token().equals(name)) {
        return d;
      }
    }
    return null;
  }

  private static String keyName(Knob k) {
    return k.key().startsWith(Knob.ENCRYPT_PREFIX) ? k.key().substring(Knob.ENCRYPT_PREFIX.length()) : k.key();
  }

  // ---- problems ----

  private void unknownKey(List<String> path, String key, List<String> known, String where) {
    String near = nearest(key, known);
    String hint = near != null ? "did you mean '" + near + "'?" : placement(key, where);
    errorAtKey(path, "unknown key '" + key + "' " + where + " (" + (hint != null ? hint
        : "expected one of: " + String.join(", ", known)) + ")");
  }

  /** Where a key that is valid elsewhere in a policy file belongs, or null. */
  private static String placement(String key, String where) {
    String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    boolean top = where.startsWith("at the top");
    if (direction(k) != null) {
      return k + " blocks go inside global:, a domain or a user entry";
    }
    if (k.equals("encrypt") || k.equals("applies_to") || Knob.byKey(k).filter(x -> !x.key().startsWith(
        Knob.ENCRYPT_PREFIX)).isPresent()) {
      return top ? k + " is a rule key: it goes under global:, a domain or a user entry"
          : where.equals("in encrypt") ? k + " is a rule key: it goes beside encrypt:, not inside it"
          : k + " is a rule key";
    }
    if (!top && TOP_KEYS.contains(k)) {
      return k + " belongs at the top of the policy file";
    }
    for (Map.Entry<String, List<String>> section : Map.of("trust", TRUST_KEYS, "limits", LIMIT_KEYS, "encryption",
        ENCRYPTION_KEYS).entrySet()) {
      if (section.getValue().contains(k)) {
        return k + " belongs in " + section.getKey() + ":";
      }
    }
    if (top && k.indexOf('@') > 0) {
      return "an address: user entries go under users:";
    }
    if (top && k.indexOf('.') > 0) {
      return "a domain? domain entries go under domains:";
    }
    return null;
  }

  static String nearest(String key, List<String> known) {
    return Spelling.nearest(key, known);
  }

  private void error(List<String> path, String message) {
    errorPaths.add(List.copyOf(path));
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.error(file, loc.line, loc.column, message));
  }

  private void warning(List<String> path, String message) {
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.warning(file, loc.line, loc.column, message));
  }

  private void errorAtKey(List<String> path, String message) {
    errorPaths.add(List.copyOf(path));
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.error(file, loc.keyLine, loc.keyColumn, message));
  }

  private void warningAtKey(List<String> path, String message) {
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.warning(file, loc.keyLine, loc.keyColumn, message));
  }

  private void errorAt(Settings eff, Knob k, String message, String direction) {
    pending.computeIfAbsent(List.of(eff.line(k), eff.column(k), message), x -> new ArrayList<>()).add(direction);
  }

  /** Whether an error was reported at {@code prefix} or inside it. */
  private boolean errorsUnder(List<String> prefix) {
    for (List<String> p : errorPaths) {
      if (p.size() >= prefix.size() && p.subList(0, prefix.size()).equals(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> append(List<String> path, String name) {
    List<String> p = new ArrayList<>(path.size() + 1);
    p.addAll(path);
    p.add(name);
    return p;
  }

  private static String last(List<String> path) {
    return path.isEmpty() ? "policy" : path.get(path.size() - 1);
  }
}
