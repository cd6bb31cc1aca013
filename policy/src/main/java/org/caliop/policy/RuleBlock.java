package org.caliop.policy;

import java.util.Arrays;
import org.caliop.facts.Direction;

/** A parsed rule block: its own keys and its direction blocks (not yet laid over it), with their references. */
final class RuleBlock {
  final RuleRef ref;
  final Settings base;
  final Settings[] byDirection;
  final RuleRef[] directionRefs;
  final Layer.AppliesTo appliesTo;
  final boolean empty;

  RuleBlock(RuleRef ref, Settings base, Settings[] byDirection, RuleRef[] directionRefs, Layer.AppliesTo appliesTo,
      boolean empty) {
    this.ref = ref;
    this.base = base;
    this.byDirection = byDirection;
    this.directionRefs = directionRefs;
    this.appliesTo = appliesTo;
    this.empty = empty;
  }

  static RuleBlock empty(RuleRef ref) {
    Settings[] none = new Settings[Direction.values().length];
    Arrays.fill(none, Settings.EMPTY);
    return new RuleBlock(ref, Settings.EMPTY, none, new RuleRef[Direction.values().length], Layer.AppliesTo.BOTH,
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
