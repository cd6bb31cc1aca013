package org.caliop.message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Turns a raw header field into its value: unfolded (line breaks before white space removed), trimmed, nothing
 * decoded (no RFC 2047). Bytes above 127 are read as UTF-8 when they form valid UTF-8 (RFC 6532), else as
 * ISO-8859-1, so any byte sequence gives a string and none throws.
 */
final class HeaderValues {
  private HeaderValues() {
  }

  static String value(Field field, Set<String> diagnostics) {
    if (!(field instanceof RawField) || ((RawField) field).getRaw() == null) {
      String body = field.getBody();
      return body == null ? "" : body.trim();
    }
    RawField raw = (RawField) field;
    ByteSequence sequence = raw.getRaw();
    byte[] bytes = sequence instanceof ByteArrayBuffer ? ((ByteArrayBuffer) sequence).buffer() : sequence.toByteArray();
    int start = raw.getDelimiterIdx() + 1;
    int end = sequence.length();
    byte[] out = new byte[Math.max(end - start, 0)];
    int n = 0;
    boolean eightBit = false;
    boolean nul = false;
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b == '\r' || b == '\n') {
        continue;
      }
      if (b < 0) {
        eightBit = true;
      } else if (b == 0) {
        nul = true;
      }
      out[n++] = b;
    }
    int from = 0;
    while (from < n && isWhitespace(out[from])) {
      from++;
    }
    while (n > from && isWhitespace(out[n - 1])) {
      n--;
    }
    if (nul) {
      diagnostics.add(ScanDiagnostic.NUL_IN_HEADER.code());
    }
    if (!eightBit) {
      return new String(out, from, n - from, StandardCharsets.ISO_8859_1);
    }
    diagnostics.add(ScanDiagnostic.EIGHT_BIT_IN_HEADER.code());
    return decode8bit(out, from, n - from);
  }

  /** Bytes as text: ASCII as is, 8-bit as UTF-8 when valid, else ISO-8859-1; never throws. */
  static String text(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0) {
        return decode8bit(b, off, len);
      }
    }
    return new String(b, off, len, StandardCharsets.ISO_8859_1);
  }

  private static String decode8bit(byte[] b, int off, int len) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = utf8.decode(ByteBuffer.wrap(b, off, len));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t';
  }
}
