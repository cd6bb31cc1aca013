package org.caliop.mime;

import static org.caliop.message.Messages.crlf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * MIME structures that parsers read differently (findings 01, 02, 18 and 19 of the outsider review, and their
 * variants): mime4j sees real ciphertext, another reader sees the clear text beside it. Ambiguity credits nothing:
 * none may earn encryption points, and the gateway must encrypt each. Shared by the engine and gateway tests.
 */
public final class AmbiguousMimeCases {
  private static final String CLEAR = "Hello Bob, the safe code is 4711. Nothing here is encrypted.";
  private static final String HEAD = crlf("From: Alice <alice@example.org>", "To: Bob <bob@example.org>",
      "Subject: ambiguous structure test", "Date: Thu, 03 Dec 2026 10:00:00 +0000",
      "Message-ID: <ambiguous@example.org>", "MIME-Version: 1.0");
  private static final String ENCRYPTED = "multipart/encrypted; protocol=\"application/pgp-encrypted\"";

  private AmbiguousMimeCases() {
  }

  /** Every case by name. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("multipart/mixed with two boundary parameters: a clear part under the first, PGP/MIME under the last",
        twoBoundariesAroundPgpMime());
    m.put("multipart/encrypted with two boundary parameters: a clear part under the first", encryptedTwoBoundaries());
    m.put("multipart/mixed with a boundary beside its RFC 2231 form: a clear part under the extended one",
        boundaryBesideExtendedAroundPgpMime());
    m.put("multipart/encrypted with a boundary beside its RFC 2231 form", encryptedBoundaryBesideExtended());
    m.put("multipart/encrypted whose boundary is also given in RFC 2231 continuations",
        encryptedBoundaryContinuations());
    m.put("a text part with real armor and two charset parameters: utf-7 first, utf-8 last", twoCharsets());
    m.put("a data part whose Content-Disposition names two files", twoFilenames());
    m.put("a part without a header section: clear lines read as invalid fields, then a part header",
        partWithoutHeaderSection());
    m.put("multipart/encrypted whose data part starts with a clear line that is no field",
        encryptedDataPartWithClearLine());
    m.put("a delimiter line with junk after the boundary, a clear field in the part after it",
        delimiterWithJunk("--B junk"));
    m.put("a delimiter line with a tab and junk after the boundary", delimiterWithJunk("--B\tjunk"));
    m.put("a closing delimiter line with clear text after it", closingDelimiterWithClearText());
    return m;
  }

  /** The cases whose ambiguous entity claims encryption by its type: they are labels without ciphertext. */
  public static Set<String> labels() {
    return Set.of("multipart/encrypted with two boundary parameters: a clear part under the first",
        "multipart/encrypted with a boundary beside its RFC 2231 form",
        "multipart/encrypted whose boundary is also given in RFC 2231 continuations",
        "multipart/encrypted whose data part starts with a clear line that is no field",
        "a delimiter line with junk after the boundary, a clear field in the part after it",
        "a delimiter line with a tab and junk after the boundary", "a closing delimiter line with clear text after it");
  }

  /** Finding 01: mime4j takes the last boundary, Python and Gecko the first. */
  public static byte[] twoBoundariesAroundPgpMime() {
    return aroundPgpMime("multipart/mixed; boundary=\"CLEAR\"; boundary=\"ENC\"");
  }

  /** Finding 02: mime4j ignores {@code boundary*}, Gecko prefers it. */
  public static byte[] boundaryBesideExtendedAroundPgpMime() {
    return aroundPgpMime("multipart/mixed; boundary=\"ENC\"; boundary*=''CLEAR");
  }

  public static byte[] encryptedTwoBoundaries() {
    return encryptedWithClearBeside(ENCRYPTED + "; boundary=\"CLEAR\"; boundary=\"e\"");
  }

  public static byte[] encryptedBoundaryBesideExtended() {
    return encryptedWithClearBeside(ENCRYPTED + "; boundary=\"e\"; boundary*=''CLEAR");
  }

  public static byte[] encryptedBoundaryContinuations() {
    return encryptedWithClearBeside(ENCRYPTED + "; boundary=\"e\"; boundary*0=\"CL\"; boundary*1=\"EAR\"");
  }

  /** mime4j takes the last charset (armor in UTF-8), a reader taking the first decodes the bytes as UTF-7. */
  public static byte[] twoCharsets() {
    return bytes(HEAD + crlf("Content-Type: text/plain; charset=utf-7; charset=utf-8", "")
        + Ciphertext.armoredToAliceCrlf());
  }

  /** A *.pgp file to mime4j's last filename, a *.txt file to a reader taking the first. */
  public static byte[] twoFilenames() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"m\"", "", "--m",
        "Content-Type: application/octet-stream",
        "Content-Disposition: attachment; filename=\"letter.txt\"; filename=\"letter.pgp\"", "")
        + Ciphertext.armoredToAliceCrlf() + crlf("--m--"));
  }

  /**
   * Finding 19: mime4j skips the clear lines as invalid fields (up to the blank line), readers without a header
   * section show them as the body.
   */
  public static byte[] partWithoutHeaderSection() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"B\"", "", "--B", "Content-Type: text/plain",
        "") + Ciphertext.armoredToAliceCrlf() + crlf("--B", CLEAR, "And the rest of the letter.", "", " ", "--B--"));
  }

  /** mime4j skips the clear line and reads a ciphertext part; a reader ends the header there and shows it. */
  public static byte[] encryptedDataPartWithClearLine() {
    return bytes(HEAD + crlf("Content-Type: " + ENCRYPTED + "; boundary=\"e\"", "", "--e",
        "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e", CLEAR,
        "Content-Type: application/octet-stream", "") + Ciphertext.armoredToAliceCrlf() + crlf("--e--"));
  }

  /**
   * Finding 18: mime4j ends the armor part at the delimiter with junk and reads the clear field as a header of the
   * next part; to Python and Gecko that line is no delimiter, and the field is text of the armor part.
   */
  public static byte[] delimiterWithJunk(String delimiter) {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"B\"", "", "--B", "Content-Type: text/plain",
        "") + Ciphertext.armoredToAliceCrlf() + crlf(delimiter, "X-Note: " + CLEAR, "", " ", "--B--"));
  }

  /** mime4j closes the multipart there; to other readers the line is text of the armor part. */
  public static byte[] closingDelimiterWithClearText() {
    return bytes(HEAD + crlf("Content-Type: multipart/mixed; boundary=\"B\"", "", "--B", "Content-Type: text/plain",
        "") + Ciphertext.armoredToAliceCrlf() + crlf("--B-- " + CLEAR));
  }

  /** A clear part between the first boundary's delimiters, a PGP/MIME message between the last one's. */
  private static byte[] aroundPgpMime(String contentType) {
    return bytes(HEAD + crlf("Content-Type: " + contentType, "", "--CLEAR", "Content-Type: text/plain; charset=utf-8",
        "", CLEAR, "--CLEAR--", "--ENC", "Content-Type: " + ENCRYPTED + "; boundary=\"IN\"", "", "--IN",
        "Content-Type: application/pgp-encrypted", "", "Version: 1", "", "--IN",
        "Content-Type: application/octet-stream; name=\"encrypted.asc\"", "") + Ciphertext.armoredToAliceCrlf()
        + crlf("", "--IN--", "--ENC--"));
  }

  /** Real PGP/MIME under boundary "e"; a clear part under boundary "CLEAR", in the preamble of the other reading. */
  private static byte[] encryptedWithClearBeside(String contentType) {
    return bytes(HEAD + crlf("Content-Type: " + contentType, "", "--CLEAR", "Content-Type: text/plain", "", CLEAR,
        "--CLEAR--", "--e", "Content-Type: application/pgp-encrypted", "", "Version: 1", "--e",
        "Content-Type: application/octet-stream", "") + Ciphertext.armoredToAliceCrlf() + crlf("--e--"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
