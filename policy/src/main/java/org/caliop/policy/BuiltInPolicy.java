package org.caliop.policy;

import java.util.EnumSet;
import java.util.Set;
import org.caliop.facts.MessageFacts;
import org.caliop.score.Score;

/** Used when no policy file is given: score and stamp, decide nothing. */
final class BuiltInPolicy implements Policy {
  static final BuiltInPolicy INSTANCE = new BuiltInPolicy();

  private BuiltInPolicy() {
  }

  @Override
  public String source() {
    return "built-in";
  }

  @Override
  public Set<Action> actions() {
    return EnumSet.of(Action.ACCEPT);
  }

  @Override
  public Decision decide(MessageFacts facts, Score score) {
    return Decision.accept();
  }
}
