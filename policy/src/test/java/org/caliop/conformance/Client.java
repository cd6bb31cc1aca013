package org.caliop.conformance;

import org.caliop.facts.ConnectionFacts;

/**
 * The SMTP client of a case as the MTA saw it, in the form every adapter can be given: milter macros and events,
 * James's remote address, HELO, authenticated user and TLS session.
 */
public final class Client {
  public final String address;
  public final String name;
  public final String helo;
  /** {@code TLSv1.3} ...; null in clear. */
  public final String tls;
  public final String cipher;
  /** The SMTP AUTH user; null when not authenticated. */
  public final String authUser;
  /** Our own host name (the milter's {@code j}, James's HELO name). */
  public final String receivedBy;

  private Client(String address, String name, String helo, String tls, String authUser, String receivedBy) {
    this.address = address;
    this.name = name;
    this.helo = helo;
    this.tls = tls;
    this.cipher = tls == null ? null : "TLS_AES_256_GCM_SHA384";
    this.authUser = authUser;
    this.receivedBy = receivedBy;
  }

  /** A client from outside over TLS 1.3. */
  static Client outsideTls() {
    return new Client("192.0.2.25", "mx.partner.example", "mx.partner.example", "TLSv1.3", null, "mx.caliop.test");
  }

  /** A client from outside in clear, saying {@code helo}. */
  static Client outsideClear(String helo) {
    return new Client("192.0.2.25", "mx.partner.example", helo, null, null, "mx.caliop.test");
  }

  /** The facts the engine is given when an adapter passes this client on. */
  public ConnectionFacts facts(String queueId) {
    return ConnectionFacts.builder().clientAddress(address).clientName(name).helo(helo).tlsVersion(tls)
        .cipher(cipher).authUser(authUser).receivedBy(receivedBy).queueId(queueId).build();
  }

  @Override
  public String toString() {
    return address + " helo=" + helo + " tls=" + tls;
  }
}
