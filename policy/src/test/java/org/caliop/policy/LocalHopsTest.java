package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.policy.PolicyFixtures.facts;
import static org.caliop.policy.PolicyFixtures.goodScore;
import static org.caliop.policy.PolicyFixtures.load;

import java.nio.file.Path;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS requirements skip local hops exactly as the score does: LMTP delivery into the mailbox (Dovecot, Cyrus),
 * a loopback client, a content filter's reinjection. Stored mail then names the same hop as the live milter: the
 * one on which the message reached our server over a network.
 */
class LocalHopsTest {
  @TempDir
  Path dir;

  /** Dovecot's LMTP line over a unix socket: the host hands the message to itself, no address. */
  static Hop lmtpUnixSocket() {
    return Hop.builder(Trust.INTERNAL).fromHost("mail.example.org").byHost("mail.example.org").protocol("LMTP")
        .build();
  }

  /** Dovecot's LMTP line when Postfix connects over TCP on loopback. */
  static Hop lmtpLoopback() {
    return Hop.builder(Trust.INTERNAL).fromHost("mail.example.org").fromIp("127.0.0.1").byHost("mail.example.org")
        .protocol("LMTP").build();
  }

  /** Postfix's reception line with smtpd_tls_received_header = yes. */
  static Hop reception(TlsVersion tls) {
    return Hop.builder(Trust.INTERNAL).fromHost("mx.partner.example").fromIp("198.51.100.7")
        .byHost("mail.example.org").protocol(tls == null ? "ESMTP" : "ESMTPS").tlsVersion(tls).build();
  }

  private CompiledPolicy tlsPolicy() {
    return load(dir, "global:", "  min_tls_version: TLSv1.2", "  require_tls_on_trusted_hops: true",
        "  action: reject");
  }

  @Test
  void storedMailDeliveredOverLmtpShouldBeJudgedOnTheHopThatCrossedTheNetwork() {
    CompiledPolicy p = tlsPolicy();
    for (Hop lmtp : new Hop[] {lmtpUnixSocket(), lmtpLoopback()}) {
      Decision d = p.decide(facts().stored().hop(lmtp).hop(reception(TlsVersion.TLSV1_3)).build(), goodScore());
      assertThat(d.action()).as(lmtp.toString()).isEqualTo(Action.ACCEPT);
    }
  }

  @Test
  void aReceptionInClearShouldStillFailBehindTheLmtpHop() {
    Decision d = tlsPolicy().decide(facts().stored().hop(lmtpUnixSocket()).hop(reception(null)).build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.REJECT);
    assertThat(d.reasons()).containsExactly("no TLS on our hop (need TLSv1.2)",
        "no TLS on internal hop 2 (received by mail.example.org)");
  }

  @Test
  void aMessageThatNeverCrossedANetworkShouldMeetTheTlsRequirementsAsTheScoreGivesItFullMarks() {
    Decision d = tlsPolicy().decide(facts().stored().hop(lmtpLoopback()).build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.ACCEPT);
    Decision live = tlsPolicy().decide(facts().client("127.0.0.1").tls(null).build(), goodScore());
    assertThat(live.action()).as("a local submission on loopback").isEqualTo(Action.ACCEPT);
  }

  @Test
  void localHopsAboveClaimedOnesShouldProveNothing() {
    Hop claimed = reception(TlsVersion.TLSV1_3).toBuilder().trust(Trust.CLAIMED).build();
    Decision d = tlsPolicy().decide(facts().stored().hop(lmtpLoopback()).hop(claimed).build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.REJECT);
    assertThat(d.reasons()).containsExactly(
        "only local trusted hops (loopback, LMTP delivery) above claimed ones: TLS on the hop that reached our server"
            + " is unknown (need TLSv1.2)",
        "no trusted hop that crossed a network to check for TLS");
  }

  @Test
  void theEntryHopShouldBeTheOldestTrustedOneAsForTheScore() {
    // mx2 received from mx1 (ours, TLS 1.2), which received from the partner (TLS 1.0): the entry is the partner's.
    Hop inner = Hop.builder(Trust.INTERNAL).fromHost("mx1.example.org").fromIp("10.0.0.1").byHost("mx2.example.org")
        .protocol("ESMTPS").tlsVersion(TlsVersion.TLSV1_2).build();
    Decision d = load(dir, "global:", "  min_tls_version: TLSv1.2", "  action: reject").decide(facts().stored()
        .hop(lmtpUnixSocket()).hop(inner).hop(reception(TlsVersion.TLSV1_0)).build(), goodScore());
    assertThat(d.reasons()).containsExactly("our hop used TLSv1.0, below TLSv1.2");
  }

  @Test
  void aLoopbackFirstHandHopShouldHandOverToTheInternalReceptionBelowIt() {
    // A content filter reinjecting on 127.0.0.1: the first-hand client is local, the reception is written below.
    CompiledPolicy p = tlsPolicy();
    Decision tls = p.decide(facts().client("127.0.0.1").tls(null).hop(reception(TlsVersion.TLSV1_3)).build(),
        goodScore());
    Decision clear = p.decide(facts().client("127.0.0.1").tls(null).hop(reception(null)).build(), goodScore());
    Decision remote = p.decide(facts().tls(null).hop(reception(TlsVersion.TLSV1_3)).build(), goodScore());

    assertThat(tls.action()).isEqualTo(Action.ACCEPT);
    assertThat(clear.action()).isEqualTo(Action.REJECT);
    assertThat(remote.action()).as("a first-hand client in clear from the network fails").isEqualTo(Action.REJECT);
  }
}
