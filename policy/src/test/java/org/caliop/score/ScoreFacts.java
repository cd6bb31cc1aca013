package org.caliop.score;

import java.util.ArrayList;
import java.util.List;
import org.caliop.auth.AuthFixtures;
import org.caliop.auth.AuthResults;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.mime.ContentProtection;
import org.caliop.mime.Encryption;
import org.caliop.mime.Signature;
import org.caliop.received.FirsthandHop;

/** Builds {@link MessageFacts} for score tests without parsing anything. */
final class ScoreFacts {
  private ConnectionFacts connection;
  private final List<Hop> hops = new ArrayList<>();
  private AuthResults auth = AuthResults.none();
  private ContentProtection content = ContentProtection.none();

  static ScoreFacts facts() {
    return new ScoreFacts();
  }

  ScoreFacts firsthand(String tlsVersion) {
    connection = ConnectionFacts.builder().clientAddress("203.0.113.7").helo("mail.sender.example")
        .receivedBy("mx.ours.example").tlsVersion(tlsVersion).cipher(tlsVersion == null ? null : "TLS_AES_256_GCM_SHA384")
        .build();
    hops.add(0, FirsthandHop.of(connection));
    return this;
  }

  ScoreFacts firsthand(ConnectionFacts c) {
    connection = c;
    hops.add(0, FirsthandHop.of(c));
    return this;
  }

  ScoreFacts internal(TlsVersion tls, String protocol) {
    hops.add(hop(Trust.INTERNAL, "relay.ours.example", "10.0.0.5", tls, protocol));
    return this;
  }

  ScoreFacts internalLocal(String protocol) {
    hops.add(hop(Trust.INTERNAL, "localhost", "127.0.0.1", null, protocol));
    return this;
  }

  ScoreFacts claimed(TlsVersion tls, String protocol) {
    hops.add(hop(Trust.CLAIMED, "mail.sender.example", "198.51.100.9", tls, protocol));
    return this;
  }

  ScoreFacts hop(Hop h) {
    hops.add(h);
    return this;
  }

  ScoreFacts auth(String dkim, String spf, String dmarc, String arc) {
    auth = AuthFixtures.aligned(dkim, spf, dmarc, arc);
    return this;
  }

  ScoreFacts content(Encryption e, Signature s) {
    content = ContentProtection.of(e, s);
    return this;
  }

  ScoreFacts content(ContentProtection c) {
    content = c;
    return this;
  }

  static Hop hop(Trust trust, String from, String ip, TlsVersion tls, String protocol) {
    return Hop.builder(trust).fromHost(from).fromIp(ip).byHost("mx.ours.example").tlsVersion(tls).protocol(protocol)
        .build();
  }

  MessageFacts build() {
    return MessageFacts.of(connection, Envelope.empty(), Direction.INBOUND, hops, auth, content, 1000, List.of());
  }

  Score score() {
    return ScoreV2.INSTANCE.score(build());
  }
}
