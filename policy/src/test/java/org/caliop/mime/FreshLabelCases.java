package org.caliop.mime;

import static org.caliop.message.Messages.crlf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Label tricks tried as an attacker would after the cases of issue 11 ({@link LabelCases}) were closed: each wraps
 * clear text in something a lax detector could take for ciphertext (real ciphertext split or nested, real OpenPGP
 * or CMS that is not encryption, a checksum that matches junk). None may earn encryption points, and the gateway
 * must encrypt each. Shared by the engine and gateway tests.
 */
public final class FreshLabelCases {
  private static final String CLEAR = "Hello Bob, the safe code is 4711. Nothing here is encrypted.";
  private static final String HEAD = crlf("From: Alice <alice@example.org>", "To: Bob <bob@example.org>",
      "Subject: fresh label test", "Date: Thu, 03 Dec 2026 10:00:00 +0000", "Message-ID: <fresh@example.org>",
      "MIME-Version: 1.0");

  private FreshLabelCases() {
  }

  /** Every case by name. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("RFC 3156 labels around clear text, nested in multipart/mixed beside a clear part", nestedLabel());
    m.put("real S/MIME signed-data around a clear multipart, typed enveloped-data", signedDataTypedEnveloped());
    m.put("real armor split across two text parts", armorSplitAcrossParts());
    m.put("a base64 *.asc attachment: armor of clear text with a matching CRC-24", ascWithMatchingChecksum());
    m.put("PGP/MIME whose data part is a literal data packet only", pgpMimeLiteralOnly());
    m.put("PGP/MIME whose data part is a session key packet then a literal data packet", pkeskThenLiteral());
    m.put("real PGP/MIME ciphertext with clear text after its END line in the data part", clearAfterArmorInDataPart());
    m.put("two Content-Type fields: real PGP/MIME first, multipart/mixed with a clear part second",
        twoContentTypes());
    m.put("real armor in a text/plain part whose charset is UTF-7", armorInUtf7());
    m.put("PGP/MIME whose data part is a real session key packet then an encrypted data packet of clear text",
        pkeskThenTextAsEncryptedData());
    m.put("PGP/MIME whose data part is the armor of a real detached signature", pgpMimeSignatureOnly());
    m.put("S/MIME id-data (clear content in CMS) typed enveloped-data", cmsDataTypedEnveloped());
    m.put("real S/MIME enveloped-data with clear text after it in the same part",
        afterCms("smime-enveloped.b64", "enveloped-data"));
    m.put("real S/MIME authEnveloped-data with clear text after it in the same part",
        afterCms("smime-authenveloped.b64", "authEnveloped-data"));
    m.put("real S/MIME enveloped-data in indefinite-length BER with clear text after it",
        afterCms("smime-enveloped-ber.b64", "enveloped-data"));
    m.put("PGP/MIME whose binary data part is gpg's real packets then clear text", pgpMimeBinaryThenClear());
    m.put("PGP/MIME whose armor holds gpg's real packets then clear text, under a matching CRC-24",
        pgpMime(armor(gpgThenClear())));
    m.put("an attachment named *.pgp holding gpg's real packets then clear text", pgpFileThenClear());
    m.put("a base64 text/plain part: gpg's armor, padding, then the letter in more base64", armorThenBase64Clear());
    m.put("a base64 PGP/MIME data part: gpg's armor, padding, then the letter in more base64",
        pgpMimeThenBase64Clear());
    m.put("03 words dressed as the base64 of an encrypted data packet after a real session key packet, "
        + "wrapped at 64 like gpg", wordsDressedAsArmor(false));
    m.put("03 the same words on armor lines of their own, with spaces", wordsDressedAsArmor(true));
    m.put("second pass 01: gpg's armor with the letter in Comment: lines and a made-up header line",
        armorWithHeaders(false));
    m.put("second pass 06: PGP/MIME whose armored data part carries the letter in Comment: lines",
        armorWithHeaders(true));
    m.put("second pass 05: gpg's armor in iso-2022-jp, an escape in a header line turning what follows into kanji",
        bytes(HEAD + crlf("Content-Type: text/plain; charset=iso-2022-jp", "")
            + withHeaderLines(Ciphertext.armoredToAliceCrlf(), "Comment: \u001b$B")));
    m.put("second pass 04: a real S/MIME enveloped-data header whose encrypted content is a letter in ASCII",
        cmsEnvelopedHoldingText());
    return m;
  }

  /**
   * openssl cms -encrypt's real object whose encrypted content (its last 64 bytes, the object's end: see make.sh)
   * is a letter of 60 ASCII bytes in place of the ciphertext; lengths and framing unchanged.
   */
  public static byte[] cmsEnvelopedHoldingText() {
    byte[] der = Base64.getMimeDecoder().decode(Ciphertext.text("smime-enveloped.b64"));
    byte[] letter = "Dear Bob, we buy Acme on Monday at 42. Keep it quiet. Alice."
        .getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(letter, 0, der, der.length - letter.length, letter.length);
    return bytes(HEAD + crlf("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=smime.p7m", "",
        Base64.getMimeEncoder().encodeToString(der)));
  }

  /** gpg's real armor with header lines that carry the letter: free text anyone reading the raw message sees. */
  private static byte[] armorWithHeaders(boolean pgpMime) {
    String armor = withHeaderLines(Ciphertext.armoredToAliceCrlf(), "Comment: " + CLEAR,
        "Comment: The board decided; we buy on Monday at 42 per share.", "Dear-Bob: keep it quiet until the call");
    return pgpMime ? pgpMime(armor) : bytes(HEAD + crlf("Content-Type: text/plain; charset=us-ascii", "") + armor);
  }

  /** The armor with these header lines after its BEGIN line. */
  private static String withHeaderLines(String armor, String... lines) {
    int eol = armor.indexOf("\r\n");
    return armor.substring(0, eol + 2) + String.join("\r\n", lines) + "\r\n" + armor.substring(eol + 2);
  }

  /** The RFC 3156 shape right in every label and the control part, clear text where the ciphertext belongs. */
  public static byte[] nestedLabel() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: text/plain; charset=us-ascii", "", "See the encrypted part.", "--m",
        "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"", "", "--e",
        "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream; name=\"encrypted.asc\"", "", CLEAR, "--e--", "--m--"));
  }

  /** openssl cms -sign -nodetach: CMS that is real, but signed-data; smime-type and the name claim encryption. */
  public static byte[] signedDataTypedEnveloped() {
    return bytes(HEAD + crlf("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=smime.p7m", "")
        + Ciphertext.text("smime-signed-clear-multipart.b64").replace("\r\n", "\n").replace("\n", "\r\n"));
  }

  /** gpg's armored ciphertext, the first half in one text part and the rest in the next, clear text after it. */
  public static byte[] armorSplitAcrossParts() {
    String armor = Ciphertext.armoredToAliceCrlf();
    int cut = armor.indexOf("\r\n", armor.length() / 2) + 2;
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: text/plain; charset=us-ascii", "") + armor.substring(0, cut)
        + crlf("--m", "Content-Type: text/plain; charset=us-ascii", "") + armor.substring(cut) + crlf(CLEAR, "--m--"));
  }

  /** An attachment named like a detached armored message: base64 of an armor block whose data is clear text. */
  public static byte[] ascWithMatchingChecksum() {
    String armor = armor(CLEAR.getBytes(StandardCharsets.US_ASCII));
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: application/octet-stream; name=\"message.asc\"", "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename=\"message.asc\"", "",
        Base64.getMimeEncoder().encodeToString(armor.getBytes(StandardCharsets.US_ASCII)), "--m--"));
  }

  /** gpg --store: real OpenPGP, a literal data packet holding the text, in a well-formed PGP/MIME message. */
  public static byte[] pgpMimeLiteralOnly() {
    return pgpMime(Ciphertext.text("pgp-literal.asc").replace("\r\n", "\n").replace("\n", "\r\n"));
  }

  /** gpg's real PKESK packet, then a literal data packet where the encrypted data packet belongs. */
  public static byte[] pkeskThenLiteral() {
    byte[] text = CLEAR.getBytes(StandardCharsets.US_ASCII);
    byte[] literal = new byte[2 + 6 + text.length];
    literal[0] = (byte) 0xCB; // new format, tag 11 (literal data)
    literal[1] = (byte) (6 + text.length);
    literal[2] = 'b';
    System.arraycopy(text, 0, literal, 8, text.length);
    return pgpMime(armor(afterPkesk(literal)));
  }

  /** Real ciphertext in the data part, and a clear line after its END line in the same part. */
  public static byte[] clearAfterArmorInDataPart() {
    return pgpMime(Ciphertext.armoredToAliceCrlf() + crlf(CLEAR));
  }

  /**
   * The parser takes the first Content-Type (a real PGP/MIME message follows), a client taking the last shows a
   * multipart/mixed whose clear part stands in the first one's preamble.
   */
  public static byte[] twoContentTypes() {
    return bytes(HEAD + crlf("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";",
        " boundary=\"e\"", "Content-Type: multipart/mixed; boundary=\"x\"", "", "--x", "Content-Type: text/plain", "", CLEAR, "--x--",
        "--e", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream", "") + Ciphertext.armoredToAliceCrlf() + crlf("--e--"));
  }

  /**
   * gpg's armor in a UTF-7 part: a UTF-7 reader sees other text than the armor we read ({@code +AEgAaQ} is "Hi"),
   * so base64 can be crafted to read as a letter there.
   */
  public static byte[] armorInUtf7() {
    return bytes(HEAD + crlf("Content-Type: text/plain; charset=utf-7", "") + Ciphertext.armoredToAliceCrlf());
  }

  /** gpg's PKESK packet, then a SEIPD packet (version 1) whose "ciphertext" is the letter in ASCII. */
  public static byte[] pkeskThenTextAsEncryptedData() {
    byte[] text = CLEAR.getBytes(StandardCharsets.US_ASCII);
    byte[] seipd = new byte[3 + text.length];
    seipd[0] = (byte) 0xD2; // new format, tag 18 (SEIPD)
    seipd[1] = (byte) (1 + text.length);
    seipd[2] = 1;
    System.arraycopy(text, 0, seipd, 3, text.length);
    return pgpMime(armor(afterPkesk(seipd)));
  }

  /** gpg --detach-sign --armor: real OpenPGP, a signature packet, where the ciphertext belongs. */
  public static byte[] pgpMimeSignatureOnly() {
    return pgpMime(Ciphertext.text("pgp-detached-signature.asc").replace("\r\n", "\n").replace("\n", "\r\n"));
  }

  /** openssl cms -data_create: a real CMS ContentInfo of type id-data (clear content), typed enveloped-data. */
  public static byte[] cmsDataTypedEnveloped() {
    return bytes(HEAD + crlf("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=smime.p7m", "")
        + Ciphertext.text("smime-data.b64").replace("\r\n", "\n").replace("\n", "\r\n"));
  }

  /**
   * openssl's real CMS object, then the letter appended in the same base64 body: the CMS header is ciphertext's,
   * the bytes after the object's end are not.
   */
  public static byte[] afterCms(String resource, String smimeType) {
    byte[] der = Base64.getMimeDecoder().decode(Ciphertext.text(resource));
    byte[] text = crlf("", CLEAR).getBytes(StandardCharsets.US_ASCII);
    byte[] both = new byte[der.length + text.length];
    System.arraycopy(der, 0, both, 0, der.length);
    System.arraycopy(text, 0, both, der.length, text.length);
    return bytes(HEAD + crlf("Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=smime.p7m", "",
        Base64.getMimeEncoder().encodeToString(both)));
  }

  /** gpg's real binary output (PKESK, SEIPD), then the letter in clear after its last packet. */
  private static byte[] gpgThenClear() {
    byte[] gpg = Ciphertext.binaryToAlice();
    byte[] text = crlf("", CLEAR).getBytes(StandardCharsets.US_ASCII);
    byte[] both = new byte[gpg.length + text.length];
    System.arraycopy(gpg, 0, both, 0, gpg.length);
    System.arraycopy(text, 0, both, gpg.length, text.length);
    return both;
  }

  /** Binary packets in a base64 PGP/MIME data part, as some clients send them, the letter after them. */
  public static byte[] pgpMimeBinaryThenClear() {
    return bytes(HEAD + crlf("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";",
        " boundary=\"e\"", "", "--e", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", "",
        Base64.getMimeEncoder().encodeToString(gpgThenClear()), "--e--"));
  }

  /** A PGP/inline attachment, its packets followed by the letter. */
  public static byte[] pgpFileThenClear() {
    return bytes(HEAD + crlf("Content-Type: application/octet-stream; name=\"letter.txt.pgp\"",
        "Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename=\"letter.txt.pgp\"", "",
        Base64.getMimeEncoder().encodeToString(gpgThenClear())));
  }

  /**
   * gpg's armor in base64 ending in padding, then the letter in base64 on the next lines: mime4j stops at the
   * padding, a lenient reader decodes on and shows the letter.
   */
  public static byte[] armorThenBase64Clear() {
    return bytes(HEAD + crlf("Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: base64", "",
        paddedThenClear(Ciphertext.armoredToAliceCrlf())));
  }

  /** The same in the data part of a well-formed PGP/MIME message. */
  public static byte[] pgpMimeThenBase64Clear() {
    return bytes(HEAD + crlf("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";",
        " boundary=\"e\"", "", "--e", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", "",
        paddedThenClear(Ciphertext.armoredToAliceCrlf()), "--e--"));
  }

  /** Base64 of {@code text} (lengthened by a line end until its encoding ends in padding), then of the letter. */
  private static String paddedThenClear(String text) {
    String padded = text;
    while (padded.length() % 3 == 0) {
      padded += "\r\n";
    }
    return Base64.getMimeEncoder().encodeToString(padded.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
        + Base64.getMimeEncoder().encodeToString(crlf("", CLEAR).getBytes(StandardCharsets.US_ASCII));
  }

  /** A letter written in base64 letters and digits, as the outsider review's finding 03 hid one in armor. */
  public static final String WORDS = "DearBobtheboarddecidedWebuyAcmeonMondayat42pershareKeepitquietuntilthecall"
      + "Thesafecodeis4711andthemeetingmovestoThursdayinthesmallroomBringthecontractsandthekeysAlice";

  /**
   * gpg's real PKESK packet, then a SEIPD packet (version 1) whose body is a few random bytes and then the bytes whose
   * base64 is {@link #WORDS}, aligned so that the armor shows the words; a matching CRC-24. Wrapped at 64 like gpg,
   * or ({@code wordLines}) with the words on lines of their own, spaces between them (base64 decoders skip them).
   */
  public static byte[] wordsDressedAsArmor(boolean wordLines) {
    String words = WORDS.substring(0, WORDS.length() / 4 * 4);
    byte[] hidden = Base64.getDecoder().decode(words);
    byte[] pkesk = Ciphertext.binaryToAlice();
    pkesk = java.util.Arrays.copyOf(pkesk, packetLength(pkesk));
    int pad = 30;
    while ((pkesk.length + 4 + pad) % 3 != 0) {
      pad++;
    }
    int bodyLength = 1 + pad + hidden.length;
    byte[] packets = new byte[pkesk.length + 3 + bodyLength];
    System.arraycopy(pkesk, 0, packets, 0, pkesk.length);
    int at = pkesk.length;
    packets[at++] = (byte) 0xD2; // new format, tag 18 (SEIPD), two-octet length
    packets[at++] = (byte) (((bodyLength - 192) >> 8) + 192);
    packets[at++] = (byte) (bodyLength - 192);
    packets[at++] = 1;
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < pad; i++) {
      packets[at++] = (byte) random.nextInt(256);
    }
    System.arraycopy(hidden, 0, packets, packets.length - hidden.length, hidden.length);
    if (!wordLines) {
      return pgpMime(armor(packets));
    }
    byte[] head = java.util.Arrays.copyOf(packets, packets.length - hidden.length);
    String spaced = words.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("(.{40,}?) ", "$1\r\n");
    int crc = Crc24.update(Crc24.INIT, packets, 0, packets.length);
    byte[] sum = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
    return bytes(HEAD + crlf("Content-Type: text/plain; charset=us-ascii", "", "-----BEGIN PGP MESSAGE-----", "",
        Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).encodeToString(head), spaced,
        "=" + Base64.getEncoder().encodeToString(sum), "-----END PGP MESSAGE-----"));
  }

  /** gpg's real PKESK packet followed by {@code packet}. */
  private static byte[] afterPkesk(byte[] packet) {
    byte[] encrypted = Ciphertext.binaryToAlice();
    int pkesk = packetLength(encrypted);
    byte[] packets = new byte[pkesk + packet.length];
    System.arraycopy(encrypted, 0, packets, 0, pkesk);
    System.arraycopy(packet, 0, packets, pkesk, packet.length);
    return packets;
  }

  private static byte[] pgpMime(String dataPart) {
    return bytes(HEAD + crlf("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";",
        " boundary=\"e\"", "", "--e", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream; name=\"encrypted.asc\"", "") + dataPart + crlf("--e--"));
  }

  /** An armored block of any bytes, with its correct CRC-24. */
  private static String armor(byte[] data) {
    int crc = Crc24.update(Crc24.INIT, data, 0, data.length);
    byte[] sum = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
    return crlf("-----BEGIN PGP MESSAGE-----", "", Base64.getMimeEncoder(64, new byte[] {'\r', '\n'})
        .encodeToString(data), "=" + Base64.getEncoder().encodeToString(sum), "-----END PGP MESSAGE-----");
  }

  /** The length of the first packet (old format, as gpg writes the PKESK: one or two length bytes). */
  static int packetLength(byte[] p) {
    int lengthType = p[0] & 3;
    if (lengthType == 0) {
      return 2 + (p[1] & 0xFF);
    }
    if (lengthType == 1) {
      return 3 + ((p[1] & 0xFF) << 8 | (p[2] & 0xFF));
    }
    throw new IllegalStateException("unexpected PKESK header " + Integer.toHexString(p[0] & 0xFF));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
