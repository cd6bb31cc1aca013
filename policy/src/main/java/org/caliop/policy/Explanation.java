package org.caliop.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.caliop.facts.Direction;

/** Why a policy decided what it did for one recipient: the {@code caliop policy explain} output, as data. */
public final class Explanation {
  private final String recipient;
  private final Direction direction;
  private final List<String> layers;
  private final List<String> effective;
  private final List<String> met;
  private final List<String> failed;
  private final Decision decision;

  private Explanation(Builder b, Decision decision) {
    this.recipient = b.recipient;
    this.direction = b.direction;
    this.layers = List.copyOf(b.layers);
    this.effective = List.copyOf(b.effective);
    this.met = List.copyOf(b.met);
    this.failed = List.copyOf(b.failed);
    this.decision = decision;
  }

  /** Empty when the envelope had no recipient. */
  public Optional<String> recipient() { return Optional.ofNullable(recipient); }
  public Direction direction() { return direction; }
  /** The blocks laid over one another, most general first: {@code global (policy.yaml:3)}. */
  public List<String> layers() { return layers; }
  /** Each effective key with its value and the block it came from. */
  public List<String> effective() { return effective; }
  /** Requirements the message met, in words. */
  public List<String> met() { return met; }
  /** Requirements it failed, in words (the decision's reasons). */
  public List<String> failed() { return failed; }
  public Decision decision() { return decision; }

  static final class Builder {
    private final String recipient;
    private final Direction direction;
    private final List<String> layers = new ArrayList<>();
    private final List<String> effective = new ArrayList<>();
    private final List<String> met = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();

    Builder(String recipient, Direction direction) {
      this.recipient = recipient;
      this.direction = direction;
    }

    Builder layer(RuleRef ref, String role) {
      layers.add(role + ": " + ref.label() + " (" + ref.where() + ref.name().map(n -> ", name " + n).orElse("")
          + ")");
      return this;
    }

    Builder effective(Settings eff) {
      for (Knob k : Knob.values()) {
        if (eff.has(k)) {
          effective.add(k.key() + " = " + eff.rendered(k) + "   (" + eff.source(k).label() + ", "
              + eff.source(k).where() + ")");
        }
      }
      return this;
    }

    Builder checks(List<String> passed, List<String> failures) {
      met.addAll(passed);
      failed.addAll(failures);
      return this;
    }

    Explanation build(Decision decision) {
      return new Explanation(this, decision);
    }
  }
}
