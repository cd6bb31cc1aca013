package org.caliop.received;

import java.util.List;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;

/**
 * The leading trusted run of classified hops (first-hand and internal, up to the first claimed one), measured in the
 * message's own {@code Received:} fields: what RFC 8601 §5 needs to tell a field written by one of ours (above the
 * oldest {@code Received:} of the run) from one that came with the message.
 */
public final class TrustedRun {
  private TrustedRun() {
  }

  /** How many hops at the top are first-hand or internal. */
  public static int hops(List<Hop> classified) {
    int n = 0;
    while (n < classified.size() && classified.get(n).trust() != Trust.CLAIMED) {
      n++;
    }
    return n;
  }

  /**
   * How many of the message's {@code Received:} fields the run covers.
   *
   * @param classified {@link HopClassifier#classify}'s result
   * @param receivedFields how many {@code Received:} fields it was given
   * @return the run's hops, less the first-hand hop when it has no field of its own in the message (Postfix never
   *     shows a milter its own {@code Received:}; James's is folded into the first-hand hop and counts)
   */
  public static int receivedFields(List<Hop> classified, int receivedFields) {
    int run = hops(classified);
    boolean firsthandWithoutField = classified.size() == receivedFields + 1;
    return firsthandWithoutField && run > 0 ? run - 1 : run;
  }
}
