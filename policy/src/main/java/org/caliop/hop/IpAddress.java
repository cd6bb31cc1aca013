package org.caliop.hop;

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
    String s = text.trim();
    if (s.length() > 5 && (s.charAt(0) == 'I' || s.charAt(0) == 'i') && s.regionMatches(true, 0, "IPv6:", 0, 5)) {
      s = s.substring(5);
    }
    if (s.isEmpty() || s.length() > 64) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return parseV4(s, 0, s.length());
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    return parseV6(s);
  }

  /** Whether the text is an IPv4 or IPv6 address. */
  public static boolean isAddress(String text) {
    return parse(text) != null;
  }

  /**
   * The one spelling caliop writes: IPv4 dotted quad; IPv6 in RFC 5952 form (lower case, longest zero run as
   * {@code ::}), IPv4-mapped as {@code ::ffff:1.2.3.4}. Null when not an address.
   */
  public static String canonical(String text) {
    byte[] b = parse(text);
    return b == null ? null : format(b);
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

  private static boolean isMapped(byte[] b) {
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

  private static byte[] parseV6(String s) {
    int n = s.length();
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    int[] head = new int[8];
    int[] tail = new int[8];
    int headN = 0;
    int tailN = 0;
    byte[] v4 = null;
    String left = dbl >= 0 ? s.substring(0, dbl) : s;
    String right = dbl >= 0 ? s.substring(dbl + 2) : "";
    // groups of the left side
    if (!left.isEmpty()) {
      String[] parts = left.split(":", -1);
      for (int k = 0; k < parts.length; k++) {
        String p = parts[k];
        if (k == parts.length - 1 && dbl < 0 && p.indexOf('.') >= 0) {
          v4 = parseV4(p, 0, p.length());
          if (v4 == null) {
            return null;
          }
          continue;
        }
        int v = hexGroup(p);
        if (v < 0 || headN >= 8) {
          return null;
        }
        head[headN++] = v;
      }
    }
    if (!right.isEmpty()) {
      String[] parts = right.split(":", -1);
      for (int k = 0; k < parts.length; k++) {
        String p = parts[k];
        if (k == parts.length - 1 && p.indexOf('.') >= 0) {
          v4 = parseV4(p, 0, p.length());
          if (v4 == null) {
            return null;
          }
          continue;
        }
        int v = hexGroup(p);
        if (v < 0 || tailN >= 8) {
          return null;
        }
        tail[tailN++] = v;
      }
    }
    int groups = headN + tailN + (v4 != null ? 2 : 0);
    if (dbl < 0 ? groups != 8 : groups > 7) {
      return null;
    }
    if (n > 0 && dbl < 0 && (s.charAt(0) == ':' || s.charAt(n - 1) == ':')) {
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

  private static int hexGroup(String p) {
    if (p.isEmpty() || p.length() > 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < p.length(); i++) {
      int d = Character.digit(p.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
