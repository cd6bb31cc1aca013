package org.caliop.received;

import org.caliop.facts.ConnectionFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;

/** The hop our own server saw: built from connection facts, never from a header. */
public final class FirsthandHop {
  private FirsthandHop() {
  }

  public static Hop of(ConnectionFacts c) {
    return Hop.builder(Trust.FIRSTHAND)
        .fromHost(c.helo().orElse(null))
        .helo(c.helo().orElse(null))
        .fromIp(c.clientAddress().orElse(null))
        .fromRdns(c.clientName().orElse(null))
        .byHost(c.receivedBy().orElse(null))
        .protocol(c.protocol().orElse(null))
        .tlsVersion(c.tlsVersion().orElse(null))
        .tlsCipher(c.cipher().orElse(null))
        .id(c.queueId().orElse(null))
        .authenticated(c.authUser().isPresent())
        .build();
  }
}
