package org.caliop.received;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Random;
import org.caliop.hop.Hop;
import org.caliop.hop.IpAddress;
import org.caliop.hop.Protocol;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.junit.jupiter.api.Test;

class ReceivedParserTest {
  private static IpAddress ip(String text) {
    return IpAddress.orNull(text);
  }

  @Test
  void parseShouldReadTlsVersionWhenPostfixWritesUsing() {
    Hop h = ReceivedParser.parse("from a.example (a.example [192.0.2.1]) (using TLSv1.2 with cipher "
        + "ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) by b.example (Postfix) with ESMTPS id 1; "
        + "Mon, 4 Sep 2023 10:00:00 +0000");

    assertThat(h.tlsVersion()).contains(TlsVersion.TLSV1_2);
    assertThat(h.tlsCipher()).contains("ECDHE-RSA-AES256-GCM-SHA384");
    assertThat(h.protocol()).contains(Protocol.ESMTPS);
    assertThat(h.trust()).isEqualTo(Trust.CLAIMED);
    assertThat(h.saysTls()).isTrue();
  }

  /**
   * A sender's HELO decides no address. Postfix writes the HELO verbatim before its TCP-info, so {@code EHLO
   * x[10.0.0.5]} (or {@code x([10.0.0.5])}, written with '?' for the parentheses) put a literal next to the from
   * value; the comment's address is the peer's. Had the literal won, a network declared in trusted_relays would
   * have vouched for the sender's own lines below.
   */
  @Test
  void parseShouldTakeTheCommentsAddressOverALiteralInTheHelo() {
    assertThat(ReceivedParser.parse("from x[10.0.0.5] (unknown [198.51.100.7]) by mx.example.org (Postfix) with"
        + " ESMTPS id 4T; Thu, 03 Dec 2026 10:00:01 +0000").fromIp()).contains(ip("198.51.100.7"));
    assertThat(ReceivedParser.parse("from x?[10.0.0.5]? (localhost [127.0.0.1]) by mx.example.org (Postfix) with"
        + " ESMTP id 4U; Thu, 03 Dec 2026 10:00:01 +0000").fromIp()).contains(ip("127.0.0.1"));
    assertThat(ReceivedParser.parse("from [10.0.0.5] (unknown [198.51.100.7]) by mx.example.org (Postfix) with"
        + " ESMTP id 4V; Thu, 03 Dec 2026 10:00:01 +0000").fromIp()).contains(ip("198.51.100.7"));
  }

  /**
   * Exim 3 writes {@code from rdns (helo) [ip]}: the comment holds the HELO and the literal after it the peer. When
   * the HELO is an address literal too, the line names two addresses and its form does not say which the writer
   * saw: the client is unknown, never the one a sender typed.
   */
  @Test
  void parseShouldKnowNoClientWhenACommentAndALiteralAfterItNameTwoAddresses() {
    Hop two = ReceivedParser.parse("from rdns.example ([10.0.0.5]) [198.51.100.7] by mx.example.org with esmtp"
        + " id 1x; Thu, 03 Dec 2026 10:00:01 +0000");
    assertThat(two.fromIp()).isEmpty();
    assertThat(ReceivedParser.parse("from rdns.example (helo.example) [198.51.100.7] by mx.example.org with esmtp"
        + " id 1y; Thu, 03 Dec 2026 10:00:01 +0000").fromIp()).contains(ip("198.51.100.7"));
    assertThat(ReceivedParser.parse("from rdns.example ([198.51.100.7]) [198.51.100.7] by mx.example.org with"
        + " esmtp id 1z; Thu, 03 Dec 2026 10:00:01 +0000").fromIp()).contains(ip("198.51.100.7"));
  }

  @Test
  void parseShouldNotSwitchClauseOnWithInsideAComment() {
    Hop h = ReceivedParser.parse("from a.example (using TLSv1.3 with cipher X_Y_Z1) by b.example with SMTP; "
        + "4 Sep 2023 10:00:00 +0000");

    assertThat(h.protocol()).contains(Protocol.SMTP);
    assertThat(h.byHost()).contains("b.example");
  }

  @Test
  void parseShouldReadIpv6LiteralsInEveryPlace() {
    Hop h = ReceivedParser.parse("from [IPv6:2001:db8::5] (host.example [IPv6:2001:DB8:0:0:0:0:0:6]) "
        + "by [IPv6:2001:db8::7] with ESMTP; 4 Sep 2023 10:00:00 +0000");

    assertThat(h.fromHost()).contains("2001:db8::5");
    assertThat(h.fromIp()).contains(ip("2001:db8::6"));
    assertThat(h.fromRdns()).contains("host.example");
    assertThat(h.byHost()).contains("2001:db8::7");
  }

  @Test
  void parseShouldSkipNestedCommentsAndFolding() {
    Hop h = ReceivedParser.parse("from a.example\r\n\t(b.example [192.0.2.9] (x (y (z by evil.example))))\r\n"
        + " by c.example (d (e)) with ESMTP id Q; Mon,\r\n 4 Sep 2023 10:00 +0200 (CEST)");

    assertThat(h.byHost()).contains("c.example");
    assertThat(h.fromIp()).contains(ip("192.0.2.9"));
    assertThat(h.id()).contains("Q");
    assertThat(h.date()).contains(OffsetDateTime.parse("2023-09-04T10:00:00+02:00"));
  }

  @Test
  void parseShouldMarkAuthenticatedClients() {
    assertThat(ReceivedParser.parse("from a by b with ESMTPSA id 1; 4 Sep 2023 10:00:00 +0000").authenticated())
        .isTrue();
    assertThat(ReceivedParser.parse("from a by b with LMTPA; 4 Sep 2023 10:00:00 +0000").authenticated()).isTrue();
    assertThat(ReceivedParser.parse("from a (a [192.0.2.1]) (Authenticated sender: x@y) by b with ESMTP; "
        + "4 Sep 2023 10:00:00 +0000").authenticated()).isTrue();
    assertThat(ReceivedParser.parse("from a by b with ESMTPS; 4 Sep 2023 10:00:00 +0000").authenticated()).isFalse();
  }

  /**
   * A client controls the {@code for} address of our own line (Postfix writes the RCPT TO it accepted, and a local
   * part with the recipient delimiter reaches a real mailbox); quoted and longer than the tokenizer's bound, its
   * parentheses become comments. An authentication remark there must not make the line an authenticated submission
   * (replay would judge the mail outbound, out of the inbound rules).
   */
  @Test
  void parseShouldNotTakeAnAuthenticationRemarkFromTheClientsRecipientAddress() {
    String line = "from client.example (client.example [198.51.100.9]) by mail.example.org (Postfix) with ESMTP"
        + " id 4AB\r\n\tfor <\"bob+" + "x".repeat(300) + " (Authenticated sender: bob)\"@example.org>; Mon, 01 Jan"
        + " 2024 00:00:00 +0000";
    assertThat(ReceivedParser.parse(line).authenticated()).isFalse();
    assertThat(ReceivedParser.parse(line.replace("x".repeat(300), "")).authenticated()).isFalse();
  }

  /**
   * The same quoted recipient carrying a TLS remark: a quoted string is one token however long, so our own line
   * that received the message in clear does not say TLSv1.3 (nor a cipher) because a client wrote it in RCPT TO.
   */
  @Test
  void parseShouldNotTakeATlsRemarkFromTheClientsRecipientAddress() {
    String line = "from client.example (client.example [198.51.100.9]) by mail.example.org (Postfix) with ESMTP"
        + " id 4AC\r\n\tfor <\"bob+" + "x".repeat(300) + " (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
        + " (256/256 bits))\"@example.org>; Mon, 01 Jan 2024 00:00:00 +0000";
    Hop h = ReceivedParser.parse(line);
    assertThat(h.tlsVersion()).isEmpty();
    assertThat(h.tlsCipher()).isEmpty();
    assertThat(h.protocol()).contains(Protocol.ESMTP);
    assertThat(h.date()).isPresent();
  }

  @Test
  void parseShouldReadObsoleteAndBrokenDates() {
    assertThat(date("; 4 Sep 23 10:00:00 EST")).isEqualTo("2023-09-04T10:00-05:00");
    assertThat(date("; 4 Sep 1999 10:00 GMT")).isEqualTo("1999-09-04T10:00Z");
    assertThat(date("; Mon, 4 Sep 2023 10:00:00 Z")).isEqualTo("2023-09-04T10:00Z");
    assertThat(date("; Mon Sep  4 10:00:00 2023 -0700")).isEqualTo("2023-09-04T10:00-07:00");
    assertThat(date("; Mon, 31 Feb 2023 10:00:00 +0000")).isNull();
    assertThat(date("; Mon, 4 Sep 2023 25:00:00 +0000")).isNull();
    assertThat(date("; 10:00:00 +0000")).isNull();
    assertThat(date("; yesterday")).isNull();
  }

  @Test
  void parseShouldGiveNoDateRatherThanAWrongOne() {
    // no zone: local time at an unknown offset; no time: no instant
    assertThat(date("; Mon, 4 Sep 2023 10:00:00")).isNull();
    assertThat(date("; Mon Sep  4 10:00:00 2023")).isNull();
    assertThat(date("; Mon, 4 Sep 2023")).isNull();
    assertThat(date("; Mon, 4 Sep 2023 (PDT)")).isNull();
    assertThat(date("; 2023-09-04")).isNull();
    assertThat(date("; 2023-09-04 10:00:00")).isNull();
    assertThat(date("; 2023-13-04 10:00:00 +0000")).isNull();
    assertThat(date("; 2023-09-04 25:00:00 +0000")).isNull();
    assertThat(date("; 12023-09-04 10:00:00 +0000")).isNull();
  }

  @Test
  void parseShouldReadIsoDates() {
    assertThat(date("; 2018-04-22 02:54:17.02 +0000 UTC")).isEqualTo("2018-04-22T02:54:17Z");
    assertThat(date("; 2018-04-22T02:54:17Z")).isEqualTo("2018-04-22T02:54:17Z");
    assertThat(date("; 2018-04-22T04:54:17+02:00")).isEqualTo("2018-04-22T04:54:17+02:00");
    assertThat(date("; 2018-09-14 09:07:53.501556299 +0000 UTC m=+204732.967143206"))
        .isEqualTo("2018-09-14T09:07:53Z");
  }

  @Test
  void parseShouldFindTheDateOfAValueWithoutSemicolon() {
    Hop h = ReceivedParser.parse("by filter.example with SMTP id filter-1-2-3 2018-04-22 02:54:17.02 +0000 UTC");

    assertThat(h.id()).contains("filter-1-2-3");
    assertThat(h.date()).contains(OffsetDateTime.parse("2018-04-22T02:54:17Z"));
    assertThat(date("from a.example by b.example with HTTP id X Fri, 14 Sep 2018 09:07:53.395 +0000 (UTC)"))
        .isEqualTo("2018-09-14T09:07:53Z");
    // a day name that starts no date is not a date, and a later one still counts
    assertThat(date("from a.example by b.example id Sun Mon, 4 Sep 2023 10:00:00 +0000"))
        .isEqualTo("2023-09-04T10:00Z");
    assertThat(date("from a.example by b.example id X Sun")).isNull();
  }

  @Test
  void parseShouldTakeAnAddressLiteralSenderAsTheClientAddress() {
    assertThat(ReceivedParser.parse("from [192.0.2.9] (HELO x.example) by b.example with ESMTP; "
        + "4 Sep 2023 10:00:00 +0000").fromIp()).contains(ip("192.0.2.9"));
    assertThat(ReceivedParser.parse("from 192.0.2.9 by b.example with HTTP; 4 Sep 2023 10:00:00 +0000").fromIp())
        .contains(ip("192.0.2.9"));
    // a TCP-info address wins over the literal the client gave
    assertThat(ReceivedParser.parse("from [10.0.0.1] (x.example [192.0.2.9]) by b.example; "
        + "4 Sep 2023 10:00:00 +0000").fromIp()).contains(ip("192.0.2.9"));
    // a name is not an address
    assertThat(ReceivedParser.parse("from x.example by b.example; 4 Sep 2023 10:00:00 +0000").fromIp()).isEmpty();
  }

  @Test
  void parseShouldDropThePortOfAnAddress() {
    assertThat(ReceivedParser.parse("from x ([192.0.2.9.51234]) by b").fromIp()).contains(ip("192.0.2.9"));
    assertThat(ReceivedParser.parse("from x ([192.0.2.9]:51234) by b").fromIp()).contains(ip("192.0.2.9"));
    assertThat(ReceivedParser.parse("from x (192.0.2.9:51234) by b").fromIp()).contains(ip("192.0.2.9"));
    // five dotted numbers with no port-sized last part are no address
    assertThat(ReceivedParser.parse("from x ([192.0.2.9.123456]) by b").fromIp()).isEmpty();
  }

  @Test
  void parseShouldMarkLinesWithoutSenderAsLocalInjections() {
    assertThat(ReceivedParser.parse("(qmail 123 invoked from network); 4 Sep 2023 10:00:00 -0000").localInjection())
        .isTrue();
    assertThat(ReceivedParser.parse("(qmail 123 invoked from network); 4 Sep 2023 10:00:00 -0000").byHost())
        .isEmpty();
    assertThat(ReceivedParser.parse("by b.example (Postfix, from userid 0) id 1; 4 Sep 2023 10:00:00 +0000")
        .localInjection()).isTrue();
    assertThat(ReceivedParser.parse("from a.example by b.example; 4 Sep 2023 10:00:00 +0000").localInjection())
        .isFalse();
    assertThat(ReceivedParser.parse("~~~").localInjection()).isFalse();
  }

  private static String date(String value) {
    return ReceivedParser.parse(value).date().map(Object::toString).orElse(null);
  }

  @Test
  void parseShouldKeepTheRawValueWhenNothingIsRecognised() {
    Hop h = ReceivedParser.parse("\u0000\u0001 ~~~ ###");

    assertThat(h.parsed()).isFalse();
    assertThat(h.raw()).contains("\u0000\u0001 ~~~ ###");
    assertThat(ReceivedParser.parse("").parsed()).isFalse();
    assertThat(ReceivedParser.parse(null).parsed()).isFalse();
  }

  @Test
  void parseShouldSurviveATenMegabyteValue() {
    StringBuilder sb = new StringBuilder(10 * 1024 * 1024 + 100);
    sb.append("from a.example by b.example with ESMTP id ");
    while (sb.length() < 10 * 1024 * 1024) {
      sb.append("x");
    }
    sb.append("; Mon, 4 Sep 2023 10:00:00 +0000");

    Hop h = ReceivedParser.parse(sb.toString());

    assertThat(h.fromHost()).contains("a.example");
    assertThat(h.byHost()).contains("b.example");
    assertThat(h.id()).isEmpty();
    assertThat(h.date()).isPresent();
  }

  @Test
  void parseShouldSurviveATenMegabyteValueOfDelimiters() {
    for (String unit : new String[] {"(", ")", ";", "[", "<", "\"", "by ", "( from ", "[IPv6:", "TLSv1.2:"}) {
      StringBuilder sb = new StringBuilder(10 * 1024 * 1024 + 16);
      while (sb.length() < 10 * 1024 * 1024) {
        sb.append(unit);
      }
      assertThat(ReceivedParser.parse(sb.toString())).as(unit).isNotNull();
    }
  }

  @Test
  void parseShouldSurviveAHundredThousandNestedParentheses() {
    String open = "(".repeat(100_000);
    String close = ")".repeat(100_000);

    Hop h = ReceivedParser.parse("from a.example by b.example " + open + "by x" + close + " with SMTP; "
        + "4 Sep 2023 10:00:00 +0000");

    assertThat(h.byHost()).contains("b.example");
    assertThat(h.date()).isPresent();
  }

  @Test
  void parseShouldReturnAHopForRandomBytes() {
    Random random = new Random(42);
    String alphabet = "()[]<>;,\"=:@./ \t\r\nfrombywithidforviaESMTPSTLSv1.3cipher0123456789abcdef";
    for (int i = 0; i < 20_000; i++) {
      int n = random.nextInt(400);
      StringBuilder sb = new StringBuilder(n);
      for (int k = 0; k < n; k++) {
        sb.append(random.nextBoolean() ? alphabet.charAt(random.nextInt(alphabet.length()))
            : (char) random.nextInt(0x3000));
      }
      Hop h = ReceivedParser.parse(sb.toString());
      assertThat(h).isNotNull();
      assertThat(h.raw()).contains(sb.toString());
    }
  }
}
