package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.message.Messages.crlf;
import static org.caliop.message.Messages.scan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.caliop.message.ScannedMessage;
import org.junit.jupiter.api.Test;

class ContentProtectionTest {
  private static final String ARMORED = crlf("-----BEGIN PGP MESSAGE-----", "", "hQEMA8Xx", "=abcd",
      "-----END PGP MESSAGE-----");

  @Test
  void scanShouldReportPgpInlineWhenTextStartsWithArmor() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Subject: x", "") + ARMORED);

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.PGP_INLINE, Signature.NONE));
  }

  @Test
  void scanShouldIgnoreArmorNotAtLineStart() {
    ScannedMessage m = scan(crlf("From: a@example.org", "", "> -----BEGIN PGP MESSAGE-----", "quoted"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }

  @Test
  void scanShouldReportPgpInlineInBase64Text() {
    String body = Base64.getMimeEncoder().encodeToString(ARMORED.getBytes(StandardCharsets.US_ASCII));
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: base64", "", body));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldReportPgpInlineSignatureWhenClearSigned() {
    ScannedMessage m = scan(crlf("From: a@example.org", "", "-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA256",
        "", "hello", "-----BEGIN PGP SIGNATURE-----", "iQE", "-----END PGP SIGNATURE-----"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.PGP_INLINE));
  }

  @Test
  void scanShouldReportMixedWhenEncryptedPartSitsBesideClearText() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "Here is the secret:", "--b", "Content-Type: text/plain", "")
        + ARMORED + crlf("--b--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldReportMixedWhenPgpMimeCarriesAClearFooter() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/mixed; boundary=outer", "",
        "--outer", "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=inner", "",
        "--inner", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--inner",
        "Content-Type: application/octet-stream", "") + ARMORED + crlf("--inner--", "--outer",
        "Content-Type: text/plain", "", "_______ list footer", "--outer--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldNotCountAnEmptyTextPartAsClearContent() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "  ", "--b", "Content-Type: application/pkcs7-mime; smime-type=enveloped-data",
        "Content-Transfer-Encoding: base64", "", "MIAGCSqGSIb3DQEHA6CAMIAC", "--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.SMIME, Signature.NONE));
  }

  @Test
  void scanShouldReportMixedWhenTwoKindsOfEncryptionMeet() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b",
        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data", "", "x", "--b--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.MIXED);
  }

  @Test
  void scanShouldReadTheCmsTypeWhenSmimeTypeIsMissing() {
    // ContentInfo { contentType envelopedData (1.2.840.113549.1.7.3), ... } in BER, indefinite length.
    byte[] der = {0x30, (byte) 0x80, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x07,
        0x03, (byte) 0xA0, (byte) 0x80, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00};
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: application/x-pkcs7-mime; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "", Base64.getEncoder().encodeToString(der)));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.SMIME, Signature.NONE));
  }

  @Test
  void scanShouldGuessEnvelopedFromP7mNameWhenTheCmsIsUnreadable() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: application/pkcs7-mime; name=\"smime.p7m\"",
        "Content-Transfer-Encoding: base64", "", "AAAA"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.SMIME);
    assertThat(m.diagnostics()).contains("smime-type-guessed");
  }

  @Test
  void scanShouldNotCallCertsOnlyEncrypted() {
    ScannedMessage m = scan(crlf("From: a@example.org",
        "Content-Type: application/pkcs7-mime; smime-type=certs-only; name=smime.p7c", "", "AAAA"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }

  @Test
  void scanShouldTakeTheSignatureKindFromTheSignaturePartWhenProtocolIsMissing() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/signed; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "hello", "--b", "Content-Type: application/pgp-signature", "", "sig",
        "--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.PGP_MIME));
    assertThat(m.diagnostics()).doesNotContain("unknown-protection-protocol");
  }

  @Test
  void scanShouldCountPgpAttachmentsAsPgpInline() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/mixed; boundary=b", "", "--b",
        "Content-Type: text/plain", "") + ARMORED + crlf("--b", "Content-Type: application/octet-stream",
        "Content-Disposition: attachment; filename=\"report.pdf.pgp\"", "", "binary", "--b--"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldLookIntoAForwardedMessage() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: message/rfc822", "",
        "From: b@example.org", "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s",
        "", "--s", "Content-Type: text/plain", "", "hi", "--s", "Content-Type: application/pkcs7-signature", "", "x",
        "--s--"));

    assertThat(m.content()).isEqualTo(ContentProtection.of(Encryption.NONE, Signature.SMIME));
  }

  @Test
  void scanShouldNotTreatAnAutocryptSetupMessageAsEncrypted() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Autocrypt-Setup-Message: v1",
        "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "setup", "--b",
        "Content-Type: application/autocrypt-setup", "") + ARMORED + crlf("--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }

  @Test
  void scanShouldFindArmorInQuotedPrintableTextWithEscapesAndSoftBreaks() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      body.append("caf=C3=A9 line ").append(i).append(" with a soft=\r\n break and =3D signs\r\n");
    }
    body.append("=2D----BEGIN PGP=\r\n MESSAGE-----\r\n\r\nhQEMA\r\n");
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable", "") + body);

    assertThat(m.content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
  }

  @Test
  void scanShouldNotTakeASoftBreakContinuationForALineStart() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Transfer-Encoding: quoted-printable", "",
        "text=", "-----BEGIN PGP MESSAGE-----"));

    assertThat(m.content().encrypted()).isEqualTo(Encryption.NONE);
  }

  @Test
  void scanShouldReadOnlyTheFirstTextAlternative() {
    ScannedMessage m = scan(crlf("From: a@example.org", "Content-Type: multipart/alternative; boundary=b", "", "--b",
        "Content-Type: text/plain", "", "hello", "--b", "Content-Type: text/html", "", "<p>hello</p>", "--b--"));

    assertThat(m.content()).isEqualTo(ContentProtection.none());
  }
}
