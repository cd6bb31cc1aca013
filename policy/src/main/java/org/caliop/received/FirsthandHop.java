package org.caliop.received;

import org.caliop.facts.ConnectionFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;

/** The hop our own server saw: built from connection facts, never from a header. */
public final class FirsthandHop {
  private FirsthandHop() {
  }

  /**
   * The client's HELO stands as the {@code from} name, for labels only: what a client says about itself never
   * decides anything (not locality: only its address does).
   */
  public static Hop of(ConnectionFacts c) {
    return Hop.builder(Trust.FIRSTHAND)
        .fromHost(c.helo().orElse(null))
        .helo(c.helo().orElse(null))
        .fromIp(c.clientAddress().orElse(null))
        .fromRdns(c.clientName().orElse(null))
        .byHost(c.receivedBy().orElse(null))
        .protocol(c.protocol().orElse(null))
        .tls(c.tls())
        .tlsVersion(c.tlsVersion().orElse(null))
        .tlsCipher(c.cipher().orElse(null))
        .id(c.queueId().orElse(null))
        .authenticated(c.authUser().isPresent())
        .build();
  }
}
