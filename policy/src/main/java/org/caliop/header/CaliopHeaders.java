package org.caliop.header;

import java.util.ArrayList;
import java.util.List;
import org.caliop.engine.HeaderEdit;
import org.caliop.engine.MessageFacts;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.score.Score;

/** The header fields caliop writes, as RFC 8941 structured fields (docs/headers.md). */
public final class CaliopHeaders {
  public static final String PRIVACY = "Caliop-Privacy";
  public static final String HOP = "Caliop-Hop";
  public static final String POLICY = "Caliop-Policy";

  private CaliopHeaders() {
  }

  /** Our fields, top first: Caliop-Privacy, then Caliop-Policy when a rule matched, then Caliop-Hop. */
  public static List<HeaderEdit> render(MessageFacts facts, Score score, Decision decision) {
    // Skeleton: replaced by the structured-field rendering.
    List<HeaderEdit> out = new ArrayList<>();
    out.add(HeaderEdit.add(PRIVACY, "score=" + score.value() + ", grade=" + score.grade() + ", v=" + score.version()));
    if (decision.rule().isPresent() || decision.action() != Action.ACCEPT) {
      out.add(HeaderEdit.add(POLICY, "action=" + decision.policyAction().token()));
    }
    return out;
  }
}
