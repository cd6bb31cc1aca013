package org.caliop.received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.facts.TrustedRelay;
import org.caliop.hop.Hop;
import org.caliop.hop.Protocol;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.junit.jupiter.api.Test;

class HopClassifierTest {
  // the three Received headers of ../shared/fixtures/pgp/encrypted_with_received_headers.eml, newest first
  private static final String LMTP = "from hq5.example.org by hq5.example.org with LMTP id ODfyL7KhyWEANgAAPzvFDg "
      + "(envelope-from <bob@example.org>) for <bob@example.org>; Mon, 27 Dec 2021 12:21:22 +0100";
  private static final String MX = "from mout.example.org (mout.example.org [212.227.17.22]) (using TLSv1.3 with "
      + "cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by hq5.example.org (Postfix) with ESMTPS id 45BAF27A0001 "
      + "for <bob@example.org>; Mon, 27 Dec 2021 12:21:22 +0100 (CET)";
  private static final String GMX = "from [127.0.0.1] ([217.80.24.163]) by mail.example.org (mrgmx105 "
      + "[212.227.17.168]) with ESMTPSA (Nemesis) id 1MF3HU-1nCnTl33U0-00FXCF; Mon, 27 Dec 2021 12:21:21 +0100";

  private static List<Hop> hops(String... values) {
    return java.util.Arrays.stream(values).map(ReceivedParser::parse).collect(Collectors.toList());
  }

  private static TrustSettings settings(List<String> networks, Set<String> hosts) {
    return TrustSettings.builder().internalNetworks(networks).internalHosts(hosts).build();
  }

  /** {@link #settings}, with relays identified by their networks alone. */
  private static TrustSettings relays(List<String> relayNetworks, Set<String> hosts) {
    return TrustSettings.builder().internalHosts(hosts)
        .trustedRelays(List.of(TrustedRelay.of(relayNetworks, null, null))).build();
  }

  private static List<Trust> trusts(List<Hop> hops) {
    return hops.stream().map(Hop::trust).collect(Collectors.toList());
  }

  @Test
  void classifyShouldClaimEverythingWhenNothingIsOurs() {
    HopClassifier c = new HopClassifier(TrustSettings.defaults());

    List<Hop> out = c.classify(hops(LMTP, MX, GMX), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.CLAIMED, Trust.CLAIMED, Trust.CLAIMED);
  }

  @Test
  void classifyShouldFollowTheInternalChainByNameWhenTheLmtpHopHasNoAddress() {
    HopClassifier c = new HopClassifier(settings(List.of("127.0.0.0/8"), Set.of("hq5.example.org")));

    List<Hop> out = c.classify(hops(LMTP, MX, GMX), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.INTERNAL, Trust.CLAIMED);
  }

  @Test
  void classifyShouldFollowTheInternalChainThroughARelayByAddress() {
    HopClassifier c = new HopClassifier(relays(List.of("212.227.17.0/24"), Set.of("hq5.example.org")));

    List<Hop> out = c.classify(hops(MX, GMX), Optional.empty());

    // hq5 wrote MX (ours); it got the message from 212.227.17.22, a declared relay: GMX's header is believed too
    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.INTERNAL);
  }

  @Test
  void classifyShouldNotFollowTheChainThroughAClientThatIsOnlyOurs() {
    // 212.227.17.0/24 is ours for direction (internal_networks), not a relay whose lines we believe
    HopClassifier c = new HopClassifier(settings(List.of("212.227.17.0/24"), Set.of("hq5.example.org")));

    assertThat(trusts(c.classify(hops(MX, GMX), Optional.empty()))).containsExactly(Trust.INTERNAL, Trust.CLAIMED);
  }

  @Test
  void classifyShouldTakeAStoredMessagesTopHeaderAsOursOnlyWhenItsByIsInternal() {
    String delivery = "from mail.example.org (localhost [127.0.0.1]) by mail.example.org (Postfix) with LMTP id 7D2 "
        + "for <bob@example.org>; Tue, 14 May 2024 10:21:07 +0200 (CEST)";
    String submission = "from [127.0.0.1] (localhost [127.0.0.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384) "
        + "(Authenticated sender: alice) by mail.example.org (Postfix) with ESMTPSA id 6C1 for <bob@example.org>; "
        + "Tue, 14 May 2024 10:21:06 +0200 (CEST)";

    // Dovecot delivering from Postfix over its unix socket records no address
    String socketDelivery = "from mail.example.org by mail.example.org with LMTP id x9 (envelope-from "
        + "<alice@example.org>) for <bob@example.org>; Tue, 14 May 2024 10:21:07 +0200";
    HopClassifier loopbackOnly = new HopClassifier(TrustSettings.defaults());
    HopClassifier mailboxHostOurs = new HopClassifier(settings(List.of("127.0.0.0/8"), Set.of("mail.example.org")));

    assertThat(trusts(loopbackOnly.classify(hops(delivery, submission), Optional.empty())))
        .as("a loopback sender alone proves nothing in a file").containsExactly(Trust.CLAIMED, Trust.CLAIMED);
    assertThat(trusts(mailboxHostOurs.classify(hops(delivery, submission), Optional.empty())))
        .as("any local process may have connected from 127.0.0.1 and written the line below")
        .containsExactly(Trust.INTERNAL, Trust.CLAIMED);
    assertThat(trusts(mailboxHostOurs.classify(hops(socketDelivery, submission), Optional.empty())))
        .as("a unix socket: the next line was written by the host the LMTP line names")
        .containsExactly(Trust.INTERNAL, Trust.INTERNAL);
  }

  @Test
  void classifyShouldStopTheChainAtTheFirstExternalSender() {
    HopClassifier c = new HopClassifier(settings(List.of("10.0.0.0/8"), Set.of("hq5.example.org")));

    List<Hop> out = c.classify(hops(MX, GMX), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.CLAIMED);
  }

  @Test
  void classifyShouldNotBelieveAHeaderNamingOurHostBelowAnExternalHop() {
    String forged = "from evil.example (evil.example [198.51.100.66]) by hq5.example.org (Postfix) with ESMTPS id X1; "
        + "Mon, 27 Dec 2021 12:00:00 +0100";
    HopClassifier c = new HopClassifier(settings(List.of("10.0.0.0/8"), Set.of("hq5.example.org")));

    List<Hop> out = c.classify(hops(MX, forged), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.CLAIMED);
  }

  @Test
  void classifyShouldBreakTheChainAtAnUnparsedHeader() {
    HopClassifier c = new HopClassifier(settings(List.of("0.0.0.0/0"), Set.of("hq5.example.org")));

    List<Hop> out = c.classify(hops(MX, "\u0001\u0002 garbage", GMX), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.CLAIMED, Trust.CLAIMED);
    assertThat(out.get(1).parsed()).isFalse();
  }

  @Test
  void classifyShouldFoldOurOwnHeaderIntoTheFirsthandHopWhenTheQueueIdMatches() {
    ConnectionFacts facts = ConnectionFacts.builder().clientAddress("212.227.17.22").clientName("mout.example.org")
        .helo("mout.example.org").tlsVersion("TLSv1.3").cipher("TLS_AES_256_GCM_SHA384").queueId("45BAF27A0001")
        .receivedBy("hq5.example.org").build();
    HopClassifier c = new HopClassifier(settings(List.of("127.0.0.0/8"), Set.of()));

    List<Hop> out = c.classify(hops(MX, GMX), Optional.of(facts));

    assertThat(trusts(out)).containsExactly(Trust.FIRSTHAND, Trust.CLAIMED);
    Hop firsthand = out.get(0);
    assertThat(firsthand.protocol()).contains(Protocol.ESMTPS);
    assertThat(firsthand.date()).contains(OffsetDateTime.parse("2021-12-27T12:21:22+01:00"));
    assertThat(firsthand.tlsVersion()).contains(TlsVersion.TLSV1_3);
    assertThat(firsthand.forAddress()).contains("bob@example.org");
  }

  @Test
  void classifyShouldFoldByHostAndClientAddressButNotTakeAClaimedTlsProtocol() {
    ConnectionFacts facts = ConnectionFacts.builder().clientAddress("212.227.17.22").receivedBy("HQ5.example.org.")
        .build();
    HopClassifier c = new HopClassifier(TrustSettings.defaults());

    List<Hop> out = c.classify(hops(MX, GMX), Optional.of(facts));

    assertThat(out).hasSize(2);
    assertThat(out.get(0).trust()).isEqualTo(Trust.FIRSTHAND);
    assertThat(out.get(0).date()).isPresent();
    assertThat(out.get(0).protocol()).as("no TLS in the facts, so ESMTPS stays a claim").isEmpty();
  }

  @Test
  void classifyShouldFoldAHeaderOfAnInternalHostForTheClientAddress() {
    ConnectionFacts facts = ConnectionFacts.builder().clientAddress("::ffff:212.227.17.22").build();
    HopClassifier c = new HopClassifier(settings(List.of("127.0.0.0/8"), Set.of("hq5.example.org")));

    List<Hop> out = c.classify(hops(MX, GMX), Optional.of(facts));

    assertThat(trusts(out)).containsExactly(Trust.FIRSTHAND, Trust.CLAIMED);
    assertThat(out.get(0).id()).contains("45BAF27A0001");
  }

  @Test
  void classifyShouldKeepEveryHeaderWhenTheTopOneIsNotOurs() {
    ConnectionFacts facts = ConnectionFacts.builder().clientAddress("10.1.2.3").queueId("ZZZ").build();
    HopClassifier relay = new HopClassifier(relays(List.of("10.0.0.0/8"), Set.of()));
    HopClassifier client = new HopClassifier(settings(List.of("10.0.0.0/8"), Set.of()));

    // our relay 10.1.2.3 wrote MX, and MX's sender 212.227.17.22 is not one
    assertThat(trusts(relay.classify(hops(MX, GMX), Optional.of(facts))))
        .containsExactly(Trust.FIRSTHAND, Trust.INTERNAL, Trust.CLAIMED);
    // a client that is only ours (direction) is first-hand only: what it wrote is claimed
    assertThat(trusts(client.classify(hops(MX, GMX), Optional.of(facts))))
        .containsExactly(Trust.FIRSTHAND, Trust.CLAIMED, Trust.CLAIMED);
  }

  @Test
  void classifyShouldReturnOnlyTheFirsthandHopWithoutReceivedHeaders() {
    ConnectionFacts facts = ConnectionFacts.builder().clientAddress("192.0.2.1").build();

    List<Hop> out = new HopClassifier(TrustSettings.defaults()).classify(List.of(), Optional.of(facts));

    assertThat(trusts(out)).containsExactly(Trust.FIRSTHAND);
  }

  @Test
  void classifyShouldFollowARealChainThroughAListExpansion() {
    // a message from a public list archive: Postfix at lfdr.de, then vger.kernel.org's list expansion and inbound
    List<Hop> chain = hops(
        "from vger.kernel.org (vger.kernel.org [209.132.180.67]) by mail.lfdr.de (Postfix) with ESMTP id 4FDBE9D9E5 "
            + "for <lists+linux-nfs@lfdr.de>; Tue, 27 Aug 2019 01:28:30 +0200 (CEST)",
        "(majordomo@vger.kernel.org) by vger.kernel.org via listexpand id S1726307AbfHZX23 "
            + "(ORCPT <rfc822;lists+linux-nfs@lfdr.de>); Mon, 26 Aug 2019 19:28:29 -0400",
        "from smtppost.atos.net ([193.56.114.176]:22258 \"EHLO smtppost.atos.net\" rhost-flags-OK-OK-OK-OK) by "
            + "vger.kernel.org with ESMTP id S1726278AbfHZX23 (ORCPT <rfc822;linux-nfs@vger.kernel.org>); "
            + "Mon, 26 Aug 2019 19:28:29 -0400",
        "from mail2-ext.my-it-solutions.net (mail2-ext.my-it-solutions.net) by smarthost3.atos.net with smtp "
            + "(TLS: TLSv1/SSLv3,256bits,ECDHE-RSA-AES256-GCM-SHA384) id 4e32_9550; Tue, 27 Aug 2019 01:28:26 +0200");
    HopClassifier ours = new HopClassifier(relays(List.of("209.132.180.64/29"), Set.of("mail.lfdr.de")));

    List<Hop> out = ours.classify(chain, Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.INTERNAL, Trust.INTERNAL, Trust.CLAIMED);
  }

  // a qmail site's own chain, from git@vger.kernel.org, Message-ID <20060524132317.GA4594@coredump.intra.peff.net>
  private static final String QMAIL_QUEUE = "(qmail 82995 invoked from network); 24 May 2006 13:23:17 -0000";
  private static final String QMAIL_SMTPD = "from unknown (HELO coredump.intra.peff.net) (10.0.0.2) by 0 with SMTP; "
      + "24 May 2006 13:23:17 -0000";
  private static final String SSMTP = "by coredump.intra.peff.net (sSMTP sendmail emulation); "
      + "Wed, 24 May 2006 09:23:17 -0400";

  @Test
  void classifyShouldKeepAQmailSitesInternalHopsUnderItsLocalInjectionLine() {
    // qmail-queue's line names no host: the qmail-smtpd line below it, written on the same host, decides
    HopClassifier site = new HopClassifier(relays(List.of("10.0.0.0/8"), Set.of("0")));

    List<Hop> out = site.classify(hops(QMAIL_QUEUE, QMAIL_SMTPD, SSMTP), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.INTERNAL, Trust.INTERNAL);
  }

  @Test
  void classifyShouldNotLetAForgedLocalInjectionLineVouchForAnExternalHeader() {
    HopClassifier site = new HopClassifier(settings(List.of("10.0.0.0/8"), Set.of("mx.example.org")));
    String external = "from evil.example ([10.0.0.9]) by relay.example with ESMTP; 24 May 2006 13:23:17 -0000";

    // stored: the line below the injection is not ours, so neither is anything
    assertThat(trusts(site.classify(hops(QMAIL_QUEUE, external), Optional.empty())))
        .containsExactly(Trust.CLAIMED, Trust.CLAIMED);
    // live: the client wrote the injection line; a client outside our networks writes only claims
    ConnectionFacts facts = ConnectionFacts.builder().clientAddress("192.0.2.1").build();
    assertThat(trusts(site.classify(hops(QMAIL_QUEUE, QMAIL_SMTPD), Optional.of(facts))))
        .containsExactly(Trust.FIRSTHAND, Trust.CLAIMED, Trust.CLAIMED);
  }

  @Test
  void classifyShouldNotBelieveAnAddressLiteralSenderWrittenOutsideTheChain() {
    // "from [10.0.0.5] by mx.example.org": an internal-looking sender, but written by an outsider below a claimed hop
    HopClassifier site = new HopClassifier(settings(List.of("10.0.0.0/8"), Set.of("mx.example.org")));
    String top = "from relay.example (relay.example [192.0.2.7]) by mx.example.org with ESMTP id A; "
        + "24 May 2006 13:23:17 -0000";
    String forged = "from [10.0.0.5] (HELO x) by mx.example.org with ESMTP id B; 24 May 2006 13:23:16 -0000";
    String below = "from [10.0.0.6] by relay.example with ESMTP; 24 May 2006 13:23:15 -0000";

    List<Hop> out = site.classify(hops(top, forged, below), Optional.empty());

    assertThat(trusts(out)).containsExactly(Trust.INTERNAL, Trust.CLAIMED, Trust.CLAIMED);
  }

  @Test
  void isInternalAddressShouldMatchIpv4Ipv6AndMappedAddresses() {
    HopClassifier c = new HopClassifier(settings(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.7"), Set.of()));

    assertThat(c.isInternalAddress("10.255.255.255")).isTrue();
    assertThat(c.isInternalAddress("11.0.0.0")).isFalse();
    assertThat(c.isInternalAddress("::ffff:10.1.2.3")).isTrue();
    assertThat(c.isInternalAddress("[2001:db8:ffff::1]")).isTrue();
    assertThat(c.isInternalAddress("2001:db9::1")).isFalse();
    assertThat(c.isInternalAddress("192.0.2.7")).isTrue();
    assertThat(c.isInternalAddress("192.0.2.8")).isFalse();
    assertThat(c.isInternalAddress("not an address")).isFalse();
    assertThat(c.isInternalAddress((String) null)).isFalse();
  }

  @Test
  void ofShouldReuseTheClassifierOfTheSameSettings() {
    TrustSettings a = settings(List.of("10.0.0.0/8"), Set.of());
    TrustSettings b = settings(List.of("10.0.0.0/8"), Set.of());

    HopClassifier first = HopClassifier.of(a);

    assertThat(HopClassifier.of(a)).isSameAs(first);
    assertThat(HopClassifier.of(b)).isNotSameAs(first);
  }

  @Test
  void constructorShouldNameTheBadNetwork() {
    assertThatThrownBy(() -> new HopClassifier(settings(List.of("10.0.0.0/33"), Set.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bad CIDR \"10.0.0.0/33\": prefix must be 0..32");
    assertThatThrownBy(() -> new HopClassifier(settings(List.of("10.0.0/8"), Set.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad CIDR \"10.0.0/8\": \"10.0.0\" is not an IPv4 or IPv6 address");
  }
}
