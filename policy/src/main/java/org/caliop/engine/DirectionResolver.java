package org.caliop.engine;

import java.util.Optional;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.TrustSettings;

/** Tells inbound from outbound from internal, from the envelope and who the client is. */
final class DirectionResolver {
  private final TrustSettings trust;

  DirectionResolver(TrustSettings trust) {
    this.trust = trust;
  }

  /**
   * A client is ours when it authenticated, submitted locally ({@link ConnectionFacts#localSubmission()}: a user or
   * process of our own host, through the MTA's own submission program) or, with {@code clientIsInternal}, comes from
   * an internal network. Mail from one of ours to only local domains is internal; to any other domain, outbound;
   * everything else inbound.
   */
  Direction resolve(Optional<ConnectionFacts> connection, Envelope envelope, boolean clientIsInternal) {
    boolean fromUs = clientIsInternal || connection.flatMap(ConnectionFacts::authUser).isPresent()
        || connection.map(ConnectionFacts::localSubmission).orElse(false);
    if (!fromUs) {
      return Direction.INBOUND;
    }
    boolean allLocal = !envelope.recipients().isEmpty()
        && envelope.recipients().stream().allMatch(r -> trust.isLocalDomain(r.domain()));
    return allLocal ? Direction.INTERNAL : Direction.OUTBOUND;
  }
}
