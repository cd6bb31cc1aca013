package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.caliop.message.Messages.crlf;
import static org.caliop.message.Messages.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.assertj.core.api.Assertions;
import org.caliop.auth.AuthResultsParser;
import org.caliop.mime.Encryption;
import org.junit.jupiter.api.Test;

class MessageScannerTest {
  @Test
  void scanShouldUnfoldReceivedTopFirst() {
    ScannedMessage m = scan(crlf("Received: from a.example (a.example [192.0.2.1])", "\tby b.example with ESMTPS;",
        " Mon, 1 Jan 2024 00:00:00 +0000", "Subject: x", "received: from c.example by a.example", "", "body"));

    assertThat(m.received()).containsExactly(
        "from a.example (a.example [192.0.2.1])\tby b.example with ESMTPS; Mon, 1 Jan 2024 00:00:00 +0000",
        "from c.example by a.example");
  }

  @Test
  void scanShouldParseAuthenticationResultsWithWhereEachStood() {
    ScannedMessage m = scan(crlf("Authentication-Results: mx.example;", " dkim=pass header.d=example.org",
        "Received: from a.example by mx.example", "Authentication-Results: other.example; spf=fail", "", "body"));

    assertThat(m.authenticationResults()).containsExactly(
        AuthResultsParser.parse("mx.example; dkim=pass header.d=example.org", 1, 0),
        AuthResultsParser.parse("other.example; spf=fail", 2, 1));
  }

  @Test
  void scanShouldCollectFromAndArcSeals() {
    ScannedMessage m = scan(crlf("From: A <a@example.org>", "ARC-Seal: i=1; d=list.example; cv=none",
        "from: b@example.net", "From: c@example.com", "", "body"));

    assertThat(m.from()).containsExactly("A <a@example.org>", "b@example.net");
    assertThat(m.arcSeals()).containsExactly("i=1; d=list.example; cv=none");
  }

  @Test
  void scanShouldCountForeignHeadersPerNameCaseInsensitively() {
    ScannedMessage m = scan(crlf("Caliop-Privacy: score=1", "Subject: x", "caliop-privacy: score=2",
        "Caliop-Hop: a", "", "body"));

    assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Privacy", 2), entry("Caliop-Hop", 1));
    assertThat(m.foreignFields().names()).containsExactly("Caliop-Privacy", "Caliop-Hop");
  }

  @Test
  void scanShouldSeeAForeignFieldHiddenAfterABareCr() {
    // javax.mail (hence James) and some clients end a line at a bare CR: they would show a second field
    ScannedMessage m = scan(crlf("Subject: hello\rCaliop-Privacy: v=2, score=100, grade=A", "", "body"));

    assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Privacy", 1));
    assertThat(m.foreignFields().smuggled())
        .contains("header field Subject hides a Caliop-Privacy field after a bare CR");
  }

  @Test
  void scanShouldNotCollectHeadersOfParts() {
    ScannedMessage m = scan(crlf("Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Received: from inner.example", "Caliop-Privacy: inner", "", "x", "--b--"));

    assertThat(m.received()).isEmpty();
    assertThat(m.foreignFields().counts()).isEmpty();
  }

  @Test
  void scanShouldReadUtf8HeaderValues() {
    byte[] message = ("Received: from b\u00fccher.example by x\r\n\r\nbody").getBytes(StandardCharsets.UTF_8);

    ScannedMessage m = Messages.scan(message, ScanLimits.defaults());

    assertThat(m.received()).containsExactly("from b\u00fccher.example by x");
    assertThat(m.diagnostics()).contains("8bit-in-header");
  }

  @Test
  void scanShouldReadLatin1HeaderValuesWhenNotUtf8() {
    byte[] message = ("Received: from b\u00fccher.example by x\r\n\r\nbody").getBytes(StandardCharsets.ISO_8859_1);

    ScannedMessage m = Messages.scan(message, ScanLimits.defaults());

    assertThat(m.received()).containsExactly("from b\u00fccher.example by x");
  }

  @Test
  void scanShouldKeepAFieldOfA998CharacterLine() {
    String value = "x".repeat(998 - "Received: ".length());

    ScannedMessage m = scan(crlf("Received: " + value, "", "body"));

    assertThat(m.received()).containsExactly(value);
    assertThat(m.diagnostics()).isEmpty();
  }

  @Test
  void scanShouldCountSizeAndDrainTheStream() throws IOException {
    byte[] message = crlf("Subject: x", "", "body", "more").getBytes(StandardCharsets.US_ASCII);
    InputStream in = new ByteArrayInputStream(message);

    ScannedMessage m = MessageScanner.scan(in, ScanLimits.defaults(), n -> false);

    assertThat(m.size()).isEqualTo(message.length);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void scanShouldStopInspectingPastTheInspectLimitAndStillCountEverything() {
    String message = crlf("Subject: x", "Content-Type: multipart/mixed; boundary=b", "", "--b", "", "a".repeat(100_000),
        "--b", "Content-Type: text/plain", "", "-----BEGIN PGP MESSAGE-----", "--b--");
    ScanLimits limits = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 1_000, 10_000);

    ScannedMessage m = Messages.scan(message.getBytes(StandardCharsets.US_ASCII), limits);

    assertThat(m.diagnostics()).contains("inspect-limit-reached");
    assertThat(m.size()).isEqualTo(message.length());
  }

  @Test
  void scanShouldStopPastThePartLimit() {
    StringBuilder b = new StringBuilder(crlf("Content-Type: multipart/mixed; boundary=b", ""));
    for (int i = 0; i < 20; i++) {
      b.append(crlf("--b", "", "part " + i));
    }
    b.append(crlf("--b--"));
    ScanLimits limits = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 10, Long.MAX_VALUE);

    ScannedMessage m = Messages.scan(b.toString().getBytes(StandardCharsets.US_ASCII), limits);

    assertThat(m.diagnostics()).contains("too-many-parts");
    assertThat(m.size()).isEqualTo(b.length());
  }

  @Test
  void scanShouldKeepOnlyTheFirstBytesOfAnOversizedField() {
    ScanLimits limits = ScanLimits.of(10_000, 2_000, 4 << 20, 64, 1_000, Long.MAX_VALUE);
    String big = "Received: " + "y".repeat(1_000) + "\r\n" + (" " + "z".repeat(900) + "\r\n").repeat(5);

    ScannedMessage m = Messages.scan((big + "Subject: after\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII), limits);

    assertThat(m.received()).hasSize(1);
    assertThat(m.received().get(0).length()).isBetween(1_000, 2_000);
    assertThat(m.diagnostics()).contains("header-field-truncated");
  }

  @Test
  void scanShouldStillMatchForeignHeadersPastTheFieldLimit() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      b.append("Received: from h").append(i).append("\r\n");
    }
    b.append("Caliop-Privacy: forged\r\n\r\nbody");
    ScanLimits limits = ScanLimits.of(10, 1 << 20, 4 << 20, 64, 1_000, Long.MAX_VALUE);

    ScannedMessage m = Messages.scan(b.toString().getBytes(StandardCharsets.US_ASCII), limits);

    assertThat(m.received()).hasSize(10);
    assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Privacy", 1));
    assertThat(m.diagnostics()).contains("too-many-header-fields");
  }

  @Test
  void scanShouldPassOnTheSourceFailure() {
    InputStream failing = new InputStream() {
      private int left = 100;

      @Override
      public int read() throws IOException {
        if (left-- > 0) {
          return 'a';
        }
        throw new IOException("disk gone");
      }
    };

    Assertions.assertThatThrownBy(() -> MessageScanner.scan(failing, ScanLimits.defaults(), n -> false))
        .isInstanceOf(IOException.class).hasMessage("disk gone");
  }

  @Test
  void scanShouldReadRealHeadersFromAFixture() throws IOException {
    Path fixture = Paths.get("../../shared/fixtures/pgp/encrypted_with_received_headers.eml");
    ScannedMessage m;
    try (InputStream in = Files.newInputStream(fixture)) {
      m = MessageScanner.scan(in, ScanLimits.defaults(), n -> false);
    }

    assertThat(m.received()).hasSize(3);
    assertThat(m.received()).allSatisfy(r -> assertThat(r).doesNotContain("\r", "\n"));
    assertThat(m.size()).isEqualTo(Files.size(fixture));
  }

  @Test
  void scanShouldStopInsideALongTextBodyAtTheInspectLimit() {
    String message = crlf("Subject: x", "", "a".repeat(200_000), "-----BEGIN PGP MESSAGE-----");
    ScanLimits limits = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 1_000, 50_000);

    ScannedMessage m = Messages.scan(message.getBytes(StandardCharsets.US_ASCII), limits);

    assertThat(m.content().isEncrypted()).isFalse();
    assertThat(m.diagnostics()).contains("inspect-limit-reached");
    assertThat(m.size()).isEqualTo(message.length());
  }

  @Test
  void scanShouldReadObsoleteNameSyntaxAndSkipInvalidNames() {
    ScannedMessage m = scan(crlf("Received : from a.example", "Re\u00e7eived: from b.example",
        "Received:from d.example", ":no name", "", "body"));

    assertThat(m.received()).containsExactly("from a.example", "from d.example");
    assertThat(m.diagnostics()).contains("obsolete-header-syntax", "invalid-header-field");
  }

  @Test
  void scanShouldSkipLinesThatAreNoFieldAndKeepTheFieldsAfterThem() {
    ScannedMessage m = scan(crlf("no colon here", "(comment: with a colon) and no name", "a b: spaces in the name",
        "(unclosed comment: x", "Received: from e.example", "Caliop-Privacy: forged", "", "body"));

    assertThat(m.received()).containsExactly("from e.example");
    assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Privacy", 1));
    assertThat(m.diagnostics()).contains("invalid-header-field");
  }

  @Test
  void scanShouldReadAMultipartWhoseBoundaryExtendsAnEnclosingOneAsOneOpaqueBody() {
    ScannedMessage m = scan(crlf("From: a@example.org", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=a", "", "--a",
        "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=aa", "", "--aa",
        "Content-Type: application/pgp-encrypted", "", "Version: 1", "--aa",
        "Content-Type: application/octet-stream", "", "-----BEGIN PGP MESSAGE-----", "", "hQEMA", "--aa--",
        "--a--"));

    assertThat(m.diagnostics()).contains("ambiguous-boundary");
    assertThat(m.content().isEncrypted()).as("nothing in an ambiguous multipart is credited").isFalse();
  }

  @Test
  void scanShouldCreditNothingInAnEntityWithTwoContentTypeOrTransferEncodingFields() {
    String armor = org.caliop.mime.Ciphertext.armoredToAliceCrlf();
    ScannedMessage twoTypes = scan(crlf("From: a@example.org", "MIME-Version: 1.0", "Content-Type: text/plain",
        "Content-Type: text/plain; charset=utf-8", "") + armor);
    ScannedMessage twoEncodings = scan(crlf("From: a@example.org", "MIME-Version: 1.0", "Content-Type: text/plain",
        "Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: base64", "") + armor);
    ScannedMessage one = scan(crlf("From: a@example.org", "MIME-Version: 1.0", "Content-Type: text/plain",
        "Content-Transfer-Encoding: 7bit", "") + armor);

    assertThat(twoTypes.diagnostics()).contains("ambiguous-content-fields");
    assertThat(twoTypes.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(twoTypes.content().labelWithoutCiphertext()).as("neither type claims encryption").isFalse();
    assertThat(twoEncodings.diagnostics()).contains("ambiguous-content-fields");
    assertThat(twoEncodings.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(one.diagnostics()).doesNotContain("ambiguous-content-fields");
    assertThat(one.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldCreditNothingInAnEntityWhoseParametersReadersResolveDifferently() {
    String armor = org.caliop.mime.Ciphertext.armoredToAliceCrlf();
    String head = crlf("From: a@example.org", "MIME-Version: 1.0");
    for (String type : new String[] {"text/plain; charset=utf-7; charset=utf-8",
        "text/plain; Charset=utf-7; charset=utf-8", "text/plain; format=flowed; format=fixed",
        "text/plain; charset*=''utf-8", "text/plain; charset*0=utf; charset*1=-8", "text/plain; name*=''x.asc"}) {
      ScannedMessage m = scan(head + crlf("Content-Type: " + type, "") + armor);

      assertThat(m.diagnostics()).as(type).contains("ambiguous-content-fields");
      assertThat(m.content().encrypted()).as(type).isEqualTo(Encryption.NONE);
    }
    ScannedMessage twoNames = scan(head + crlf("Content-Type: text/plain",
        "Content-Disposition: inline; filename=a.txt; filename=b.txt", "") + armor);
    ScannedMessage extendedName = scan(head + crlf("Content-Type: text/plain",
        "Content-Disposition: inline; filename*=UTF-8''b%C3%A4r.txt", "") + armor);
    ScannedMessage otherTwice = scan(head + crlf("Content-Type: text/plain; title*=''x; title=x",
        "Content-Disposition: inline; size=1; size=2", "") + armor);

    assertThat(twoNames.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(extendedName.diagnostics()).as("no reading of RFC 2231 all parsers share")
        .contains("ambiguous-content-fields");
    assertThat(otherTwice.diagnostics()).as("title and title* are two names; size decides nothing")
        .doesNotContain("ambiguous-content-fields");
    assertThat(otherTwice.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldCreditNothingInAnEntityWhoseHeaderSectionHoldsALineThatIsNoField() {
    String armor = org.caliop.mime.Ciphertext.armoredToAliceCrlf();
    ScannedMessage part = scan(crlf("From: a@example.org", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=B", "", "--B", "Content-Type: text/plain", "") + armor
        + crlf("--B", "We buy Acme on Monday", "", "--B--"));
    ScannedMessage top = scan(crlf("From: a@example.org", "a clear line", "MIME-Version: 1.0",
        "Content-Type: text/plain", "") + armor);
    ScannedMessage mbox = scan(crlf("From alice@example.org Thu Dec  3 10:00:00 2026", "From: a@example.org",
        "MIME-Version: 1.0", "Content-Type: text/plain", "") + armor);

    assertThat(part.diagnostics()).contains("ambiguous-header-section", "invalid-header-field");
    assertThat(part.content().encrypted()).isEqualTo(Encryption.MIXED);
    assertThat(top.diagnostics()).contains("ambiguous-header-section");
    assertThat(top.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(mbox.diagnostics()).as("an mbox envelope line opening the message")
        .contains("invalid-header-field").doesNotContain("ambiguous-header-section");
    assertThat(mbox.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
    ScannedMessage below = scan(crlf("Received: from a by b", "From alice@example.org Thu Dec  3 10:00:00 2026",
        "From: a@example.org", "MIME-Version: 1.0", "Content-Type: text/plain", "") + armor);
    ScannedMessage inPart = scan(crlf("From: a@example.org", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=B", "", "--B", "From We buy Acme on Monday",
        "Content-Type: text/plain", "") + armor + crlf("--B--"));
    assertThat(below.diagnostics()).doesNotContain("ambiguous-header-section");
    assertThat(inPart.diagnostics()).contains("ambiguous-header-section");
    assertThat(inPart.content().encrypted()).isEqualTo(Encryption.NONE);
  }

  @Test
  void scanShouldReadAFromFieldInObsoleteSyntaxOpeningTheMessageAsAField() {
    ScannedMessage m = scan(crlf("From : a@example.org", "Subject: x", "", "body"));

    assertThat(m.diagnostics()).doesNotContain("invalid-header-field", "ambiguous-header-section");
  }

  @Test
  void scanShouldReadAMultipartWhoseBoundaryIsAPrefixOfAnEnclosingOneAsOneOpaqueBody() {
    ScannedMessage m = scan(crlf("From: a@example.org", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=outer", "", "--outer", "Content-Type: message/rfc822", "",
        "Content-Type: multipart/mixed; boundary=out", "", "--out", "Content-Type: text/plain", "", "x", "--out--",
        "--outer--"));

    assertThat(m.diagnostics()).as("an enclosing boundary counts across a nested message")
        .contains("ambiguous-boundary");
  }

  @Test
  void scanShouldOpenNestedMultipartsWithDistinctBoundaries() {
    ScannedMessage m = scan(crlf("From: a@example.org", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=b1.", "", "--b1.", "Content-Type: multipart/mixed; boundary=b10.",
        "", "--b10.", "Content-Type: text/plain", "", "hello", "--b10.--", "--b1.--"));

    assertThat(m.diagnostics()).doesNotContain("ambiguous-boundary", "malformed-mime");
  }
}
