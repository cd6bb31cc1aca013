package org.caliop.milter.seal;

import java.util.List;
import java.util.Optional;
import org.caliop.facts.ConnectionFacts;
import org.caliop.received.ReceivedParser;

/**
 * What caliop's re-injection listener judges a message with: the first-hand facts sealed into it where it came in,
 * and how many {@code Received:} fields stand above the line Postfix wrote for that first-hand connection (our own
 * re-injection hops: one per pass through the re-injection listener before this one, e.g. a release from hold).
 * Believed only when exactly one {@code Caliop-Facts} field opens for this envelope sender and a {@code Received:}
 * line with the sealed queue id stands among the top ones; otherwise {@link #why} says why not, and the message is
 * judged as what it is, a loopback client of the re-injection listener.
 */
public final class Unsealed {
  private final ConnectionFacts facts;
  private final int ownHops;
  private final String why;

  private Unsealed(ConnectionFacts facts, int ownHops, String why) {
    this.facts = facts;
    this.ownHops = ownHops;
    this.why = why;
  }

  /**
   * @param seals every {@code Caliop-Facts} value of the message, in order
   * @param received the first {@code Received:} values, top first
   * @param sender the envelope sender as the MTA gave it
   */
  public static Unsealed open(FactsSeal seal, List<String> seals, List<String> received, String sender) {
    if (seals.isEmpty()) {
      return new Unsealed(null, 0, "none");
    }
    if (seals.size() > 1) {
      // caliop writes one and removes every other: a second one was not written by caliop on this path
      return new Unsealed(null, 0, "several");
    }
    Optional<ConnectionFacts> facts = seal.open(seals.get(0), sender).flatMap(SealedFacts::read);
    if (facts.isEmpty()) {
      return new Unsealed(null, 0, "invalid");
    }
    Optional<String> id = facts.get().queueId();
    for (int i = 0; id.isPresent() && i < received.size(); i++) {
      if (ReceivedParser.parse(received.get(i)).id().filter(id.get()::equals).isPresent()) {
        return new Unsealed(facts.get(), i, null);
      }
    }
    return new Unsealed(null, 0, "unmatched");
  }

  /** The sealed facts, when they are believed. */
  public Optional<ConnectionFacts> facts() {
    return Optional.ofNullable(facts);
  }

  /** {@code Received:} fields above our sealed first-hand line: our own re-injection hops. */
  public int ownHops() {
    return ownHops;
  }

  /**
   * Why the facts are not believed, for the log line: {@code none} (no seal), {@code several}, {@code invalid} (does
   * not open for this sender, or not with our keys), {@code unmatched} (no Received line with the sealed queue id
   * among the top ones); empty when they are.
   */
  public Optional<String> why() {
    return Optional.ofNullable(why);
  }
}
