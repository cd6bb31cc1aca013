package org.caliop.hop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.caliop.engine.ConnectionFacts;
import org.caliop.engine.TrustSettings;

/** Labels each hop firsthand, internal or claimed, and adds the first-hand hop on top. */
public final class HopClassifier {
  private final TrustSettings trust;

  public HopClassifier(TrustSettings trust) {
    this.trust = trust;
  }

  /**
   * @param received hops parsed from {@code Received:} headers, newest first, all {@link Trust#CLAIMED}
   * @param connection our own connection facts, when an MTA gave them
   * @return the first-hand hop (if any) followed by the received hops with their trust set
   */
  public List<Hop> classify(List<Hop> received, Optional<ConnectionFacts> connection) {
    // Skeleton: replaced by the real classification.
    List<Hop> out = new ArrayList<>(received.size() + 1);
    connection.ifPresent(c -> out.add(FirsthandHop.of(c)));
    out.addAll(received);
    return out;
  }

  /** Whether an IP address (v4 or v6 text) is in one of the internal networks. */
  public boolean isInternalAddress(String ip) {
    return false;
  }
}
