package org.caliop.mime;

import static org.caliop.message.Messages.crlf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels without ciphertext of issue 11, crafted as a sender would: each message carries a MIME label, armor
 * line or file name that says "encrypted" around or beside clear text. The engine must not credit them, and the
 * gateway must encrypt them (they are not already protected). Shared by the detector, engine and gateway tests.
 */
public final class LabelCases {
  private static final String CLEAR = "Hello Bob, the safe code is 4711. Nothing here is encrypted.";
  private static final String HEAD = crlf("From: Alice <alice@example.org>", "To: Bob <bob@example.org>",
      "Subject: label test", "Date: Thu, 03 Dec 2026 10:00:00 +0000", "Message-ID: <label@example.org>",
      "MIME-Version: 1.0");

  private LabelCases() {
  }

  /** Every case by name, in the order of the issue. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("multipart/encrypted with protocol around clear text", multipartEncryptedAroundClearText());
    m.put("multipart/encrypted without protocol around clear text", multipartEncryptedWithoutProtocol());
    m.put("smime-type=enveloped-data on a clear body", smimeTypeOnClearBody());
    m.put("a clear reply typed above an armored block", clearReplyAboveArmor());
    m.put("junk armor in text/plain, clear HTML alternative", junkArmorWithClearHtml());
    m.put("a clear file named *.pgp", clearFileNamedPgp());
    m.put("clear attachments typed application/pgp-keys and application/pgp-signature", clearKeyAndSignatureParts());
    m.put("clear attachments typed application/pgp-keys and application/pgp-signature, nothing else",
        clearKeyAndSignaturePartsAlone());
    m.put("text/plain starting with BEGIN PGP MESSAGE, then clear text", armorLineThenClearText());
    return m;
  }

  /** RFC 3156 labels, the control part right, and clear text where the ciphertext belongs. */
  public static byte[] multipartEncryptedAroundClearText() {
    return bytes(HEAD + crlf("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";",
        " boundary=\"b1\"", "", "--b1", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--b1",
        "Content-Type: application/octet-stream; name=\"encrypted.asc\"", "", CLEAR, "--b1--"));
  }

  /** multipart/encrypted with no protocol, holding a text part. */
  public static byte[] multipartEncryptedWithoutProtocol() {
    return bytes(HEAD + crlf("Content-Type: multipart/encrypted; boundary=\"b1\"", "", "--b1",
        "Content-Type: text/plain; charset=us-ascii", "", CLEAR, "--b1--"));
  }

  /** An S/MIME label on base64 of clear text. */
  public static byte[] smimeTypeOnClearBody() {
    return bytes(HEAD + crlf("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=smime.p7m", "",
        Base64.getMimeEncoder().encodeToString(crlf("Content-Type: text/plain", "", CLEAR)
            .getBytes(StandardCharsets.US_ASCII))));
  }

  /** A reply typed in clear above the (real) encrypted message it answers. */
  public static byte[] clearReplyAboveArmor() {
    return bytes(HEAD + crlf("Content-Type: text/plain; charset=us-ascii", "", CLEAR, "",
        "On Wednesday, Bob wrote:") + Ciphertext.armoredToAliceCrlf());
  }

  /** Armor lines around junk in the plain text, the same message in clear in the HTML alternative. */
  public static byte[] junkArmorWithClearHtml() {
    return bytes(HEAD + crlf("Content-Type: multipart/alternative; boundary=\"alt\"", "", "--alt",
        "Content-Type: text/plain; charset=us-ascii", "", "-----BEGIN PGP MESSAGE-----", "",
        "hQEMA8XxNotReallyCiphertextAtAll0123456789abcdefghijklmnopqrstuv", "=abcd", "-----END PGP MESSAGE-----",
        "--alt", "Content-Type: text/html; charset=us-ascii", "", "<html><body><p>" + CLEAR + "</p></body></html>",
        "--alt--"));
  }

  /** A file of clear text named like an encrypted one, and nothing else. */
  public static byte[] clearFileNamedPgp() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: application/octet-stream; name=\"minutes.txt.pgp\"", "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename=\"minutes.txt.pgp\"", "",
        Base64.getMimeEncoder().encodeToString(CLEAR.getBytes(StandardCharsets.US_ASCII)), "--m--"));
  }

  /** Real PGP/MIME, with clear text beside it in parts typed as a key and as a signature. */
  public static byte[] clearKeyAndSignatureParts() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"", "", "--e",
        "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream", "") + Ciphertext.armoredToAliceCrlf() + crlf("--e--", "--m",
        "Content-Type: application/pgp-keys; name=\"key.txt\"", "", CLEAR, "--m",
        "Content-Type: application/pgp-signature; name=\"signature.txt\"", "", CLEAR, "--m--"));
  }

  /** The same clear parts typed as a key and as a signature, with no ciphertext anywhere in the message. */
  public static byte[] clearKeyAndSignaturePartsAlone() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: application/pgp-keys; name=\"key.asc\"", "", CLEAR, "--m",
        "Content-Type: application/pgp-signature; name=\"signature.asc\"", "", CLEAR, "--m--"));
  }

  /** The armor's first line, then clear text. */
  public static byte[] armorLineThenClearText() {
    return bytes(HEAD + crlf("Content-Type: text/plain; charset=us-ascii", "", "-----BEGIN PGP MESSAGE-----", "",
        CLEAR, "-----END PGP MESSAGE-----"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
