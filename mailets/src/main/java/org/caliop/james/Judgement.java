package org.caliop.james;

import java.security.MessageDigest;
import java.util.Objects;
import org.caliop.engine.Assessment;
import org.caliop.policy.Policy;

/**
 * The engine's assessment of a mail together with everything it was made from: the SHA-256 of the message bytes it
 * read, the facts read from the mail ({@link MailFacts#inputs}), the policy generation and the engine settings. Two
 * judgements with equal inputs are the same judgement, so one may stand for the other. Immutable.
 */
public final class Judgement {
  private final Assessment assessment;
  private final Inputs inputs;

  Judgement(Assessment assessment, Inputs inputs) {
    this.assessment = Objects.requireNonNull(assessment);
    this.inputs = Objects.requireNonNull(inputs);
  }

  public Assessment assessment() {
    return assessment;
  }

  Inputs inputs() {
    return inputs;
  }

  /** What an assessment depends on. */
  static final class Inputs {
    private final byte[] messageDigest;
    private final String facts;
    private final Policy policy;
    private final String engineSettings;

    /** @param policy the generation that judged, or null when not known (then nothing is the same) */
    Inputs(byte[] messageDigest, String facts, Policy policy, String engineSettings) {
      this.messageDigest = messageDigest.clone();
      this.facts = Objects.requireNonNull(facts);
      this.policy = policy;
      this.engineSettings = Objects.requireNonNull(engineSettings);
    }

    boolean judgedBy(Policy generation) {
      return policy != null && policy == generation;
    }

    /**
     * Everything equal; the policy is the same generation (the same object: a reload makes a new one). The digest
     * is compared in constant time, though nobody outside sees either side.
     */
    boolean sameAs(Inputs other) {
      return judgedBy(other.policy) && engineSettings.equals(other.engineSettings) && facts.equals(other.facts)
          && MessageDigest.isEqual(messageDigest, other.messageDigest);
    }
  }
}
