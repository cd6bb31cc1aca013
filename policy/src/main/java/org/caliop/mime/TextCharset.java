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
      String decoded = c.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(ARMOR)).toString();
      return decoded.equals(ARMOR_BYTES);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException | CharacterCodingException e) {
      return false;
    }
  }
}
