package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.message.Messages.crlf;
import static org.caliop.message.Messages.scan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.caliop.message.Messages;
import org.caliop.message.ScanLimits;
import org.caliop.message.ScannedMessage;
import org.junit.jupiter.api.Test;

/** The strict detector on crafted messages around real ciphertext (gpg, openssl: see {@link Ciphertext}). */
class ContentProtectionTest {
  private static final String ARMORED = Ciphertext.armoredToAliceCrlf();
  private static final String FROM = "From: a@example.org";

  private static String pgpMime(String ciphertextPart) {
    return crlf("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=inner", "",
        "--inner", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--inner",
        "Content-Type: application/octet-stream", "") + ciphertextPart + crlf("--inner--");
  }

  @Test
  void scanShouldReportPgpInlineWhenTheTextIsOneCiphertextBlock() {
    ScannedMessage m = scan(crlf(FROM, "Subject: x", "") + ARMORED);

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.PGP_INLINE, Signature.NONE));
  }

  @Test
  void scanShouldReportPgpInlineForSymmetricCiphertextToo() {
    ScannedMessage m = scan(crlf(FROM, "") + Ciphertext.armoredSymmetric());

    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldIgnoreArmorNotAtLineStart() {
    ScannedMessage m = scan(crlf(FROM, "", "> -----BEGIN PGP MESSAGE-----", "quoted"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }

  @Test
  void scanShouldReportPgpInlineInBase64Text() {
    String body = Base64.getMimeEncoder().encodeToString(ARMORED.getBytes(StandardCharsets.US_ASCII));
    ScannedMessage m = scan(crlf(FROM, "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: base64", "", body));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldReportPgpInlineSignatureWhenClearSignedAndSayAJunkSignatureIsInvalid() {
    ScannedMessage m = scan(crlf(FROM, "", "-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA256",
        "", "hello", "-----BEGIN PGP SIGNATURE-----", "", "iQE", "-----END PGP SIGNATURE-----"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.PGP_INLINE, false,
        SignatureStatus.INVALID, ""));
  }

  @Test
  void scanShouldReportMixedWhenClearTextStandsAboveTheBlockInTheSamePart() {
    ScannedMessage m = scan(crlf(FROM, "", "See below.", "") + ARMORED);

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.MIXED, Signature.NONE));
  }

  @Test
  void scanShouldReportMixedWhenClearTextFollowsTheBlockInTheSamePart() {
    ScannedMessage m = scan(crlf(FROM, "") + ARMORED + crlf("", "-- ", "Alice, sent from her phone"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldReportMixedWhenEncryptedPartSitsBesideClearText() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "Here is the secret:", "--b", "Content-Type: text/plain", "")
        + ARMORED + crlf("--b--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldReportPgpMimeForArmoredAndBinaryCiphertext() {
    String binary = crlf("Content-Transfer-Encoding: base64") + crlf("",
        Base64.getMimeEncoder().encodeToString(Ciphertext.binaryToAlice()));

    assertThat(scan(crlf(FROM) + pgpMime(ARMORED)).content())
        .isEqualTo(ContentProtection.of(Encryption.PGP_MIME, Signature.NONE));
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";"
        + " boundary=inner", "", "--inner", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--inner",
        "Content-Type: application/octet-stream") + binary + crlf("--inner--"));
    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.PGP_MIME, Signature.NONE));
  }

  @Test
  void scanShouldReportMixedWhenPgpMimeCarriesAClearFooter() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/mixed; boundary=outer", "", "--outer")
        + pgpMime(ARMORED) + crlf("--outer", "Content-Type: text/plain", "", "_______ list footer", "--outer--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldCountAThirdPartOfMultipartEncryptedAsClearContent() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";"
        + " boundary=inner", "", "--inner", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--inner",
        "Content-Type: application/octet-stream", "") + ARMORED + crlf("--inner", "Content-Type: text/plain", "",
        "and this in clear", "--inner--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldNotBelieveAControlPartWithoutVersionOne() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";"
        + " boundary=inner", "", "--inner", "Content-Type: application/pgp-encrypted", "", "Version: 2", "--inner",
        "Content-Type: application/octet-stream", "") + ARMORED + crlf("--inner--"));

    assertThat(m.content().encrypted()).isNotEqualTo(Encryption.PGP_MIME);
    assertThat(m.content().labelWithoutCiphertext()).isTrue();
  }

  @Test
  void scanShouldNotBelieveMultipartEncryptedWithAnotherProtocol() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/encrypted; protocol=\"application/x-other\";"
        + " boundary=inner", "", "--inner", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--inner",
        "Content-Type: application/octet-stream", "") + ARMORED + crlf("--inner--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(m.content().labelWithoutCiphertext()).isTrue();
    assertThat(m.diagnostics()).contains("unknown-protection-protocol");
  }

  @Test
  void scanShouldNotCountAnEmptyTextPartAsClearContent() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "  ", "--b", "Content-Type: application/pkcs7-mime; smime-type=enveloped-data",
        "Content-Transfer-Encoding: base64", "", Ciphertext.smimeEnvelopedBase64(), "--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.SMIME, Signature.NONE));
  }

  @Test
  void scanShouldReportMixedWhenTwoKindsOfEncryptionMeet() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b",
        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data", "Content-Transfer-Encoding: base64", "",
        Ciphertext.smimeEnvelopedBase64(), "--b--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldReadTheCmsTypeWhenSmimeTypeIsMissing() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: application/x-pkcs7-mime; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "", Ciphertext.smimeEnvelopedBase64()));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.SMIME, Signature.NONE));
    assertThat(m.diagnostics()).doesNotContain("smime-type-mismatch");
  }

  @Test
  void scanShouldFollowTheCmsTypeWhateverSmimeTypeSays() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: application/pkcs7-mime; smime-type=signed-data",
        "Content-Transfer-Encoding: base64", "", Ciphertext.smimeEnvelopedBase64()));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.SMIME, Signature.NONE));
    assertThat(m.diagnostics()).contains("smime-type-mismatch");
  }

  @Test
  void scanShouldNeverGuessEnvelopedFromAP7mNameWhenTheCmsIsUnreadable() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: application/pkcs7-mime; name=\"smime.p7m\"",
        "Content-Transfer-Encoding: base64", "", "AAAA"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.NONE, true));
  }

  @Test
  void scanShouldNotTakeAnEnvelopedDataHeaderWithoutRecipientsOrContentForCiphertext() {
    // ContentInfo { envelopedData, [0] { EnvelopedData { version 0, recipientInfos {} ... } } }
    byte[] der = {0x30, (byte) 0x80, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x07,
        0x03, (byte) 0xA0, (byte) 0x80, 0x30, (byte) 0x80, 0x02, 0x01, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00};
    ScannedMessage m = scan(crlf(FROM, "Content-Type: application/pkcs7-mime; smime-type=enveloped-data",
        "Content-Transfer-Encoding: base64", "", Base64.getEncoder().encodeToString(der)));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.NONE, true));
  }

  @Test
  void scanShouldCountCertsOnlyAsReadableContentNotEncryption() {
    ScannedMessage m = scan(crlf(FROM,
        "Content-Type: application/pkcs7-mime; smime-type=certs-only; name=smime.p7c",
        "Content-Transfer-Encoding: base64", "", Ciphertext.text("smime-certs-only.b64")));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }

  @Test
  void scanShouldNotSeeASignatureWhenMultipartSignedHasNoProtocol() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/signed; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "hello", "--b", "Content-Type: application/pgp-signature", "", "sig",
        "--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
    assertThat(m.diagnostics()).contains("unknown-protection-protocol");
  }

  @Test
  void scanShouldCountPgpAttachmentsAsPgpInlineWhenTheirBytesAreCiphertext() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b", "Content-Type: application/octet-stream",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=\"report.pdf.pgp\"", "",
        Base64.getMimeEncoder().encodeToString(Ciphertext.binaryToAlice()), "--b", "Content-Type: text/plain",
        "Content-Disposition: attachment; filename=\"notes.asc\"", "") + Ciphertext.armoredSymmetric()
        + crlf("--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.PGP_INLINE, Signature.NONE));
  }

  @Test
  void scanShouldCountAnArmoredPublicKeyFileAsReadableContent() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b", "Content-Type: application/pgp-keys",
        "Content-Disposition: attachment; filename=\"alice.asc\"", "", "-----BEGIN PGP PUBLIC KEY BLOCK-----", "",
        "mDMEXEcE6RYJKwYBBAHaRw8BAQdArjWwk3FAqyiFbFBKT4TzXcVBqPTB3gmzlC/U", "-----END PGP PUBLIC KEY BLOCK-----",
        "--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.MIXED, Signature.NONE));
  }

  @Test
  void scanShouldLookIntoAForwardedMessage() {
    ScannedMessage m = scan(crlf(FROM, "Content-Type: message/rfc822", "",
        "From: b@example.org", "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s",
        "", "--s", "Content-Type: text/plain", "", "hi", "--s", "Content-Type: application/pkcs7-signature", "", "x",
        "--s--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.SMIME));
  }

  @Test
  void scanShouldNotTreatAnAutocryptSetupMessageAsEncrypted() {
    ScannedMessage m = scan(crlf(FROM, "Autocrypt-Setup-Message: v1",
        "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "setup", "--b",
        "Content-Type: application/autocrypt-setup", "") + Ciphertext.armoredSymmetric() + crlf("--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }

  @Test
  void scanShouldFindArmorInQuotedPrintableTextWithEscapesAndSoftBreaks() {
    String[] lines = ARMORED.split("\r\n");
    StringBuilder body = new StringBuilder("=2D----BEGIN PGP=\r\n MESSAGE-----\r\n");
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      body.append(l.length() > 20 ? l.substring(0, 20) + "=\r\n" + l.substring(20).replace("=", "=3D") : l
          .replace("=", "=3D")).append("\r\n");
    }
    ScannedMessage m = scan(crlf(FROM, "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable", "") + body);

    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldNotTakeASoftBreakContinuationForALineStart() {
    ScannedMessage m = scan(crlf(FROM, "Content-Transfer-Encoding: quoted-printable", "",
        "text=") + ARMORED);

    assertThat(m.content().encrypted()).isNotEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldReadEveryAlternative() {
    String both = crlf(FROM, "Content-Type: multipart/alternative; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b", "Content-Type: text/html", "", "<pre>") + ARMORED
        + crlf("</pre>", "--b--");
    String htmlClear = crlf(FROM, "Content-Type: multipart/alternative; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b", "Content-Type: text/html", "",
        "<p>The meeting moves to Thursday.</p>", "--b--");

    assertThat(scan(both).content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
    assertThat(scan(htmlClear).content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldFindArmorInThunderbirdStyleHtml() {
    String html = "<html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=UTF-8\"></head>"
        + "<body><pre class=\"moz-quote-pre\" wrap=\"\">" + ARMORED + "</pre></body></html>";
    ScannedMessage m = scan(crlf(FROM, "Content-Type: text/html; charset=utf-8", "") + html);

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.PGP_INLINE, Signature.NONE));
  }

  @Test
  void scanShouldFindArmorInWebmailHtmlWithDivsBreaksAndEntities() {
    StringBuilder divs = new StringBuilder("<html><head></head>"
        + "<body dir=\"ltr\"><div style=\"font-family: Calibri, sans-serif; color: rgb(0, 0, 0)\">");
    StringBuilder brs = new StringBuilder("<div dir=\"ltr\">");
    for (String line : ARMORED.split("\r\n")) {
      String encoded = line.replace("+", "&#43;").replace("/", "&#x2F;");
      divs.append("<div>").append(line.isEmpty() ? "<br>" : encoded).append("</div>\r\n");
      brs.append("&nbsp;").append(encoded).append("<br>");
    }
    divs.append("</div></body></html>");
    brs.append("</div>");

    assertThat(scan(crlf(FROM, "Content-Type: text/html", "") + divs).content().encrypted())
        .isEqualTo(Encryption.PGP_INLINE);
    assertThat(scan(crlf(FROM, "Content-Type: text/html", "") + brs).content().encrypted())
        .isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldCountVisibleHtmlTextBesideTheArmorAsClear() {
    String html = "<div>Here it is:</div><pre>" + ARMORED + "</pre><!-- a comment is not text -->";
    ScannedMessage m = scan(crlf(FROM, "Content-Type: text/html", "") + html);

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldCountTextAClientShowsFromStyleSheetsAndAttributesAsClear() {
    String css = "<html><head><style>div.x::before { content: \"The safe code is 4711\" }</style></head><body>"
        + "<div class=\"x\"></div><pre>" + ARMORED + "</pre></body></html>";
    String alt = "<div dir=\"ltr\"><img src=\"cid:1\" alt=\"The safe code is 4711\"><pre>" + ARMORED + "</pre></div>";
    String input = "<pre>" + ARMORED + "</pre><input type=text value='The safe code is 4711'>";
    String harmless = "<div dir=\"ltr\" class=\"gmail\" style=\"color: red\"><pre>" + ARMORED
        + "</pre></div>";

    for (String html : new String[] {css, alt, input}) {
      assertThat(scan(crlf(FROM, "Content-Type: text/html", "") + html).content().encrypted()).as(html)
          .isEqualTo(Encryption.MIXED);
    }
    assertThat(scan(crlf(FROM, "Content-Type: text/html", "") + harmless).content().encrypted())
        .isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldNotLetArmorHeadersCarryALetter() {
    String[] lines = ARMORED.split("\r\n", 2);
    StringBuilder many = new StringBuilder(lines[0]).append("\r\n");
    for (int i = 0; i < 6; i++) {
      many.append("Comment: line ").append(i).append(" of a letter in clear\r\n");
    }
    many.append(lines[1]);

    assertThat(scan(crlf(FROM, "") + many).content())
        .isEqualTo(ContentProtection.of(Encryption.NONE, Signature.NONE, true));
  }

  @Test
  void scanShouldTreatArmorWithABadChecksumAsALabel() {
    String[] lines = ARMORED.split("\r\n");
    StringBuilder broken = new StringBuilder();
    for (String line : lines) {
      broken.append(line.startsWith("=") && line.length() == 5 ? "=AAAA" : line).append("\r\n");
    }
    ScannedMessage m = scan(crlf(FROM, "") + broken);

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.NONE, true));
  }

  /** gpg's session key packet, then a SEIPD packet in an 8 KiB partial chunk and an empty last chunk. */
  private static byte[] longPackets(int strayBytes) {
    byte[] gpg = Ciphertext.binaryToAlice();
    int sessionKey = 2 + (gpg[1] & 0xFF);
    byte[] packets = new byte[sessionKey + 2 + 8192 + 1 + strayBytes];
    // Random bytes for the encrypted data, as real ciphertext is (armor of zero bytes is no armor we credit).
    new java.util.Random(7).nextBytes(packets);
    System.arraycopy(gpg, 0, packets, 0, sessionKey);
    packets[sessionKey] = (byte) 0xD2;
    packets[sessionKey + 1] = (byte) 0xED;
    packets[sessionKey + 2] = 1;
    packets[sessionKey + 2 + 8192] = 0; // the last chunk's length: none
    return packets;
  }

  @Test
  void scanShouldReadABlockOpenAtThePartLimitToItsEnd() {
    ScanLimits small = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 1_000, Long.MAX_VALUE, 2048);
    for (int stray = 0; stray <= 1; stray++) {
      String block = crlf("-----BEGIN PGP MESSAGE-----", "", Base64.getMimeEncoder().encodeToString(longPackets(stray)),
          "-----END PGP MESSAGE-----");

      ScannedMessage m = Messages.scan((crlf(FROM, "") + block).getBytes(StandardCharsets.US_ASCII), small);
      ScannedMessage after = Messages.scan((crlf(FROM, "") + block + crlf("", "Clear text after it."))
          .getBytes(StandardCharsets.US_ASCII), small);

      assertThat(m.content().encrypted()).as("stray bytes: " + stray)
          .isEqualTo(stray == 0 ? Encryption.PGP_INLINE : Encryption.NONE);
      assertThat(after.content().encrypted()).as("text after the block, past the limit")
          .isEqualTo(stray == 0 ? Encryption.MIXED : Encryption.NONE);
    }
  }

  @Test
  void scanShouldReadBinaryPacketsToTheEndOfTheirPartWhateverTheLimit() {
    ScanLimits small = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 1_000, Long.MAX_VALUE, 2048);
    for (int stray = 0; stray <= 1; stray++) {
      String message = crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
          "Content-Type: application/octet-stream; name=\"letter.pgp\"", "Content-Transfer-Encoding: base64", "",
          Base64.getMimeEncoder().encodeToString(longPackets(stray)), "--b--");

      ScannedMessage m = Messages.scan(message.getBytes(StandardCharsets.US_ASCII), small);

      assertThat(m.content().encrypted()).as("stray bytes: " + stray)
          .isEqualTo(stray == 0 ? Encryption.PGP_INLINE : Encryption.NONE);
      assertThat(m.diagnostics()).doesNotContain("part-inspect-limit-reached");
    }
  }

  @Test
  void scanShouldCountTheUnreadRestOfAPartAsClear() {
    StringBuilder big = new StringBuilder(crlf(FROM, "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b", "Content-Type: text/plain", ""));
    for (int i = 0; i < 200; i++) {
      big.append("                                                        \r\n");
    }
    big.append("visible at last\r\n--b--\r\n");
    ScanLimits small = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 1_000, Long.MAX_VALUE, 2048);

    ScannedMessage m = Messages.scan(big.toString().getBytes(StandardCharsets.US_ASCII), small);

    assertThat(m.diagnostics()).contains("part-inspect-limit-reached");
    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }
}
