package org.caliop.score;

import java.util.List;
import org.caliop.engine.MessageFacts;

/** Score formula version 1, published in docs/score.md. */
public final class ScoreV1 implements ScoreFormula {
  public static final ScoreV1 INSTANCE = new ScoreV1();

  private ScoreV1() {
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public Score score(MessageFacts facts) {
    // Skeleton: replaced by the published formula.
    return Score.of(0, Grade.E, version(), List.of(Reason.of("unknown", "nothing known yet")));
  }
}
