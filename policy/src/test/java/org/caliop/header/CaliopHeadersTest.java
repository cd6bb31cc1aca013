package org.caliop.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.caliop.auth.AuthFixtures;
import org.caliop.auth.AuthResults;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.header.StructuredFields.InnerList;
import org.caliop.header.StructuredFields.Item;
import org.caliop.header.StructuredFields.Token;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.caliop.mime.ContentProtection;
import org.caliop.mime.Encryption;
import org.caliop.mime.Signature;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.received.FirsthandHop;
import org.caliop.score.Score;
import org.caliop.score.ScoreV2;
import org.junit.jupiter.api.Test;

class CaliopHeadersTest {

  private static final ConnectionFacts CONNECTION = ConnectionFacts.builder().clientAddress("203.0.113.7")
      .clientName("mail.sender.example").helo("mail.sender.example").tlsVersion("TLSv1.3")
      .cipher("TLS_AES_256_GCM_SHA384").cipherBits(256).receivedBy("mx.ours.example").queueId("4F1A2B3C")
      .protocol("ESMTPS").build();

  private static MessageFacts facts(ConnectionFacts c, ContentProtection content) {
    List<Hop> hops = c == null ? List.of() : List.of(FirsthandHop.of(c),
        Hop.builder(Trust.CLAIMED).fromHost("a.example").fromIp("198.51.100.1").byHost("mail.sender.example")
            .protocol("ESMTP").build());
    return MessageFacts.of(c, Envelope.empty(), Direction.INBOUND, hops, AuthFixtures.aligned("pass", "pass", null, null),
        content, 100, List.of());
  }

  @Test
  void renderShouldWritePrivacyThenHopWhenNoRuleMatched() {
    MessageFacts f = facts(CONNECTION, ContentProtection.none());
    Score score = ScoreV2.INSTANCE.score(f);
    List<HeaderEdit> edits = CaliopHeaders.render(f, score, Decision.accept());
    assertThat(edits).extracting(HeaderEdit::name).containsExactly("Caliop-Privacy", "Caliop-Hop");
    assertThat(edits.get(0).value()).isEqualTo("score=" + score.value() + ", grade=" + score.grade()
        + ", v=2, reasons=(firsthand-tls13 hop-claimed-no-tls dkim-pass spf-pass e2e-none), encrypted=none, "
        + "signed=none, hops=2");
    assertThat(edits.get(1).value()).isEqualTo("from=\"mail.sender.example\", ip=\"203.0.113.7\", "
        + "helo=\"mail.sender.example\", proto=ESMTPS, tls=TLSv1.3, cipher=\"TLS_AES_256_GCM_SHA384\", bits=256, "
        + "auth=?0, cert=?0, by=\"mx.ours.example\", id=\"4F1A2B3C\"");
  }

  @Test
  void privacyShouldParseBackAsDictionary() throws Exception {
    MessageFacts f = facts(null, ContentProtection.of(Encryption.SMIME, Signature.SMIME));
    Map<String, Object> d = StructuredFields.parseDictionary(CaliopHeaders.privacy(f, ScoreV2.INSTANCE.score(f)));
    assertThat(d.get("encrypted")).isEqualTo(Item.of(Token.of("smime")));
    assertThat(d.get("v")).isEqualTo(Item.of(2L));
    assertThat(((InnerList) d.get("reasons")).items()).contains(Item.of(Token.of("e2e-smime")));
  }

  @Test
  void renderShouldOmitHopWithoutConnectionFacts() {
    MessageFacts f = facts(null, ContentProtection.none());
    assertThat(CaliopHeaders.render(f, ScoreV2.INSTANCE.score(f), Decision.accept())).extracting(HeaderEdit::name)
        .containsExactly("Caliop-Privacy");
  }

  @Test
  void hopShouldSanitizeHostileConnectionText() throws Exception {
    ConnectionFacts hostile = ConnectionFacts.builder().clientAddress("1.2.3.4").helo("evil\r\nBcc: x@y\u00e9")
        .tlsVersion("TLSv9").authUser("alice").certSubject("CN=x").receivedBy("mx\n").queueId("\"q\\").build();
    String value = CaliopHeaders.hop(hostile);
    assertThat(value.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
    Map<String, Object> d = StructuredFields.parseDictionary(value);
    assertThat(d.get("helo")).isEqualTo(Item.of("evil??Bcc: x@y?"));
    assertThat(d.get("tls")).isEqualTo(Item.of(Token.of("unknown")));
    assertThat(d.get("auth")).isEqualTo(Item.of(true));
    assertThat(d.get("cert")).isEqualTo(Item.of(true));
    assertThat(d.get("id")).isEqualTo(Item.of("\"q\\"));
    assertThat(value).doesNotContain("alice");
  }

  @Test
  void hopShouldAlwaysParseBackWhateverTheConnectionSays() throws Exception {
    java.util.Random r = new java.util.Random(42);
    for (int round = 0; round < 2_000; round++) {
      ConnectionFacts c = ConnectionFacts.builder().clientAddress(junk(r)).clientName(junk(r)).helo(junk(r))
          .tlsVersion(junk(r)).cipher(junk(r)).protocol(junk(r)).receivedBy(junk(r)).queueId(junk(r))
          .authUser(junk(r)).build();
      String value = CaliopHeaders.hop(c);
      assertThat(value.chars()).allMatch(ch -> ch >= 0x20 && ch <= 0x7e);
      assertThat(StructuredFields.parseDictionary(value)).containsKeys("tls", "auth", "cert");
      Decision d = Decision.builder(Action.REJECT).rule(junk(r)).reasons(List.of(junk(r) + "x")).build();
      assertThat(StructuredFields.parseDictionary(CaliopHeaders.policy(d))).containsKeys("action", "dry-run");
    }
  }

  private static String junk(java.util.Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(40);
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(10);
      b.append(kind == 0 ? (char) r.nextInt(0x20) : kind == 1 ? (char) (0x80 + r.nextInt(0xff00))
          : kind == 2 ? '"' : kind == 3 ? '\\' : (char) (0x20 + r.nextInt(0x5f)));
    }
    return b.toString();
  }

  @Test
  void engineShouldStripIncomingCaliopFieldsBeforeAddingOurs() throws Exception {
    String message = "Caliop-Privacy: score=100, grade=A, v=1\r\nCaliop-Hop: tls=TLSv1.3\r\nSubject: x\r\n\r\nbody\r\n";
    org.caliop.engine.Assessment v = org.caliop.engine.Engine.withBuiltInPolicy().assess(null, Envelope.empty(),
        new java.io.ByteArrayInputStream(message.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(v.headerEdits()).startsWith(HeaderEdit.remove("Caliop-Privacy", 1), HeaderEdit.remove("Caliop-Hop", 1));
    assertThat(v.headerEdits()).filteredOn(e -> e.kind() == HeaderEdit.Kind.ADD).extracting(HeaderEdit::name)
        .containsExactly("Caliop-Privacy");
    assertThat(v.score().grade()).isEqualTo(org.caliop.score.Grade.E);
  }

  @Test
  void hopShouldSayNoneWhenInClear() {
    ConnectionFacts clear = ConnectionFacts.builder().clientAddress("::1").build();
    assertThat(CaliopHeaders.hop(clear)).isEqualTo("ip=\"::1\", tls=none, auth=?0, cert=?0");
  }

  @Test
  void policyShouldBeWrittenForDryRunWithTheActionEnforcingWouldTake() throws Exception {
    Decision d = Decision.builder(Action.REJECT).dryRun(true).rule("conf/partners.yml:12")
        .reasons(List.of("TLS below TLSv1.2 on our hop", "x\r\ny")).build();
    MessageFacts f = facts(null, ContentProtection.none());
    List<HeaderEdit> edits = CaliopHeaders.render(f, ScoreV2.INSTANCE.score(f), d);
    assertThat(edits).extracting(HeaderEdit::name).containsExactly("Caliop-Privacy", "Caliop-Policy");
    assertThat(edits.get(1).value()).isEqualTo("action=reject, dry-run, rule=\"conf/partners.yml:12\", "
        + "why=(\"TLS below TLSv1.2 on our hop\" \"x??y\")");
    assertThat(StructuredFields.parseDictionary(edits.get(1).value()).get("dry-run")).isEqualTo(Item.of(true));
  }

  @Test
  void policyShouldBeWrittenWhenARuleMatchedInEnforceMode() {
    Decision d = Decision.builder(Action.TAG).rule("global").build();
    assertThat(CaliopHeaders.policy(d)).isEqualTo("action=tag, dry-run=?0, rule=\"global\"");
  }
}
