package org.caliop.engine;

import java.util.List;
import java.util.Objects;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.Decision;
import org.caliop.score.Score;

/**
 * The engine's final answer for one message: what it found, how it scored, what the policy decided, the header
 * edits, and the {@link Disposition} every adapter carries out the same way. Holds the encrypted bodies of an
 * {@link Disposition.Encrypted} until {@link #close()}.
 */
public final class Verdict implements AutoCloseable {
  private final Assessment assessment;
  private final Disposition disposition;

  Verdict(Assessment assessment, Disposition disposition) {
    this.assessment = Objects.requireNonNull(assessment);
    this.disposition = Objects.requireNonNull(disposition);
  }

  public MessageFacts facts() { return assessment.facts(); }
  public Score score() { return assessment.score(); }
  public Decision decision() { return assessment.decision(); }

  /** See {@link Assessment#headerEdits()}: applied whenever the message is delivered or kept. */
  public List<HeaderEdit> headerEdits() { return assessment.headerEdits(); }

  /** What the adapter does. */
  public Disposition disposition() { return disposition; }

  public Assessment assessment() { return assessment; }

  @Override
  public void close() {
    disposition.close();
  }

  @Override
  public String toString() {
    return "Verdict[" + disposition + " score=" + score().value() + " " + decision() + "]";
  }
}
