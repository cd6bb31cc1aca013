package org.caliop.engine;

import java.util.List;
import java.util.Objects;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.score.Score;

/**
 * The engine's judgement of one message before it is carried out: what it found, how it scored, what the policy
 * decided, and the header edits. {@link Engine#conclude} turns it into a {@link Verdict} with the final
 * {@link Disposition}. Immutable.
 */
public final class Assessment {
  private final Policy policy;
  private final MessageFacts facts;
  private final Score score;
  private final Decision decision;
  private final List<HeaderEdit> headerEdits;
  private final boolean encrypts;

  Assessment(Policy policy, MessageFacts facts, Score score, Decision decision, List<HeaderEdit> headerEdits,
      boolean encrypts) {
    this.policy = Objects.requireNonNull(policy);
    this.facts = Objects.requireNonNull(facts);
    this.score = Objects.requireNonNull(score);
    this.decision = Objects.requireNonNull(decision);
    this.headerEdits = List.copyOf(headerEdits);
    this.encrypts = encrypts;
  }

  public MessageFacts facts() { return facts; }
  public Score score() { return score; }

  /** What the policy decided (its action, rule, reasons); the disposition may differ (missing keys, dry-run). */
  public Decision decision() { return decision; }

  /**
   * Removals of foreign fields first ({@link HeaderEdit.Kind#REMOVE_ALL}: every field of the name, in the message
   * the adapter delivers; forged Authentication-Results by occurrence), then additions in the order they should end
   * up, top first. Apply removals before additions. Whatever the disposition, these are
   * the edits of a message that is delivered or kept.
   */
  public List<HeaderEdit> headerEdits() { return headerEdits; }

  /**
   * Concluding encrypts: it reads the message again and does crypto (keys, ciphers, a new body), so an adapter that
   * judged on a network thread hands the conclusion to a worker.
   */
  public boolean encrypts() { return encrypts; }

  /**
   * The same message judged again on other facts (the CLI's {@code explain --direction}): the header edits stay
   * those of the original judgement.
   */
  public Assessment redecided(MessageFacts facts, Score score, Decision decision) {
    return new Assessment(policy, facts, score, decision, headerEdits, decision.policyAction() == Action.ENCRYPT);
  }

  /** The policy generation that judged: concluding uses its keys. */
  Policy policy() { return policy; }
}
