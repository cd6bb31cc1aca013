package org.caliop.milter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.caliop.engine.Verdict;
import org.caliop.facts.ConnectionFacts;
import org.caliop.header.HoldRecord;
import org.caliop.milter.seal.FactsSeal;
import org.caliop.milter.seal.SealedFacts;

/**
 * The two fields caliop adds for Postfix's sake, beside the engine's (docs/milter.md, "Postfix set-ups"):
 * {@code Caliop-Hold} in a message it holds (the hold queue keeps no reason of its own; {@code caliop hold list}
 * reads it, Postfix's {@code milter_header_checks} route the held copy back to caliop by it), and the sealed
 * first-hand facts ({@code Caliop-Facts}) in every message that caliop's re-injection listener is still to judge:
 * whatever an SMTP or local listener keeps, and whatever is held (a release is judged again). A message the
 * re-injection listener lets go carries no seal, and a refused message nothing.
 */
final class Stamps {
  private final FactsSeal seal;
  private final Clock clock;

  /** @param seal the sealer, or null when caliop does not seal (no {@code caliop_seal_key_file}) */
  Stamps(FactsSeal seal, Clock clock) {
    this.seal = seal;
    this.clock = clock;
  }

  /**
   * The answers with our fields added before the final one.
   *
   * @param judged the first-hand facts the message was judged with (sealed ones on the re-injection listener)
   * @param queueId the queue id under which the MTA keeps the message now
   */
  List<Answer> add(List<Answer> answers, ListenRole role, Verdict verdict, ConnectionFacts judged, String sender,
      String queueId) {
    if (answers.isEmpty() || answers.stream().anyMatch(a -> a instanceof Answer.Reply)) {
      return answers;
    }
    Answer.Quarantine hold = (Answer.Quarantine) answers.stream().filter(a -> a instanceof Answer.Quarantine)
        .findFirst().orElse(null);
    List<Answer> extra = new ArrayList<>();
    if (seal != null && judged != null && (hold != null || role != ListenRole.REINJECT)) {
      extra.add(new Answer.InsertHeader(0, SealedFacts.FIELD, seal.seal(SealedFacts.write(judged), sender)));
    }
    if (hold != null) {
      HoldRecord.Builder r = HoldRecord.builder(hold.reason())
          .action(verdict.decision().policyAction().token())
          .direction(verdict.facts().direction().token())
          .missing(verdict.disposition().recipientsWithoutKey())
          .queueId(queueId)
          .at(clock.instant());
      verdict.decision().rule().ifPresent(r::rule);
      if (judged != null) {
        judged.receivedBy().ifPresent(r::by);
      }
      extra.add(new Answer.InsertHeader(0, HoldRecord.FIELD, r.build().render()));
    }
    if (extra.isEmpty()) {
      return answers;
    }
    List<Answer> out = new ArrayList<>(answers.subList(0, answers.size() - 1));
    out.addAll(extra);
    out.add(answers.get(answers.size() - 1));
    return out;
  }
}
