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
    assertThat(edits).extracting(HeaderEdit::name).containsExactly("Caliop-Privacy", "Caliop-Path", "Caliop-Hop");
    assertThat(edits.get(0).value()).isEqualTo("score=" + score.value() + ", grade=" + score.grade()
        + ", v=2, reasons=(firsthand-tls13 hop-claimed-no-tls dkim-pass spf-pass e2e-none), encrypted=none, "
        + "signed=none, hops=2, by=\"mx.ours.example\"");
    assertThat(edits.get(1).value()).isEqualTo("firsthand;tls=TLSv1.3;proto=ESMTPS;from=\"mail.sender.example\", "
        + "claimed;tls=none;proto=ESMTP;from=\"198.51.100.1\"");
    assertThat(edits.get(2).value()).isEqualTo("from=\"mail.sender.example\", ip=\"203.0.113.7\", "
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

  private static MessageFacts withDirection(MessageFacts f, Direction direction) {
    return MessageFacts.of(f.connection().orElse(null), f.envelope(), direction, f.hops(), f.auth(), f.content(),
        f.size(), f.diagnostics());
  }

  @Test
  void pathAndByShouldBeWrittenForInboundMailOnly() {
    MessageFacts inbound = facts(CONNECTION, ContentProtection.none());
    for (Direction d : new Direction[] {Direction.OUTBOUND, Direction.INTERNAL}) {
      MessageFacts f = withDirection(inbound, d);
      List<HeaderEdit> edits = CaliopHeaders.render(f, ScoreV2.INSTANCE.score(f), Decision.accept(), "stamp.example");
      assertThat(edits).extracting(HeaderEdit::name).as(d.token()).doesNotContain("Caliop-Path");
      // Internal mail is read by our own users, whose clients check by=; outbound mail never names us.
      assertThat(edits.get(0).value()).as(d.token()).contains(d == Direction.INTERNAL ? "by=\"mx.ours.example\"" : "hops=2")
          .endsWith(d == Direction.INTERNAL ? "by=\"mx.ours.example\"" : "hops=2");
    }
  }

  @Test
  void byShouldBeTheConnectionsHostElseTheStamperName() {
    MessageFacts stored = facts(null, ContentProtection.none());
    Score score = ScoreV2.INSTANCE.score(stored);
    assertThat(CaliopHeaders.render(stored, score, Decision.accept(), "mail.example.org").get(0).value())
        .endsWith(", by=\"mail.example.org\"");
    assertThat(CaliopHeaders.render(stored, score, Decision.accept()).get(0).value()).doesNotContain("by=");
    MessageFacts received = facts(CONNECTION, ContentProtection.none());
    assertThat(CaliopHeaders.render(received, score, Decision.accept(), "other.example").get(0).value())
        .endsWith(", by=\"mx.ours.example\"");
  }

  @Test
  void pathShouldDescribeEachKindOfHop() throws Exception {
    List<Hop> hops = List.of(
        Hop.builder(Trust.INTERNAL).fromHost("mail.example.org").fromIp("127.0.0.1").byHost("mail.example.org")
            .protocol("LMTP").build(),
        Hop.builder(Trust.INTERNAL).fromHost("relay").fromRdns("relay.example.org").fromIp("192.0.2.1")
            .protocol("ESMTPSA").tlsVersion(org.caliop.hop.TlsVersion.TLSV1_2).authenticated(true).build(),
        Hop.builder(Trust.CLAIMED).fromHost("mx.example.net").protocol("ESMTPS").country("DE").build(),
        Hop.builder(Trust.CLAIMED).fromHost("laptop").protocol("MAPI").build(),
        Hop.builder(Trust.CLAIMED).raw("garbage").parsed(false).build());
    assertThat(CaliopHeaders.path(hops)).isEqualTo("internal;tls=none;local;proto=LMTP;from=\"127.0.0.1\", "
        + "internal;tls=TLSv1.2;proto=ESMTPSA;auth;from=\"relay.example.org\", "
        + "claimed;tls=unknown;proto=ESMTPS;from=\"mx.example.net\";cc=DE, claimed;proto=MAPI;from=\"laptop\", "
        + "claimed;parsed=?0");
    assertThat(StructuredFields.parseList(CaliopHeaders.path(hops))).hasSize(5);
  }

  @Test
  void pathShouldStayWithinEightHopsAndOneLineWhateverTheHostsSay() throws Exception {
    java.util.Random r = new java.util.Random(7);
    for (int round = 0; round < 500; round++) {
      List<Hop> hops = new java.util.ArrayList<>();
      int n = r.nextInt(40);
      for (int i = 0; i < n; i++) {
        String host = junk(r) + "\"\\".repeat(r.nextInt(80));
        hops.add(Hop.builder(Trust.values()[r.nextInt(3)]).fromHost(host).fromRdns(r.nextBoolean() ? host : null)
            .protocol(junk(r)).tlsVersion(r.nextBoolean() ? org.caliop.hop.TlsVersion.TLSV1_3 : null).authenticated(r.nextBoolean()).build());
      }
      String value = CaliopHeaders.path(hops);
      assertThat(("Caliop-Path: " + value).length()).isLessThanOrEqualTo(998);
      assertThat(value.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
      if (n > 0) {
        List<Object> items = StructuredFields.parseList(value);
        assertThat(items).hasSizeBetween(1, Math.min(n, 8));
      }
    }
  }

  @Test
  void aForgedPathOrPrivacyFromOutsideShouldBeRemovedAndClaimsStayClaimed() throws Exception {
    String message = "Caliop-Path: firsthand;tls=TLSv1.3;from=\"bank.example\"\r\n"
        + "Caliop-Privacy: score=100, grade=A, v=2, by=\"mail.example.org\"\r\n"
        + "Received: from bank.example (bank.example [192.0.2.9]) by mx.example.net with ESMTPSA (TLSv1.3)"
        + " id 1; Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: x\r\n\r\nbody\r\n";
    org.caliop.engine.Assessment v = org.caliop.engine.Engine.withBuiltInPolicy().stampedBy("mail.example.org")
        .assess(null, Envelope.empty(), new java.io.ByteArrayInputStream(message.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(v.headerEdits()).contains(HeaderEdit.removeAll("Caliop-Path"), HeaderEdit.removeAll("Caliop-Privacy"));
    List<HeaderEdit> added = v.headerEdits().stream().filter(e -> e.kind() == HeaderEdit.Kind.ADD)
        .collect(java.util.stream.Collectors.toList());
    assertThat(added).extracting(HeaderEdit::name).containsExactly("Caliop-Privacy", "Caliop-Path");
    assertThat(added.get(1).value()).isEqualTo("claimed;tls=TLSv1.3;proto=ESMTPSA;auth;from=\"bank.example\"");
    assertThat(added.get(0).value()).contains("grade=E").endsWith("by=\"mail.example.org\"");
  }

  @Test
  void engineShouldStripIncomingCaliopFieldsBeforeAddingOurs() throws Exception {
    String message = "Caliop-Privacy: score=100, grade=A, v=1\r\nCaliop-Hop: tls=TLSv1.3\r\nSubject: x\r\n\r\nbody\r\n";
    org.caliop.engine.Assessment v = org.caliop.engine.Engine.withBuiltInPolicy().assess(null, Envelope.empty(),
        new java.io.ByteArrayInputStream(message.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(v.headerEdits()).startsWith(HeaderEdit.removeAll("Caliop-Privacy"), HeaderEdit.removeAll("Caliop-Hop"));
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
