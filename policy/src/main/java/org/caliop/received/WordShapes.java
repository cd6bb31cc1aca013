package org.caliop.received;

import org.caliop.hop.IpAddress;

/**
 * What a word of a Received value looks like, from its characters alone: an IP literal (and where the address in it
 * stands), a host name, a cipher name, a TLS/SSL remark. Pure functions on a range of characters, so the reader can
 * ask about a token where it stands, without a copy.
 */
final class WordShapes {
  private WordShapes() {
  }

  /** {@code w[b, e)} starts with {@code TLS} or {@code SSL}, any case, and has at least 4 characters. */
  static boolean startsWithTls(String w, int b, int e) {
    if (e - b < 4) {
      return false;
    }
    char c = w.charAt(b);
    if (c == 'T' || c == 't') {
      return w.regionMatches(true, b + 1, "LS", 0, 2);
    }
    return (c == 'S' || c == 's') && w.regionMatches(true, b + 1, "SL", 0, 2);
  }

  /** An IP in a literal or word: {@code 1.2.3.4}, {@code IPv6:::1}, {@code (1.2.3.4)}, {@code 1.2.3.4:port}. */
  static String literalIp(String text) {
    return literalIp(text, text.toCharArray(), 0, text.length());
  }

  /** {@link #literalIp(String)} of {@code text[b, e)} ({@code chars} are its characters), canonical, or null. */
  static String literalIp(String text, char[] chars, int b, int e) {
    long r = ipRange(chars, b, e);
    return r < 0 ? null : IpAddress.canonical(text, (int) (r >>> 32), (int) r);
  }

  /** {@code text[b, e)} ({@code chars} are its characters) holds an IP in a literal or word. */
  static boolean isLiteralIp(String text, char[] chars, int b, int e) {
    long r = ipRange(chars, b, e);
    return r >= 0 && IpAddress.isAddress(text, (int) (r >>> 32), (int) r);
  }

  /**
   * Where the address in a literal or word stands once blanks, parentheses and a port are taken off: start in the
   * high 32 bits, end in the low; -1 when it cannot be an address.
   */
  private static long ipRange(char[] t, int b, int e) {
    while (b < e && t[b] <= ' ') {
      b++;
    }
    while (e > b && t[e - 1] <= ' ') {
      e--;
    }
    if (e - b > 2 && t[b] == '(' && t[e - 1] == ')') {
      b++;
      e--;
      while (b < e && t[b] <= ' ') {
        b++;
      }
      while (e > b && t[e - 1] <= ' ') {
        e--;
      }
    }
    if (b == e || e - b > 64) {
      return -1;
    }
    char c = t[b];
    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' && c != 'I'
        && c != 'i') {
      return -1;
    }
    int colon = -1;
    int secondColon = -1;
    int dot = -1;
    for (int i = b; i < e; i++) {
      char x = t[i];
      if (x == ':') {
        if (colon < 0) {
          colon = i;
        } else if (secondColon < 0) {
          secondColon = i;
        }
      } else if (x == '.' && dot < 0) {
        dot = i;
      }
    }
    if (colon > b && dot > b && dot < colon && secondColon < 0) {
      e = colon; // 1.2.3.4:port
    } else if (colon < 0 && dot > b) {
      e = withoutDottedPort(t, b, e); // Exim 3: [1.2.3.4.51234]
    }
    return ((long) b << 32) | e;
  }

  /** {@code 1.2.3.4.51234} (four dots, the last part a port) ends before the port; anything else is unchanged. */
  private static int withoutDottedPort(char[] t, int b, int e) {
    int dots = 0;
    int last = -1;
    for (int i = b; i < e; i++) {
      char x = t[i];
      if (x == '.') {
        dots++;
        last = i;
      } else if (x < '0' || x > '9') {
        return e;
      }
    }
    return dots == 4 && last < e - 1 && e - last - 1 <= 5 ? last : e;
  }

  /** A host name as it stands in TCP-info: has a dot, only name characters, not an address. */
  static boolean hostLike(String w) {
    return hostLike(w.toCharArray(), 0, w.length());
  }

  static boolean hostLike(char[] w, int b, int e) {
    int n = e - b;
    if (n < 3 || n > 253) {
      return false;
    }
    boolean letter = false;
    boolean dot = false;
    for (int i = b; i < e; i++) {
      char c = w[i];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        letter = true;
      } else if (c == '.') {
        if (i == b) {
          return false; // w.indexOf('.') <= 0
        }
        dot = true;
      } else if (!((c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return letter && dot;
  }

  /** An OpenSSL/IANA cipher name: upper case, digits, '-' or '_' (DES-CBC3-SHA, TLS_AES_256_GCM_SHA384). */
  static boolean cipherLike(String w) {
    return cipherLike(w.toCharArray(), 0, w.length());
  }

  static boolean cipherLike(char[] w, int b, int e) {
    int n = e - b;
    if (n < 6 || n > 100) {
      return false;
    }
    boolean sep = false;
    for (int i = b; i < e; i++) {
      char c = w[i];
      if (c == '-' || c == '_') {
        sep = true;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return sep;
  }
}
