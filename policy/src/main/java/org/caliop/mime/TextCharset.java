package org.caliop.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Whether a text part's charset shows ASCII armor as the armor we read. We read armor as ASCII bytes; a mail client
 * decodes them in the part's charset. In UTF-7 {@code +AEgAaQ} is "Hi", so armor whose base64 is crafted that way is
 * text to the reader; in UTF-16 or EBCDIC the same bytes are other characters altogether. Only a charset that decodes
 * every byte armor is made of to the same character lets an armor block count.
 */
final class TextCharset {
  /** Every byte an armor block holds: its markers, header lines, base64 and checksum, line breaks. */
  private static final String ARMOR_BYTES = "-----BEGIN PGP MESSAGE SIGNED SIGNATURE-----\r\n"
      + "Version: Comment: Hash: Charset: MessageID: \t"
      + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n";
  private static final byte[] ARMOR = ARMOR_BYTES.getBytes(StandardCharsets.US_ASCII);

  private TextCharset() {
  }

  /**
   * Whether armor in a part with this charset parameter (lower case, or null when there is none: US-ASCII) reads as
   * the same armor. An unknown charset does not: we cannot tell what the reader sees.
   */
  static boolean keepsArmor(String charset) {
    if (charset == null || charset.isEmpty() || charset.equals("us-ascii") || charset.equals("utf-8")) {
      return true;
    }
    try {
      Charset c = Charset.forName(charset);
      if (stateful(c)) {
        return false;
      }
      String decoded = c.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(ARMOR)).toString();
      return decoded.equals(ARMOR_BYTES);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException | CharacterCodingException e) {
      return false;
    }
  }

  /**
   * A charset whose escape sequences change how the bytes after them read (ISO-2022-JP/KR/CN and Windows' variants
   * of it, HZ): plain armor decodes to itself, but an ESC in a header line turns the lines after it into other text.
   */
  private static boolean stateful(Charset c) {
    if (isStatefulName(c.name())) {
      return true;
    }
    for (String alias : c.aliases()) {
      if (isStatefulName(alias)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isStatefulName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("iso-2022") || n.contains("iso2022") || n.contains("iso_2022") || n.startsWith("hz")
        || n.matches(".*5022[0-2].*");
  }
}
