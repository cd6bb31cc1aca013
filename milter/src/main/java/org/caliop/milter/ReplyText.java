package org.caliop.milter;

/** Makes text safe for an SMTP reply or a quarantine reason sent through the milter protocol. */
final class ReplyText {
  /** jmilter refuses longer reply texts (980); we keep room for the codes. */
  private static final int MAX = 900;

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

  /** Reply text for SMFIR_REPLYCODE: Postfix reads it as a format, so {@code %} is doubled. */
  static String milter(String text) {
    String s = clean(text).replace("%", "%%");
    return s.length() > MAX ? s.substring(0, MAX) : s;
  }
}
