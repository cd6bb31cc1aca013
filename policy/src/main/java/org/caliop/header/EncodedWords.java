package org.caliop.header;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;

/**
 * RFC 2047 encoded words decoded as a reader's client decodes them, for text a sender must not hide from us (a forged
 * Subject prefix). mime4j leaves two forms undecoded that clients decode: a charset with an RFC 2231 language tag
 * ({@code =?utf-8*en?q?...?=}) and UTF-7, which Java has no charset for. Both are rewritten into plain UTF-8 encoded
 * words first, then mime4j decodes the whole value.
 */
final class EncodedWords {
  private static final Pattern WORD = Pattern.compile("=\\?([^?*\\s]+)\\*[^?\\s]*\\?([bBqQ])\\?([^?\\s]*)\\?=|"
      + "=\\?([uU][tT][fF]-7)\\?([bBqQ])\\?([^?\\s]*)\\?=");

  private EncodedWords() {
  }

  static String decode(String raw) {
    if (!raw.contains("=?")) {
      return raw;
    }
    Matcher m = WORD.matcher(raw);
    StringBuilder out = new StringBuilder(raw.length());
    while (m.find()) {
      String charset = m.group(1) != null ? m.group(1) : m.group(4);
      String encoding = m.group(1) != null ? m.group(2) : m.group(5);
      String text = m.group(1) != null ? m.group(3) : m.group(6);
      String replacement;
      if (charset.equalsIgnoreCase("utf-7")) {
        String ascii = DecoderUtil.decodeEncodedWords("=?us-ascii?" + encoding + "?" + text + "?=",
            DecodeMonitor.SILENT);
        replacement = EncoderUtil.encodeEncodedWord(utf7(ascii), EncoderUtil.Usage.TEXT_TOKEN, 0,
            StandardCharsets.UTF_8, EncoderUtil.Encoding.B);
      } else {
        replacement = "=?" + charset + "?" + encoding + "?" + text + "?=";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return DecoderUtil.decodeEncodedWords(out.toString(), DecodeMonitor.SILENT);
  }

  /** RFC 2152: text, and {@code +}base64 of UTF-16BE up to a {@code -} or any character outside base64. */
  static String utf7(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c != '+') {
        out.append(c);
        continue;
      }
      int start = i;
      while (i < s.length() && isBase64(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        out.append('+'); // "+-" is a plus sign
      } else {
        String b64 = s.substring(start, i);
        byte[] bytes = Base64.getDecoder().decode(pad(b64));
        for (int k = 0; k + 1 < bytes.length; k += 2) {
          out.append((char) (((bytes[k] & 0xff) << 8) | (bytes[k + 1] & 0xff)));
        }
      }
      if (i < s.length() && s.charAt(i) == '-') {
        i++;
      }
    }
    return out.toString();
  }

  private static String pad(String b64) {
    int rest = b64.length() % 4;
    if (rest == 1) {
      return b64.substring(0, b64.length() - 1); // six stray bits make no byte
    }
    return rest == 0 ? b64 : b64 + "==".substring(0, 4 - rest);
  }

  private static boolean isBase64(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
  }
}
