package org.caliop.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.caliop.mime.SignatureStatus;
import org.caliop.received.FirsthandHop;
import org.caliop.score.Grade;
import org.caliop.score.Score;

/** Builds policy files and message facts for policy tests. */
final class PolicyFixtures {
  private PolicyFixtures() {
  }

  static Path write(Path dir, String name, String... lines) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CompiledPolicy load(Path dir, String... lines) {
    try {
      return PolicyLoader.load(write(dir, "policy.yaml", lines));
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static List<String> problems(Path dir, String... lines) {
    List<String> out = new ArrayList<>();
    for (Problem p : PolicyLoader.check(write(dir, "policy.yaml", lines)).problems()) {
      out.add(p.toString().substring(p.toString().indexOf("policy.yaml")));
    }
    return out;
  }

  static Score score(int value, Grade grade) {
    return Score.of(value, grade, "1", List.of());
  }

  static Score goodScore() {
    return score(90, Grade.A);
  }

  /** A message builder with sensible defaults: inbound, TLS 1.3 first-hand hop, nothing else. */
  static Facts facts() {
    return new Facts();
  }

  static final class Facts {
    private String sender = "alice@partner.example";
    private List<String> recipients = List.of("bob@example.org");
    private Direction direction = Direction.INBOUND;
    private String tls = "TLSv1.3";
    private final List<Hop> extraHops = new ArrayList<>();
    private AuthResults auth = AuthResults.none();
    private ContentProtection content = ContentProtection.none();
    private boolean stored;
    private String client = "192.0.2.1";

    Facts from(String v) { sender = v; return this; }
    Facts to(String... v) { recipients = List.of(v); return this; }
    Facts direction(Direction v) { direction = v; return this; }
    Facts tls(String v) { tls = v; return this; }
    Facts client(String ip) { client = ip; return this; }
    Facts auth(String dkim, String dmarc) { auth = AuthFixtures.aligned(dkim, null, dmarc, null); return this; }
    Facts encrypted(Encryption e) { content = ContentProtection.of(e, content.signed()); return this; }
    /** Signed and verified (what require_signed asks for). */
    Facts signed(Signature s) {
      content = ContentProtection.of(content.encrypted(), s, false, SignatureStatus.VERIFIED, "signer checked");
      return this;
    }

    /** Signed, with this status. */
    Facts signed(Signature s, SignatureStatus status) {
      content = ContentProtection.of(content.encrypted(), s, false, status, "test");
      return this;
    }

    Facts internalHop(boolean withTls) {
      extraHops.add(Hop.builder(Trust.INTERNAL).fromHost("relay.example.org").byHost("mx.example.org")
          .protocol(withTls ? "ESMTPS" : "ESMTP").tlsVersion(withTls ? TlsVersion.TLSV1_2 : null).build());
      return this;
    }

    /** Any hop, below the first-hand one (or first, for stored mail). */
    Facts hop(Hop h) {
      extraHops.add(h);
      return this;
    }

    /** Stored mail: no first-hand connection, only the hops added. */
    Facts stored() {
      stored = true;
      return this;
    }

    MessageFacts build() {
      if (stored) {
        return MessageFacts.of(null, Envelope.of(sender, recipients), direction, extraHops, auth, content, 1000,
            List.of());
      }
      ConnectionFacts c = ConnectionFacts.builder().clientAddress(client).helo("mx.partner.example")
          .tlsVersion(tls).queueId("4ABC").protocol(tls == null ? "ESMTP" : "ESMTPS").build();
      List<Hop> hops = new ArrayList<>();
      hops.add(FirsthandHop.of(c));
      hops.addAll(extraHops);
      return MessageFacts.of(c, Envelope.of(sender, recipients), direction, hops, auth, content, 1000, List.of());
    }
  }
}
