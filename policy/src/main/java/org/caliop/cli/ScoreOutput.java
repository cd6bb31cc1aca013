package org.caliop.cli;

import org.caliop.engine.Assessment;

/** Where {@code caliop score} writes one result per message. */
interface ScoreOutput {
  void verdict(String name, Assessment verdict);

  void error(String name, String reason);
}
