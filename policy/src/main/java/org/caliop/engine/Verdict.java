package org.caliop.engine;

import java.util.List;
import java.util.Objects;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.Decision;
import org.caliop.score.Score;

/** The engine's answer for one message: what it found, how it scored, what to do, and the header edits. */
public final class Verdict {
  private final MessageFacts facts;
  private final Score score;
  private final Decision decision;
  private final List<HeaderEdit> headerEdits;

  private Verdict(MessageFacts facts, Score score, Decision decision, List<HeaderEdit> headerEdits) {
    this.facts = Objects.requireNonNull(facts);
    this.score = Objects.requireNonNull(score);
    this.decision = Objects.requireNonNull(decision);
    this.headerEdits = List.copyOf(headerEdits);
  }

  public static Verdict of(MessageFacts facts, Score score, Decision decision, List<HeaderEdit> headerEdits) {
    return new Verdict(facts, score, decision, headerEdits);
  }

  public MessageFacts facts() { return facts; }
  public Score score() { return score; }
  public Decision decision() { return decision; }

  /**
   * Removals of foreign fields first ({@link HeaderEdit.Kind#REMOVE_ALL}: every field of the name, in the message
   * the adapter delivers), then additions in the order they should end up, top first. Apply removals before
   * additions.
   */
  public List<HeaderEdit> headerEdits() { return headerEdits; }
}
