package org.caliop.milter;

import java.nio.charset.StandardCharsets;

/** Makes text safe for an SMTP reply or a quarantine reason sent through the milter protocol. */
final class ReplyText {
  /** Characters of a quarantine reason; jmilter refuses longer texts (980). */
  private static final int MAX = 900;
  /**
   * UTF-8 bytes of a reply text: an SMTP reply line holds 512 octets with its CRLF (RFC 5321 4.5.3.1.5), and the
   * codes before the text take up to 14 ({@code 550 5.7.123 }). The policy's {@code {reasons}} and the recipients
   * of a missing-key reply can make a text of any length.
   */
  static final int MAX_REPLY_BYTES = 480;

  private ReplyText() {
  }

  /** One line of printable text, at most {@value #MAX} characters. */
  static String clean(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX));
    for (int i = 0; i < text.length() && sb.length() < MAX; i++) {
      char c = text.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    String s = sb.toString().strip();
    return s.isEmpty() ? "caliop" : s;
  }

  /**
   * Reply text for SMFIR_REPLYCODE: one clean line of at most {@value #MAX_REPLY_BYTES} UTF-8 bytes, cut between
   * characters; Postfix reads it as a format, so {@code %} is doubled (and a cut never leaves half a pair).
   */
  static String milter(String text) {
    String s = clean(text);
    StringBuilder out = new StringBuilder(Math.min(s.length() * 2, MAX_REPLY_BYTES));
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      String piece = cp == '%' ? "%%" : new String(Character.toChars(cp));
      int n = piece.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > MAX_REPLY_BYTES) {
        break;
      }
      out.append(piece);
      bytes += n;
      i += Character.charCount(cp);
    }
    return out.toString().strip();
  }
}
