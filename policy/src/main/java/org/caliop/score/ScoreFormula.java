package org.caliop.score;

import org.caliop.facts.MessageFacts;

/** A published, versioned way of turning facts into a score. */
public interface ScoreFormula {
  /** The version stamped into headers ("2"). */
  String version();

  Score score(MessageFacts facts);
}
