package org.caliop.engine;

import java.util.List;
import java.util.Optional;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.TrustSettings;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.caliop.received.HopClassifier;
import org.caliop.received.TrustedRun;
import org.caliop.score.ScoreV2;

/** Tells inbound from outbound from internal, from the envelope and who the client is. */
final class DirectionResolver {
  private final TrustSettings trust;
  private final HopClassifier classifier;

  DirectionResolver(TrustSettings trust, HopClassifier classifier) {
    this.trust = trust;
    this.classifier = classifier;
  }

  /**
   * A client is ours when it authenticated, submitted locally ({@link ConnectionFacts#localSubmission()}: a user or
   * process of our own host, through the MTA's own submission program) or comes from an internal network. Mail from
   * one of ours to only local domains is internal; to any other domain, outbound; everything else inbound.
   *
   * <p>With connection facts the first-hand connection says who the client is. Without them (a stored message) the
   * mail is inbound, unless {@code stored} (replay and explain {@code --stored}): then the line our own server wrote when it received the message says it: the
   * entry hop the score and the TLS checks look at ({@link ScoreV2#entryIndex}), internal by the trust settings,
   * which records SMTP AUTH ({@code with ESMTPSA}, {@code (Authenticated sender: u)}), the client's address, or a
   * local submission (a line naming no sender at the bottom of the message: Postfix's pickup). A line below it is
   * a claim and never makes mail outbound: whoever wrote it could escape the inbound rules so.
   *
   * @param connection our own connection facts, when an MTA gave them
   * @param hops the classified hops, newest first
   * @param stored without connection facts, work the direction out from {@code hops}
   */
  Direction resolve(Optional<ConnectionFacts> connection, List<Hop> hops, Envelope envelope, boolean stored) {
    boolean fromUs = connection.isPresent() ? clientIsOurs(connection.get()) : stored && storedFromUs(hops);
    if (!fromUs) {
      return Direction.INBOUND;
    }
    boolean allLocal = !envelope.recipients().isEmpty()
        && envelope.recipients().stream().allMatch(r -> trust.isLocalDomain(r.domain()));
    return allLocal ? Direction.INTERNAL : Direction.OUTBOUND;
  }

  private boolean clientIsOurs(ConnectionFacts c) {
    return c.authUser().isPresent() || c.localSubmission()
        || c.clientAddress().map(classifier::isInternalAddress).orElse(false);
  }

  /**
   * The hop our server received the stored message on: the entry hop, else, when every line is ours and none crossed
   * a network (a local submission, a webmail on loopback), the oldest line. Trusted local lines above claimed ones (a
   * content filter's reinjection on 127.0.0.1) say nothing of where the message came from: inbound.
   */
  private boolean storedFromUs(List<Hop> hops) {
    int entry = ScoreV2.entryIndex(hops);
    if (entry < 0 && !hops.isEmpty() && TrustedRun.hops(hops) == hops.size()) {
      entry = hops.size() - 1;
    }
    if (entry < 0) {
      return false;
    }
    Hop hop = hops.get(entry);
    if (hop.trust() != Trust.INTERNAL) {
      return false;
    }
    boolean lastLine = entry == hops.size() - 1;
    return hop.authenticated() || hop.fromIp().map(classifier::isInternalAddress).orElse(false)
        || hop.localInjection() && lastLine;
  }
}
