package org.caliop.cli;

import org.caliop.engine.Verdict;

/** Where {@code caliop score} writes one result per message. */
interface ScoreOutput {
  void verdict(String name, Verdict verdict);

  void error(String name, String reason);
}
