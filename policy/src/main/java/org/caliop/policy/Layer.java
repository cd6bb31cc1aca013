package org.caliop.policy;

import org.caliop.facts.Direction;

/**
 * A domain or user entry, compiled: for each direction, the entry's own keys with its direction block laid over
 * them. Global is laid under it at decision time, together with the other matching entries.
 */
final class Layer {
  /** Whether an entry matches the recipient's address, the sender's, or both. */
  enum AppliesTo {
    RECIPIENT, SENDER, BOTH;

    String token() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final RuleRef ref;
  private final AppliesTo appliesTo;
  private final Settings base;
  private final Settings[] byDirection;
  private final RuleRef[] directionRefs;

  Layer(RuleRef ref, AppliesTo appliesTo, Settings base, Settings[] byDirection, RuleRef[] directionRefs) {
    this.ref = ref;
    this.appliesTo = appliesTo;
    this.base = base;
    this.byDirection = byDirection.clone();
    this.directionRefs = directionRefs.clone();
  }

  RuleRef ref() { return ref; }
  AppliesTo appliesTo() { return appliesTo; }
  Settings base() { return base; }

  Settings settings(Direction d) {
    return byDirection[d.ordinal()];
  }

  /** The direction block's reference, or null when the entry has none for {@code d}. */
  RuleRef directionRef(Direction d) {
    return directionRefs[d.ordinal()];
  }

  boolean forSender() {
    return appliesTo != AppliesTo.RECIPIENT;
  }

  boolean forRecipient() {
    return appliesTo != AppliesTo.SENDER;
  }
}
