package org.caliop.hop;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IP address, IPv4 or IPv6, as an immutable value: parsed once where it enters (a milter macro, a James attribute,
 * a {@code Received:} literal), compared and matched by its bytes afterwards. An IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}) is its IPv4 address: one value, one spelling, one network match, whichever way a
 * client or a header wrote it.
 *
 * <p>Parsing never looks a name up (never {@code InetAddress.getByName}, which may hit DNS) and never throws. It reads
 * what MTAs write: {@code 1.2.3.4}, {@code [1.2.3.4]}, {@code IPv6:2001:db8::1}, {@code [IPv6:2001:db8::1]},
 * {@code ::ffff:1.2.3.4}, {@code fe80::1%6} (zone dropped).
 */
public final class IpAddress {
  /** 4 bytes (IPv4, also for IPv4-mapped IPv6) or 16 (IPv6). */
  private final byte[] bytes;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The address in {@code text}, or empty when it is not one. */
  public static Optional<IpAddress> parse(String text) {
    return Optional.ofNullable(orNull(text));
  }

  /** {@link #parse(String)}, null instead of empty. */
  public static IpAddress orNull(String text) {
    if (text == null) {
      return null;
    }
    int from = 0;
    int to = text.length();
    while (from < to && text.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && text.charAt(to - 1) <= ' ') {
      to--;
    }
    if (to - from > 2 && text.charAt(from) == '[' && text.charAt(to - 1) == ']') {
      from++;
      to--;
    }
    byte[] b = bytes(text, from, to);
    return b == null ? null : new IpAddress(unmapV4(b));
  }

  /** An IPv4 address, or an IPv4-mapped IPv6 address read as its IPv4 address. */
  public boolean isV4() {
    return bytes.length == 4;
  }

  /** {@code 127.0.0.0/8} or {@code ::1}: a connection that crossed no network. */
  public boolean isLoopback() {
    if (bytes.length == 4) {
      return bytes[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[15] == 1;
  }

  /** 4 or 16 bytes, a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes without a copy, for {@link Network} in this package. */
  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress && Arrays.equals(bytes, ((IpAddress) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The one spelling caliop writes: IPv4 dotted quad; IPv6 in RFC 5952 form (lower case, longest zero run as ::). */
  @Override
  public String toString() {
    return format(bytes);
  }

  /** 4 bytes for IPv4, 16 for IPv6 (IPv4-mapped kept as 16), or null when the text is not an address. */
  static byte[] bytes(String text) {
    if (text == null) {
      return null;
    }
    return bytes(text, 0, text.length());
  }

  /** {@link #bytes(String)} of {@code text[from, to)}, without copying it. */
  static byte[] bytes(String text, int from, int to) {
    int b = from;
    int e = to;
    while (b < e && text.charAt(b) <= ' ') {
      b++;
    }
    while (e > b && text.charAt(e - 1) <= ' ') {
      e--;
    }
    char c0 = b < e ? text.charAt(b) : 0;
    if (e - b > 5 && (c0 == 'I' || c0 == 'i') && text.regionMatches(true, b, "IPv6:", 0, 5)) {
      b += 5;
    }
    if (b == e || e - b > 64) {
      return null;
    }
    int zone = -1;
    boolean colon = false;
    for (int i = b; i < e; i++) {
      char c = text.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (c == '%' && zone < 0) {
        zone = i;
      }
    }
    if (!colon) {
      return parseV4(text, b, e);
    }
    return parseV6(text, b, zone >= 0 ? zone : e);
  }

  /** Whether the text is an IPv4 or IPv6 address. */
  public static boolean isAddress(String text) {
    return bytes(text) != null;
  }

  /** Whether {@code text[from, to)} is an IPv4 or IPv6 address. */
  public static boolean isAddress(String text, int from, int to) {
    return bytes(text, from, to) != null;
  }

  /** The {@link #toString() canonical spelling} of the address in {@code text}; null when not an address. */
  public static String canonical(String text) {
    byte[] b = bytes(text);
    return b == null ? null : format(unmapV4(b));
  }

  /** {@link #canonical(String)} of {@code text[from, to)}. */
  public static String canonical(String text, int from, int to) {
    byte[] b = bytes(text, from, to);
    if (b == null) {
      return null;
    }
    if (b.length == 4) {
      // most addresses are written the one way already: copy them rather than print them again
      int f = from;
      int t = to;
      while (text.charAt(f) <= ' ') {
        f++;
      }
      while (text.charAt(t - 1) <= ' ') {
        t--;
      }
      if (isPlainDottedQuad(text, f, t)) {
        return text.substring(f, t);
      }
    }
    return format(unmapV4(b));
  }

  /** Digits and dots only, and no part with a leading zero: what {@link #format} would write for it. */
  private static boolean isPlainDottedQuad(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '0' && (i == from || s.charAt(i - 1) == '.') && i + 1 < to && s.charAt(i + 1) != '.') {
        return false;
      }
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** The address as IPv4 when it is one or an IPv4-mapped IPv6 address, else unchanged. */
  static byte[] unmapV4(byte[] b) {
    if (b.length == 16 && isMapped(b)) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    return b;
  }

  private static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // RFC 5952 4.2.2: a single zero group is not shortened
    for (int i = 0; i < 8;) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  static byte[] parseV4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (part < 4) {
      int start = i;
      int v = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return null;
        }
      }
      if (i == start || v > 255) {
        return null;
      }
      out[part++] = (byte) v;
      if (part < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == to ? out : null;
  }

  private static byte[] parseV6(String s, int from, int to) {
    int dbl = -1;
    for (int i = from; i + 1 < to; i++) {
      if (s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
        if (dbl >= 0) {
          return null; // a second "::" (":::" counts)
        }
        dbl = i;
      }
    }
    int[] head = new int[8];
    int[] tail = new int[8];
    int headN = 0;
    int tailN = 0;
    byte[] v4 = null;
    int leftEnd = dbl >= 0 ? dbl : to;
    int rightStart = dbl >= 0 ? dbl + 2 : to;
    // groups of the left side
    if (leftEnd > from) {
      int p = from;
      while (true) {
        int q = p;
        boolean dot = false;
        while (q < leftEnd && s.charAt(q) != ':') {
          dot |= s.charAt(q) == '.';
          q++;
        }
        boolean last = q == leftEnd;
        if (last && dbl < 0 && dot) {
          v4 = parseV4(s, p, q);
          if (v4 == null) {
            return null;
          }
        } else {
          int v = hexGroup(s, p, q);
          if (v < 0 || headN >= 8) {
            return null;
          }
          head[headN++] = v;
        }
        if (last) {
          break;
        }
        p = q + 1;
      }
    }
    if (to > rightStart) {
      int p = rightStart;
      while (true) {
        int q = p;
        boolean dot = false;
        while (q < to && s.charAt(q) != ':') {
          dot |= s.charAt(q) == '.';
          q++;
        }
        boolean last = q == to;
        if (last && dot) {
          v4 = parseV4(s, p, q);
          if (v4 == null) {
            return null;
          }
        } else {
          int v = hexGroup(s, p, q);
          if (v < 0 || tailN >= 8) {
            return null;
          }
          tail[tailN++] = v;
        }
        if (last) {
          break;
        }
        p = q + 1;
      }
    }
    int groups = headN + tailN + (v4 != null ? 2 : 0);
    if (dbl < 0 ? groups != 8 : groups > 7) {
      return null;
    }
    if (to > from && dbl < 0 && (s.charAt(from) == ':' || s.charAt(to - 1) == ':')) {
      return null;
    }
    byte[] out = new byte[16];
    for (int k = 0; k < headN; k++) {
      out[2 * k] = (byte) (head[k] >> 8);
      out[2 * k + 1] = (byte) head[k];
    }
    int end = v4 != null ? 6 : 8;
    for (int k = 0; k < tailN; k++) {
      int g = end - tailN + k;
      out[2 * g] = (byte) (tail[k] >> 8);
      out[2 * g + 1] = (byte) tail[k];
    }
    if (v4 != null) {
      System.arraycopy(v4, 0, out, 12, 4);
    }
    return out;
  }

  private static int hexGroup(String s, int from, int to) {
    if (to == from || to - from > 4) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
