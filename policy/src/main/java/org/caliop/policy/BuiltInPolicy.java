package org.caliop.policy;

import org.caliop.engine.MessageFacts;
import org.caliop.engine.TrustSettings;
import org.caliop.message.ScanLimits;
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
  public TrustSettings trust() {
    return TrustSettings.defaults();
  }

  @Override
  public ScanLimits limits() {
    return ScanLimits.defaults();
  }

  @Override
  public Decision decide(MessageFacts facts, Score score) {
    return Decision.accept();
  }
}
