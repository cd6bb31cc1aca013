package org.caliop.policy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.facts.Direction;
import org.caliop.facts.TrustSettings;
import org.caliop.message.ScanLimits;

/**
 * Turns the configuration tree that Commons Configuration read into a {@link CompiledPolicy}, checking every key and
 * value and the rules against one another. Positions come from the {@link YamlIndex} of the same text. Collects every
 * problem instead of stopping at the first. This class walks the file and assembles the result; the sections
 * ({@link TrustSection}, {@link LimitsSection}, {@link EncryptionSection}), the rule keys ({@link KnobParser}) and
 * the checks of effective rules ({@link ConsequenceChecks}) are read and checked by their own classes.
 */
final class PolicyCompiler {
  static final List<String> TOP_KEYS = List.of("version", "mode", "trust", "limits", "encryption", "global",
      "domains", "users");
  static final List<String> TRUST_KEYS = TrustSection.KEYS;
  static final List<String> LIMIT_KEYS = LimitsSection.KEYS;
  static final List<String> ENCRYPTION_KEYS = EncryptionSection.KEYS;

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
  private final YamlIndex index;
  private final ProblemSink problems;
  private final PolicyTree tree;
  private final RuleNames names;
  // Set by compile() once the sections they depend on are read.
  private KnobParser knobs;
  private ConsequenceChecks consequences;
  /** Entries that say what to do but have no requirement of their own or from global, by path. */
  private final Map<List<String>, RuleRef> idle = new LinkedHashMap<>();
  private boolean anyEntryRequirement;

  PolicyCompiler(String file, Path policyFile, YamlIndex index) {
    this.file = file;
    Path name = policyFile.getFileName();
    this.shortName = name == null ? file : name.toString();
    Path parent = policyFile.toAbsolutePath().getParent();
    this.index = index;
    this.problems = new ProblemSink(file, index);
    this.tree = new PolicyTree(index, problems, parent == null ? Path.of(".") : parent);
    this.names = new RuleNames(tree, problems, index);
  }

  List<Problem> problems() {
    return problems.sorted();
  }

  boolean hasErrors() {
    return problems.hasErrors();
  }

  CompiledPolicy compile(ImmutableNode root) {
    Map<String, List<ImmutableNode>> top = tree.children(root, List.of());
    for (String key : top.keySet()) {
      if (!TOP_KEYS.contains(key)) {
        problems.unknownKey(List.of(key), key, TOP_KEYS, "at the top of a policy file");
      }
    }
    if (top.containsKey("version")) {
      Object v = tree.scalar(List.of("version"), top.get("version"));
      if (v != null && !Integer.valueOf(1).equals(v)) {
        problems.error(List.of("version"), "unsupported policy version '" + v + "': this caliop reads version 1");
      }
    }
    boolean dryRun = false;
    if (top.containsKey("mode")) {
      Object m = tree.scalar(List.of("mode"), top.get("mode"));
      if (m != null) {
        String mode = String.valueOf(m).trim().toLowerCase(Locale.ROOT);
        if (mode.equals("dry-run")) {
          dryRun = true;
        } else if (!mode.equals("enforce")) {
          problems.error(List.of("mode"), "mode must be 'enforce' or 'dry-run', not '" + m + "'");
        }
      }
    }
    TrustSettings trust = top.containsKey("trust")
        ? new TrustSection(tree, problems, index).read(tree.mapNode(List.of("trust"), top.get("trust")))
        : TrustSettings.defaults();
    ScanLimits limits = top.containsKey("limits")
        ? new LimitsSection(tree, problems).read(tree.mapNode(List.of("limits"), top.get("limits")))
        : ScanLimits.defaults();
    EncryptionSettings encryption = top.containsKey("encryption")
        ? new EncryptionSection(tree, problems).read(tree.mapNode(List.of("encryption"), top.get("encryption")))
        : EncryptionSettings.none();
    knobs = new KnobParser(tree, problems, index, trust.countryDatabase().isPresent());
    consequences = new ConsequenceChecks(problems, encryption);

    String globalName = top.containsKey("global") ? names.of(List.of("global"), top.get("global")) : null;
    RuleRef globalRef = new RuleRef("global", shortName, top.containsKey("global")
        ? index.at(List.of("global")).keyLine : 1, BlockKind.GLOBAL.specificity, globalName);
    RuleBlock global = top.containsKey("global")
        ? block(tree.mapNode(List.of("global"), top.get("global")), List.of("global"), globalRef, BlockKind.GLOBAL)
        : RuleBlock.empty(globalRef);
    Settings[] globalEff = new Settings[Direction.values().length];
    for (Direction d : Direction.values()) {
      globalEff[d.ordinal()] = global.base.overlay(global.byDirection[d.ordinal()]);
      consequences.check(globalEff[d.ordinal()], d);
    }
    consequences.flush("global");

    Map<String, Layer> domains = entries(top, "domains", BlockKind.DOMAIN, globalEff);
    Map<String, Layer> users = entries(top, "users", BlockKind.USER, globalEff);
    for (Map.Entry<List<String>, RuleRef> e : idle.entrySet()) {
      if (problems.errorsUnder(e.getKey()) || problems.errorsUnder(List.of("global"))) {
        // A misspelt or invalid requirement is the real problem, already reported: not a rule without one.
        continue;
      }
      // With another entry's requirement under it (sender's domain under recipient's, domain under user), such a
      // rule can still fire; with no requirement anywhere in the file it never can.
      if (anyEntryRequirement) {
        problems.warningAtKey(e.getKey(), "rule for " + e.getValue().label() + " says what to do when a requirement"
            + " fails, but has no requirement of its own or from global: it fires only under another matching entry");
      } else {
        problems.errorAtKey(e.getKey(), "rule for " + e.getValue().label() + " says what to do when a requirement"
            + " fails, but no requirement is set anywhere in the policy: the rule can never fire");
      }
    }

    List<Problem> warnings = problems().stream().filter(p -> !p.isError()).collect(Collectors.toList());
    return new CompiledPolicy(file, dryRun, trust, limits, encryption, possibleActions(), globalEff, globalRef,
        global.directionRefs, domains, users, warnings);
  }

  /**
   * What a message judged by this policy may end in, a little more than less: accept and tag always (a rule without
   * action tags), every action written, and for encrypt its fallbacks with their defaults.
   */
  private Set<Action> possibleActions() {
    Set<Action> out = EnumSet.of(Action.ACCEPT, Action.TAG);
    out.addAll(knobs.actionValues());
    if (consequences.usesEncryption() || out.contains(Action.ENCRYPT)) {
      out.add(Action.ENCRYPT);
      out.addAll(knobs.fallbackValues());
      out.add(Action.HOLD);
      out.add(Action.TEMPFAIL);
    }
    return out;
  }

  // ---- rule blocks ----

  private Map<String, Layer> entries(Map<String, List<ImmutableNode>> top, String section, BlockKind kind,
      Settings[] globalEff) {
    Map<String, Layer> out = new HashMap<>();
    if (!top.containsKey(section)) {
      return out;
    }
    ImmutableNode node = tree.mapNode(List.of(section), top.get(section));
    if (node == null) {
      return out;
    }
    Map<String, Integer> firstLine = new HashMap<>();
    for (Map.Entry<String, List<ImmutableNode>> e : tree.children(node, List.of(section)).entrySet()) {
      String name = e.getKey();
      List<String> path = List.of(section, name);
      String key = kind == BlockKind.DOMAIN ? ValueChecks.normalizeDomainKey(name)
          : ValueChecks.normalizeAddressKey(name);
      String bad = kind == BlockKind.DOMAIN ? ValueChecks.checkDomain(key, true) : ValueChecks.checkAddress(key);
      if (bad != null) {
        problems.errorAtKey(path, (kind == BlockKind.DOMAIN ? "bad domain '" : "bad address '") + name + "': "
            + bad);
        continue;
      }
      YamlIndex.Loc loc = index.at(path);
      Integer first = firstLine.putIfAbsent(key, loc.keyLine);
      if (first != null) {
        problems.errorAtKey(path, "conflicting rules: " + kind.label + " " + key + " is already defined at line "
            + first);
        continue;
      }
      RuleRef ref = new RuleRef(kind.label + " " + key, shortName, loc.keyLine, kind.specificity,
          names.of(path, e.getValue()));
      ImmutableNode entryNode = tree.mapNode(path, e.getValue());
      if (entryNode == null && index.kind(path) != YamlIndex.Kind.NULL) {
        continue;
      }
      RuleBlock b = block(entryNode, path, ref, kind);
      Settings[] byDirection = new Settings[Direction.values().length];
      boolean anyRequirement = false;
      boolean redundant = !b.empty;
      for (Direction d : Direction.values()) {
        byDirection[d.ordinal()] = b.base.overlay(b.byDirection[d.ordinal()]);
        Settings eff = globalEff[d.ordinal()].overlay(byDirection[d.ordinal()]);
        if (setsAny(byDirection[d.ordinal()], Knob.ACTION, Knob.REDIRECT_TO, Knob.REPLY_CODE, Knob.ENHANCED_CODE)) {
          // Global's own mistakes are reported once, at global; here only what this entry changes.
          consequences.check(eff, d);
        }
        anyRequirement |= eff.hasRequirement();
        anyEntryRequirement |= byDirection[d.ordinal()].hasRequirement();
        for (Knob k : Knob.values()) {
          if (!eff.sameValue(globalEff[d.ordinal()], k)) {
            redundant = false;
          }
        }
      }
      consequences.flush(ref.label());
      if (b.empty) {
        problems.warningAtKey(path, "empty rule for " + ref.label() + ": it changes nothing");
      } else if (redundant && !problems.errorsUnder(path)) {
        problems.warningAtKey(path, "rule for " + ref.label()
            + " changes nothing: every key it sets has the value it inherits from global");
      }
      if (b.setsConsequence() && !anyRequirement) {
        idle.put(path, ref);
      }
      out.put(key, new Layer(ref, b.appliesTo, b.base, byDirection, b.directionRefs));
    }
    return out;
  }

  private RuleBlock block(ImmutableNode node, List<String> path, RuleRef ref, BlockKind kind) {
    RuleBlock empty = RuleBlock.empty(ref);
    if (node == null) {
      return empty;
    }
    Settings.Builder base = Settings.builder();
    Settings[] dirs = empty.byDirection.clone();
    RuleRef[] dirRefs = new RuleRef[Direction.values().length];
    Layer.AppliesTo appliesTo = Layer.AppliesTo.BOTH;
    Map<String, List<ImmutableNode>> keys = tree.children(node, path);
    for (Map.Entry<String, List<ImmutableNode>> e : keys.entrySet()) {
      String name = e.getKey();
      List<String> p = PolicyTree.append(path, name);
      Direction d = ValueChecks.direction(name);
      if (d != null) {
        YamlIndex.Loc loc = index.at(p);
        // A direction block without a name of its own is part of the rule its entry names.
        String own = names.of(p, e.getValue());
        RuleRef dref = new RuleRef(ref.label() + " " + d.token(), shortName, loc.keyLine, ref.specificity() + 1,
            own != null ? own : ref.name().orElse(null));
        dirRefs[d.ordinal()] = dref;
        dirs[d.ordinal()] = directionBlock(p, e.getValue(), d, dref);
      } else if (name.equals("name")) {
        continue; // read with the block's reference
      } else if (name.equals("applies_to")) {
        if (kind == BlockKind.GLOBAL) {
          problems.errorAtKey(p, "applies_to only makes sense in a domain or user entry");
        } else {
          Object v = tree.scalar(p, e.getValue());
          Layer.AppliesTo a = v == null ? null : ValueChecks.parseEnum(Layer.AppliesTo.class, String.valueOf(v));
          if (a == null && v != null) {
            problems.error(p, "applies_to must be recipient, sender or both, not '" + v + "'");
          } else if (a != null) {
            appliesTo = a;
          }
        }
      } else {
        knobs.ruleKey(base, p, name, e.getValue(), ref);
      }
    }
    return new RuleBlock(ref, base.build(), dirs, dirRefs, appliesTo, keys.isEmpty());
  }

  /** The keys of an {@code inbound:}, {@code outbound:} or {@code internal:} block at {@code p}. */
  private Settings directionBlock(List<String> p, List<ImmutableNode> nodes, Direction d, RuleRef dref) {
    Settings.Builder db = Settings.builder();
    ImmutableNode dn = tree.mapNode(p, nodes);
    if (dn == null || dn.getChildren().isEmpty()) {
      problems.warningAtKey(p, "empty " + d.token() + " block: it changes nothing");
      return db.build();
    }
    for (Map.Entry<String, List<ImmutableNode>> de : tree.children(dn, p).entrySet()) {
      List<String> dp = PolicyTree.append(p, de.getKey());
      if (ValueChecks.direction(de.getKey()) != null) {
        problems.errorAtKey(dp, "direction blocks do not nest: '" + de.getKey() + "' inside '" + d.token() + "'");
      } else if (de.getKey().equals("name")) {
        continue; // read with the block's reference
      } else if (de.getKey().equals("applies_to")) {
        problems.errorAtKey(dp, "applies_to belongs to the entry itself, not to its " + d.token() + " block");
      } else {
        knobs.ruleKey(db, dp, de.getKey(), de.getValue(), dref);
      }
    }
    return db.build();
  }

  private static boolean setsAny(Settings s, Knob... knobs) {
    for (Knob k : knobs) {
      if (s.has(k)) {
        return true;
      }
    }
    return false;
  }
}
