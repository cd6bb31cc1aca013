package org.caliop.hop;

import java.util.Arrays;

/**
 * Parses IPv4 and IPv6 address text without any name lookup (never {@code InetAddress.getByName}, which may hit
 * DNS). Accepts what {@code Received:} headers carry: {@code 1.2.3.4}, {@code IPv6:2001:db8::1}, {@code ::ffff:1.2.3.4},
 * {@code fe80::1%6} (zone dropped). Returns {@code null} for anything else; never throws.
 */
public final class IpAddress {
  private IpAddress() {
  }

  /** 4 bytes for IPv4, 16 for IPv6, or null when the text is not an address. */
  public static byte[] parse(String text) {
    if (text == null) {
      return null;
    }
    return parse(text, 0, text.length());
  }

  /** {@link #parse(String)} of {@code text[from, to)}, without copying it. */
  public static byte[] parse(String text, int from, int to) {
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
    return parse(text) != null;
  }

  /** Whether {@code text[from, to)} is an IPv4 or IPv6 address. */
  public static boolean isAddress(String text, int from, int to) {
    return parse(text, from, to) != null;
  }

  /**
   * The one spelling caliop writes: IPv4 dotted quad; IPv6 in RFC 5952 form (lower case, longest zero run as
   * {@code ::}), IPv4-mapped as {@code ::ffff:1.2.3.4}. Null when not an address.
   */
  public static String canonical(String text) {
    byte[] b = parse(text);
    return b == null ? null : format(b);
  }

  /** {@link #canonical(String)} of {@code text[from, to)}. */
  public static String canonical(String text, int from, int to) {
    byte[] b = parse(text, from, to);
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
    return format(b);
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

  /** Whether two texts name one address: an IPv4-mapped IPv6 address is its IPv4 address. */
  public static boolean sameAddress(String a, String b) {
    byte[] x = parse(a);
    byte[] y = parse(b);
    return x != null && y != null && Arrays.equals(unmapV4(x), unmapV4(y));
  }

  /** The address as IPv4 when it is one or an IPv4-mapped IPv6 address, else unchanged. */
  static byte[] unmapV4(byte[] b) {
    if (b.length == 16 && isMapped(b)) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    return b;
  }

  static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    if (isMapped(b)) {
      return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
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
