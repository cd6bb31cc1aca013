package org.caliop.milter.seal;

import java.util.Map;
import java.util.Optional;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Listener;
import org.caliop.header.StructuredFields;

/**
 * The first-hand facts of a connection as caliop seals them into a message ({@code Caliop-Facts}, docs/milter.md
 * "Postfix set-ups"): what Postfix told caliop about the client where the mail came in (address, name, HELO, TLS,
 * SMTP AUTH, client certificate, the listener, the queue id, whether it was a local submission), so that caliop's
 * re-injection listener, which only sees Postfix's own loopback client, judges the message with them. An RFC 8941
 * dictionary of strings, sealed by {@link FactsSeal}; each text is at most {@link StructuredFields#MAX_STRING}
 * characters of printable ASCII, as our header fields carry them.
 */
public final class SealedFacts {
  /** The header field that carries them, sealed. */
  public static final String FIELD = "Caliop-Facts";

  private SealedFacts() {
  }

  /** The facts as plain text, for {@link FactsSeal#seal}. */
  public static String write(ConnectionFacts c) {
    StructuredFields.DictionaryWriter w = StructuredFields.dictionary().integer("v", 1);
    c.clientAddress().ifPresent(a -> w.string("ip", a.toString()));
    c.clientName().ifPresent(v -> w.string("name", v));
    c.helo().ifPresent(v -> w.string("helo", v));
    c.tlsVersionRaw().ifPresent(v -> w.string("tls", v));
    c.cipher().ifPresent(v -> w.string("cipher", v));
    c.cipherBits().ifPresent(v -> w.integer("bits", v));
    c.authType().ifPresent(v -> w.string("auth-type", v));
    c.authUser().ifPresent(v -> w.string("auth", v));
    c.certSubject().ifPresent(v -> w.string("cert-subject", v));
    c.certIssuer().ifPresent(v -> w.string("cert-issuer", v));
    c.receivedBy().ifPresent(v -> w.string("by", v));
    c.queueId().ifPresent(v -> w.string("id", v));
    c.protocol().ifPresent(p -> w.string("proto", p.name()));
    Listener l = c.listener();
    l.name().ifPresent(v -> w.string("daemon-name", v));
    l.address().ifPresent(v -> w.string("daemon-addr", v.toString()));
    if (l.port() > 0) {
      w.integer("daemon-port", l.port());
    }
    if (c.localSubmission()) {
      w.bool("local", true);
    }
    return w.toString();
  }

  /** The facts read back from {@link #write}'s text; empty when it is not such a text. */
  public static Optional<ConnectionFacts> read(String text) {
    Map<String, Object> d;
    try {
      d = StructuredFields.parseDictionary(text);
    } catch (StructuredFields.ParseException e) {
      return Optional.empty();
    }
    if (!Long.valueOf(1).equals(value(d, "v"))) {
      return Optional.empty();
    }
    ConnectionFacts.Builder b = ConnectionFacts.builder()
        .clientAddress(text(d, "ip"))
        .clientName(text(d, "name"))
        .helo(text(d, "helo"))
        .tlsVersion(text(d, "tls"))
        .cipher(text(d, "cipher"))
        .authType(text(d, "auth-type"))
        .authUser(text(d, "auth"))
        .certSubject(text(d, "cert-subject"))
        .certIssuer(text(d, "cert-issuer"))
        .receivedBy(text(d, "by"))
        .queueId(text(d, "id"))
        .protocol(text(d, "proto"))
        .daemonName(text(d, "daemon-name"))
        .daemonAddress(text(d, "daemon-addr"))
        .localSubmission(Boolean.TRUE.equals(value(d, "local")));
    if (value(d, "bits") instanceof Long bits && bits >= 0 && bits <= 65_536) {
      b.cipherBits((int) (long) bits);
    }
    if (value(d, "daemon-port") instanceof Long port) {
      b.daemonPort(port > 0 && port <= 65_535 ? (int) (long) port : 0);
    }
    return Optional.of(b.build());
  }

  private static Object value(Map<String, Object> d, String key) {
    return d.get(key) instanceof StructuredFields.Item i ? i.value() : null;
  }

  private static String text(Map<String, Object> d, String key) {
    return value(d, key) instanceof String s ? s : null;
  }
}
