package org.caliop.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.score.ScoreFacts.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
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
import org.junit.jupiter.api.Test;

class ScoreV2Test {

  @Test
  void scoreShouldGiveAWhenFirsthandTls13DmarcPassAndEncrypted() {
    Score s = facts().firsthand("TLSv1.3").auth("pass", "pass", "pass", null)
        .content(Encryption.PGP_MIME, Signature.NONE).score();
    assertThat(s.value()).isEqualTo(95);
    assertThat(s.grade()).isEqualTo(Grade.A);
    assertThat(s.version()).isEqualTo("2");
    assertThat(codes(s)).contains("firsthand-tls13", "dmarc-pass", "dkim-pass", "spf-pass", "e2e-pgp-mime");
  }

  @Test
  void scoreShouldGiveBWhenFirsthandTls13DmarcPassButNotEncrypted() {
    Score s = facts().firsthand("TLSv1.3").auth("pass", "pass", "pass", null).score();
    assertThat(s.value()).isEqualTo(55);
    assertThat(s.grade()).isEqualTo(Grade.B);
    assertThat(codes(s)).contains("e2e-none");
  }

  @Test
  void scoreShouldGiveCWhenFirsthandTls12Only() {
    Score s = facts().firsthand("TLSv1.2").score();
    assertThat(s.value()).isEqualTo(36);
    assertThat(s.grade()).isEqualTo(Grade.C);
    assertThat(codes(s)).contains("firsthand-tls12", "auth-unknown", "e2e-none");
  }

  @Test
  void scoreShouldGiveDWhenOnlyInlinePgpIsKnown() {
    Score s = facts().content(Encryption.PGP_INLINE, Signature.NONE).score();
    assertThat(s.value()).isEqualTo(30);
    assertThat(s.grade()).isEqualTo(Grade.D);
    assertThat(codes(s)).containsExactly("transport-unknown", "auth-unknown", "e2e-pgp-inline");
  }

  @Test
  void scoreShouldGiveNothingForALabelWithoutCiphertextAndSaySo() {
    Score labelled = facts().firsthand("TLSv1.3")
        .content(ContentProtection.of(Encryption.NONE, Signature.NONE, true)).score();
    Score clear = facts().firsthand("TLSv1.3").score();
    Score mixed = facts().firsthand("TLSv1.3")
        .content(ContentProtection.of(Encryption.MIXED, Signature.NONE, true)).score();

    assertThat(labelled.value()).isEqualTo(clear.value()).isEqualTo(40);
    assertThat(codes(labelled)).containsSequence("e2e-none", "e2e-label-without-ciphertext");
    assertThat(mixed.value()).isEqualTo(55);
    assertThat(codes(mixed)).containsSequence("e2e-mixed", "e2e-label-without-ciphertext");
  }

  @Test
  void scoreShouldGiveSignaturePointsOnlyWhenVerified() {
    Score verified = facts().firsthand("TLSv1.3").content(ContentProtection.of(Encryption.NONE, Signature.SMIME,
        false, SignatureStatus.VERIFIED, "signer alice@example.com, anchored in trust.smime_trust_store")).score();
    Score unverified = facts().firsthand("TLSv1.3").content(ContentProtection.of(Encryption.NONE, Signature.SMIME,
        false, SignatureStatus.UNVERIFIED, "signer alice@example.com, not anchored in trust.smime_trust_store"))
        .score();
    Score invalid = facts().firsthand("TLSv1.3").content(ContentProtection.of(Encryption.NONE, Signature.PGP_MIME,
        false, SignatureStatus.INVALID, "the signature does not match")).score();

    assertThat(verified.value()).isEqualTo(45);
    assertThat(codes(verified)).endsWith("e2e-none", "signed-smime");
    assertThat(verified.reasons().get(verified.reasons().size() - 1).text()).contains("verified")
        .contains("alice@example.com");
    assertThat(unverified.value()).isEqualTo(40);
    assertThat(codes(unverified)).endsWith("e2e-none", "signed-unverified");
    assertThat(unverified.reasons().get(unverified.reasons().size() - 1).text()).contains("not anchored");
    assertThat(invalid.value()).isEqualTo(40);
    assertThat(codes(invalid)).endsWith("e2e-none", "signed-invalid");
  }

  @Test
  void scoreShouldGiveEWhenNothingIsKnown() {
    Score s = facts().score();
    assertThat(s.value()).isZero();
    assertThat(s.grade()).isEqualTo(Grade.E);
    assertThat(codes(s)).containsExactly("transport-unknown", "auth-unknown", "e2e-none");
  }

  @Test
  void scoreShouldGiveEWhenFirsthandInClear() {
    Score s = facts().firsthand((String) null).auth("pass", null, null, null).score();
    assertThat(s.value()).isEqualTo(10);
    assertThat(s.grade()).isEqualTo(Grade.E);
    assertThat(codes(s)).contains("firsthand-no-tls");
  }

  @Test
  void gradeShouldUseFixedThresholds() {
    assertThat(ScoreV2.grade(100)).isEqualTo(Grade.A);
    assertThat(ScoreV2.grade(85)).isEqualTo(Grade.A);
    assertThat(ScoreV2.grade(84)).isEqualTo(Grade.B);
    assertThat(ScoreV2.grade(50)).isEqualTo(Grade.B);
    assertThat(ScoreV2.grade(49)).isEqualTo(Grade.C);
    assertThat(ScoreV2.grade(35)).isEqualTo(Grade.C);
    assertThat(ScoreV2.grade(34)).isEqualTo(Grade.D);
    assertThat(ScoreV2.grade(20)).isEqualTo(Grade.D);
    assertThat(ScoreV2.grade(19)).isEqualTo(Grade.E);
    assertThat(ScoreV2.grade(0)).isEqualTo(Grade.E);
  }

  @Test
  void scoreShouldBeAAt85WhenInternalHopTls13() {
    Score s = facts().firsthand("TLSv1.3").internal(TlsVersion.TLSV1_3, "ESMTPS").auth(null, "pass", null, null)
        .content(Encryption.SMIME, Signature.NONE).score();
    assertThat(s.value()).isEqualTo(85);
    assertThat(s.grade()).isEqualTo(Grade.A);
  }

  @Test
  void scoreShouldBeBAt84WhenInternalHopTls12() {
    Score s = facts().firsthand("TLSv1.3").internal(TlsVersion.TLSV1_2, "ESMTPS").auth(null, "pass", null, null)
        .content(Encryption.SMIME, Signature.NONE).score();
    assertThat(s.value()).isEqualTo(84);
    assertThat(s.grade()).isEqualTo(Grade.B);
    assertThat(codes(s)).contains("hop-internal-tls12");
  }

  @Test
  void scoreShouldBeBAt50WhenInternalHopTls13AndDkimPass() {
    Score s = facts().firsthand("TLSv1.3").internal(TlsVersion.TLSV1_3, "ESMTPS").auth("pass", null, null, null)
        .score();
    assertThat(s.value()).isEqualTo(50);
    assertThat(s.grade()).isEqualTo(Grade.B);
  }

  @Test
  void scoreShouldBeCAt49WhenInternalHopTls12AndDkimPass() {
    Score s = facts().firsthand("TLSv1.3").internal(TlsVersion.TLSV1_2, "ESMTPS").auth("pass", null, null, null)
        .score();
    assertThat(s.value()).isEqualTo(49);
    assertThat(s.grade()).isEqualTo(Grade.C);
  }

  @Test
  void scoreShouldBeCAt35WhenInternalHopInClearAndDkimPass() {
    Score s = facts().firsthand("TLSv1.3").internal(null, "ESMTP").auth("pass", null, null, null).score();
    assertThat(s.value()).isEqualTo(35);
    assertThat(s.grade()).isEqualTo(Grade.C);
    assertThat(codes(s)).contains("hop-internal-no-tls");
  }

  @Test
  void scoreShouldBeDAt34WhenTlsVersionUnknownAndInternalTls11() {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("203.0.113.7").cipher("ECDHE-RSA-AES256-GCM-SHA384")
        .build();
    Score s = facts().firsthand(c).internal(TlsVersion.TLSV1_1, "ESMTPS").auth("pass", null, null, null).score();
    assertThat(s.value()).isEqualTo(34);
    assertThat(s.grade()).isEqualTo(Grade.D);
    assertThat(codes(s)).contains("firsthand-tls", "hop-internal-tls11");
  }

  @Test
  void scoreShouldBeDAt20WhenOnlyInternalHopSaysNothing() {
    Score s = facts().hop(Hop.builder(Trust.INTERNAL).fromHost("relay.ours.example").fromIp("10.0.0.5").build())
        .score();
    assertThat(s.value()).isEqualTo(20);
    assertThat(s.grade()).isEqualTo(Grade.D);
    assertThat(codes(s)).contains("hop-internal-tls-unknown");
  }

  @Test
  void scoreShouldBeEAt19WhenTlsVersionUnknownAndInternalSsl3() {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("203.0.113.7").cipher("RC4-MD5").build();
    Score s = facts().firsthand(c).internal(TlsVersion.SSLV3, "ESMTPS").score();
    assertThat(s.value()).isEqualTo(19);
    assertThat(s.grade()).isEqualTo(Grade.E);
    assertThat(codes(s)).contains("hop-internal-sslv3");
  }

  @Test
  void scoreShouldNameTheHopWhenAClaimedHopSaysNoTls() {
    Score s = facts().firsthand("TLSv1.3").claimed(null, "ESMTP").score();
    assertThat(s.value()).isEqualTo(40 - 8);
    assertThat(s.reasons()).contains(
        Reason.of("hop-claimed-no-tls", "hop 2 (mail.sender.example \u2192 mx.ours.example) claimed no TLS"));
  }

  @Test
  void scoreShouldDescribeAtMost32HopsButCountThemAll() {
    ScoreFacts f = facts().firsthand("TLSv1.3");
    for (int i = 0; i < 10_000; i++) {
      f.claimed(TlsVersion.TLSV1_3, "ESMTPS");
    }
    f.claimed(null, "ESMTP").claimed(null, "ESMTP");
    Score s = f.score();
    assertThat(s.value()).isEqualTo(40 - 16);
    assertThat(s.reasons()).hasSize(32 + 1 + 2);
    assertThat(codes(s)).contains("hops-not-listed");
  }

  @Test
  void scoreShouldNotPenaliseClaimedPlumbingWithoutAFromSide() {
    Hop google = Hop.builder(Trust.CLAIMED).byHost("2002:a05:6a10:1234::").protocol("SMTP").id("abc").build();
    Score s = facts().firsthand("TLSv1.3").hop(google).score();
    assertThat(s.value()).isEqualTo(40);
  }

  @Test
  void scoreShouldCapClaimedPenalties() {
    Score s = facts().firsthand("TLSv1.3").claimed(null, "ESMTP").claimed(null, "SMTP").claimed(null, "ESMTP")
        .claimed(TlsVersion.TLSV1_0, "ESMTPS").score();
    assertThat(s.value()).isEqualTo(40 - 16);
    assertThat(codes(s)).contains("hop-claimed-weak-tls");
  }

  @Test
  void scoreShouldGiveFullTransportWhenEveryHopIsLoopback() {
    Score s = facts().internalLocal("ESMTPSA").internalLocal("ESMTP")
        .content(ContentProtection.of(Encryption.PGP_MIME, Signature.PGP_MIME, false, SignatureStatus.VERIFIED,
            "signer alice@example.org")).score();
    assertThat(s.value()).isEqualTo(40 + 15 + 45);
    assertThat(s.grade()).isEqualTo(Grade.A);
    assertThat(codes(s)).contains("hop-internal-local", "sender-authenticated", "signed-pgp-mime");
  }

  @Test
  void scoreShouldTreatAHostHandingMailToItselfAsLocal() {
    Hop lmtp = Hop.builder(Trust.INTERNAL).fromHost("mail.example.org").byHost("MAIL.example.org").protocol("LMTP")
        .build();
    Hop spoofedHelo = Hop.builder(Trust.CLAIMED).fromHost("mail.example.org").fromIp("192.0.2.7")
        .byHost("mail.example.org").protocol("ESMTP").build();
    assertThat(codes(facts().hop(lmtp).score())).contains("hop-internal-local");
    assertThat(facts().hop(lmtp).score().value()).isEqualTo(40);
    assertThat(codes(facts().firsthand("TLSv1.3").hop(spoofedHelo).score())).contains("hop-claimed-no-tls");
  }

  @Test
  void aHeloNamingOurHostShouldNeverMakeAFirsthandHopLocal() {
    // no client address (a milter connection without {client_addr}), the client's HELO is our own host name
    ConnectionFacts noAddress = ConnectionFacts.builder().helo("mx.ours.example").receivedBy("mx.ours.example")
        .build();
    Score s = facts().firsthand(noAddress).content(Encryption.PGP_MIME, Signature.NONE).score();
    assertThat(codes(s)).contains("firsthand-no-address").doesNotContain("firsthand-local");
    assertThat(s.value()).as("transport unknown: 0, content 40").isEqualTo(40);
    // the same with an address: its address alone decides
    ConnectionFacts remote = ConnectionFacts.builder().clientAddress("198.51.100.9").helo("mx.ours.example")
        .receivedBy("mx.ours.example").build();
    assertThat(codes(facts().firsthand(remote).score())).contains("firsthand-no-tls");
    ConnectionFacts mapped = ConnectionFacts.builder().clientAddress("::ffff:127.0.0.1").helo("x").build();
    assertThat(codes(facts().firsthand(mapped).score())).as("::ffff:127.0.0.1 is 127.0.0.1")
        .contains("firsthand-local");
  }

  @Test
  void aFirsthandHopWithoutAddressShouldStillCountTheTlsOurMtaSaw() {
    ConnectionFacts noAddress = ConnectionFacts.builder().tlsVersion("TLSv1.3").cipher("TLS_AES_256_GCM_SHA384")
        .build();
    assertThat(codes(facts().firsthand(noAddress).score())).contains("firsthand-tls13");
  }

  @Test
  void opensslCipherFamilyShouldBeTlsOfUnknownVersionNotTls10() {
    // Sendmail's {tls_version} and version= say TLSv1/SSLv3 for a TLS 1.2 session too
    ConnectionFacts sendmail = ConnectionFacts.builder().clientAddress("198.51.100.9").tlsVersion("TLSv1/SSLv3")
        .cipher("ECDHE-RSA-AES256-GCM-SHA384").build();
    Score first = facts().firsthand(sendmail).score();
    assertThat(codes(first)).contains("firsthand-tls").doesNotContain("firsthand-tls10");
    assertThat(first.value()).isEqualTo(28);
    // no cipher either: still TLS, from the version text alone
    ConnectionFacts bare = ConnectionFacts.builder().clientAddress("198.51.100.9").tlsVersion("TLSv1/SSLv3").build();
    assertThat(codes(facts().firsthand(bare).score())).contains("firsthand-tls");
    // claimed: no penalty for an obsolete version nobody wrote
    Hop claimed = org.caliop.received.ReceivedParser.parse("from a.example (a.example [198.51.100.9]) by b.example "
        + "with ESMTP id X (version=TLSv1/SSLv3 cipher=OTHER); Wed, 15 Jun 2011 07:42:08 -0700");
    Score c = facts().firsthand("TLSv1.3").hop(claimed).score();
    assertThat(codes(c)).contains("hop-claimed-tls").doesNotContain("hop-claimed-weak-tls");
    assertThat(c.value()).isEqualTo(40);
  }

  @Test
  void scoreShouldTreatLocalHopsAboveClaimedOnesAsUnknownTransport() {
    Score s = facts().internalLocal("LMTP").claimed(TlsVersion.TLSV1_3, "ESMTPS").score();
    assertThat(s.value()).isZero();
    assertThat(codes(s)).contains("transport-unknown", "hop-claimed-tls");
  }

  @Test
  void scoreShouldUseTheOldestNonLocalTrustedHopAsEntry() {
    ConnectionFacts reinjection = ConnectionFacts.builder().clientAddress("127.0.0.1").build();
    Score s = facts().firsthand(reinjection).internal(TlsVersion.TLSV1_2, "ESMTPS").score();
    assertThat(s.value()).isEqualTo((25 * 9 + 15 * 10 + 5) / 10);
    assertThat(codes(s)).contains("firsthand-local", "hop-internal-tls12");
  }

  @Test
  void scoreShouldIgnoreClaimedAuthenticatedSubmission() {
    Score s = facts().claimed(TlsVersion.TLSV1_3, "ESMTPSA").score();
    assertThat(codes(s)).doesNotContain("sender-authenticated");
    assertThat(s.value()).isZero();
  }

  @Test
  void scoreShouldZeroAuthenticationWhenDmarcFails() {
    Score s = facts().firsthand("TLSv1.3").auth("pass", "pass", "fail", null).score();
    assertThat(s.value()).isEqualTo(40);
    assertThat(codes(s)).contains("dmarc-fail", "dkim-pass");
  }

  @Test
  void scoreShouldMapUnknownResultKeywordsToOther() {
    Score s = facts().auth("weird\r\nInjected: x", null, null, null).score();
    assertThat(codes(s)).contains("dkim-other");
  }

  @Test
  void unknownTransportShouldScoreBelowKnownTls() {
    int unknown = facts().score().value();
    int unknownInternal = facts().hop(Hop.builder(Trust.INTERNAL).fromIp("10.0.0.5").build()).score().value();
    int weakestTls = facts().firsthand("TLSv1.2").score().value();
    assertThat(unknown).isLessThan(weakestTls);
    assertThat(unknownInternal).isLessThan(weakestTls);
  }

  @Test
  void claimedTlsShouldNeverRaiseTheScore() {
    Random random = new Random(20260101L);
    for (int round = 0; round < 5_000; round++) {
      MessageFacts f = randomFacts(random);
      int score = ScoreV2.INSTANCE.score(f).value();
      MessageFacts trustedOnly = withHops(f, trustedOnly(f.hops()));
      assertThat(score).as("claims may only lower: %s", f.hops())
          .isLessThanOrEqualTo(ScoreV2.INSTANCE.score(trustedOnly).value());
      int trustedScore = ScoreV2.INSTANCE.score(trustedOnly).value();
      MessageFacts upgraded = withHops(f, claimedUpgradedToTls13(f.hops()));
      assertThat(ScoreV2.INSTANCE.score(upgraded).value()).as("upgraded claims: %s", f.hops())
          .isLessThanOrEqualTo(trustedScore);
      MessageFacts moreClaims = withHops(f, withExtraClaimedTls13(f.hops(), random));
      assertThat(ScoreV2.INSTANCE.score(moreClaims).value()).as("added claim: %s", f.hops())
          .isLessThanOrEqualTo(score);
    }
  }

  @Test
  void noInformationShouldNeverGiveA() {
    Random random = new Random(7L);
    for (int round = 0; round < 5_000; round++) {
      MessageFacts f = randomFacts(random);
      List<Hop> claimedOnly = new ArrayList<>();
      for (Hop h : f.hops()) {
        if (h.trust() != Trust.FIRSTHAND) {
          claimedOnly.add(h.withTrust(Trust.CLAIMED));
        }
      }
      MessageFacts noTransport = MessageFacts.of(null, Envelope.empty(), Direction.INBOUND, claimedOnly, f.auth(),
          f.content(), 1, List.of());
      assertThat(ScoreV2.INSTANCE.score(noTransport).grade()).as("%s", claimedOnly).isNotEqualTo(Grade.A);
      MessageFacts nothing = MessageFacts.of(null, Envelope.empty(), Direction.INBOUND, List.of(), f.auth(),
          f.content(), 1, List.of());
      assertThat(ScoreV2.INSTANCE.score(nothing).grade()).isNotEqualTo(Grade.A);
    }
  }

  @Test
  void everyGradeShouldBeReachableFromRandomFacts() {
    Random random = new Random(11L);
    Set<Grade> seen = new HashSet<>();
    for (int round = 0; round < 5_000; round++) {
      seen.add(ScoreV2.INSTANCE.score(randomFacts(random)).grade());
    }
    assertThat(seen).containsExactlyInAnyOrder(Grade.values());
  }

  @Test
  void everyReasonCodeShouldBeDocumented() throws IOException {
    String doc = new String(Files.readAllBytes(Path.of("../docs/score.md")), StandardCharsets.UTF_8);
    Random random = new Random(3L);
    Set<String> codes = new HashSet<>();
    for (int round = 0; round < 5_000; round++) {
      codes.addAll(codes(ScoreV2.INSTANCE.score(randomFacts(random))));
    }
    for (String code : codes) {
      assertThat(doc).as("docs/score.md documents %s", code).contains("`" + code + "`");
    }
    assertThat(codes).hasSizeGreaterThan(30);
  }

  // ---- random facts ----

  private static final TlsVersion[] TLS = {null, null, TlsVersion.SSLV3, TlsVersion.TLSV1_0, TlsVersion.TLSV1_1,
      TlsVersion.TLSV1_2, TlsVersion.TLSV1_3};
  private static final String[] PROTOCOLS = {null, "SMTP", "ESMTP", "ESMTPS", "ESMTPSA", "ESMTPA", "LMTP", "MAPI"};
  private static final String[] IPS = {null, "127.0.0.1", "::1", "10.0.0.5", "198.51.100.9"};
  private static final String[] RESULTS = {null, null, "pass", "fail", "none", "softfail", "temperror"};

  private static MessageFacts randomFacts(Random r) {
    List<Hop> hops = new ArrayList<>();
    ConnectionFacts connection = null;
    if (r.nextBoolean()) {
      ConnectionFacts.Builder b = ConnectionFacts.builder().clientAddress(pick(r, IPS)).helo("client.example");
      TlsVersion v = pick(r, TLS);
      if (v != null) {
        b.tlsVersion(v.canonical());
      } else if (r.nextInt(4) == 0) {
        b.cipher("SOME-CIPHER");
      }
      if (r.nextInt(4) == 0) {
        b.authUser("alice");
      }
      connection = b.build();
      hops.add(FirsthandHop.of(connection));
    }
    int n = r.nextInt(6);
    boolean trusted = true;
    for (int i = 0; i < n; i++) {
      trusted = trusted && r.nextBoolean();
      Trust t = trusted ? Trust.INTERNAL : Trust.CLAIMED;
      Hop.Builder b = Hop.builder(t).fromIp(pick(r, IPS)).fromHost(r.nextBoolean() ? "h" + i + ".example" : null)
          .byHost("b" + i + ".example").tlsVersion(pick(r, TLS)).protocol(pick(r, PROTOCOLS))
          .parsed(r.nextInt(10) != 0);
      hops.add(b.build());
    }
    AuthResults auth = AuthFixtures.random(r, RESULTS);
    Signature signature = pick(r, Signature.values());
    SignatureStatus status = signature == Signature.NONE ? SignatureStatus.NONE
        : pick(r, new SignatureStatus[] {SignatureStatus.VERIFIED, SignatureStatus.UNVERIFIED, SignatureStatus.INVALID});
    ContentProtection content = ContentProtection.of(pick(r, Encryption.values()), signature, r.nextInt(4) == 0,
        status, "");
    return MessageFacts.of(connection, Envelope.empty(), Direction.INBOUND, hops, auth, content, 1, List.of());
  }

  private static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static MessageFacts withHops(MessageFacts f, List<Hop> hops) {
    return MessageFacts.of(f.connection().orElse(null), f.envelope(), f.direction(), hops, f.auth(), f.content(),
        f.size(), f.diagnostics());
  }

  private static List<Hop> trustedOnly(List<Hop> hops) {
    List<Hop> out = new ArrayList<>();
    for (Hop h : hops) {
      if (h.trust() == Trust.CLAIMED) {
        break;
      }
      out.add(h);
    }
    return out;
  }

  private static List<Hop> claimedUpgradedToTls13(List<Hop> hops) {
    List<Hop> out = new ArrayList<>();
    for (Hop h : hops) {
      out.add(h.trust() == Trust.CLAIMED ? h.toBuilder().tlsVersion(TlsVersion.TLSV1_3).protocol("ESMTPS").build() : h);
    }
    return out;
  }

  private static List<Hop> withExtraClaimedTls13(List<Hop> hops, Random r) {
    List<Hop> out = new ArrayList<>(hops);
    Hop extra = Hop.builder(Trust.CLAIMED).fromHost("forged.example").fromIp("192.0.2.1").byHost("x.example")
        .protocol("ESMTPS").tlsVersion(TlsVersion.TLSV1_3).build();
    out.add(extra);
    return out;
  }

  private static List<String> codes(Score s) {
    return s.reasons().stream().map(Reason::code).collect(Collectors.toList());
  }
}
