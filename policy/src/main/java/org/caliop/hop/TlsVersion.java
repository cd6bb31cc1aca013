package org.caliop.hop;

import java.util.Locale;
import java.util.Optional;

/** TLS protocol versions, ordered from weakest to strongest. */
public enum TlsVersion {
  SSLV3("SSLv3"),
  TLSV1_0("TLSv1.0"),
  TLSV1_1("TLSv1.1"),
  TLSV1_2("TLSv1.2"),
  TLSV1_3("TLSv1.3");

  private final String canonical;

  TlsVersion(String canonical) {
    this.canonical = canonical;
  }

  /** The one spelling caliop writes: {@code SSLv3}, {@code TLSv1.0} ... {@code TLSv1.3}. */
  public String canonical() {
    return canonical;
  }

  public boolean atLeast(TlsVersion other) {
    return compareTo(other) >= 0;
  }

  /**
   * Reads any spelling MTAs use: {@code TLSv1.2}, {@code TLS1_2}, {@code TLSv1_2}, {@code TLS 1.2},
   * {@code tls1.2}, {@code TLS-1.2}, {@code TLSv1} (= 1.0), {@code SSLv3}, {@code TLS1.3:...} (Exim's
   * {@code version:cipher:bits}). Unknown spellings give empty, never a guess. So does {@code TLSv1/SSLv3}: OpenSSL's
   * name of the cipher's family (Sendmail's {@code version=} and {@code {tls_version}}, Courier), written whatever
   * version was negotiated, TLS 1.2 included; the caller records TLS without a version ({@link #isCipherFamily}).
   */
  public static Optional<TlsVersion> parse(String text) {
    return text == null ? Optional.empty() : Optional.ofNullable(parse(text, 0, text.length()));
  }

  /** {@link #parse(String)} of {@code text[from, to)}, without copying it; null when unknown. */
  public static TlsVersion parse(String text, int from, int to) {
    int end = to;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == ':') {
        if (i > from) {
          end = i;
        }
        break;
      }
    }
    if (end - from > 16) {
      return null;
    }
    // trim, upper case, no spaces, '_' and '-' as '.'; ASCII here, anything else the JDK's way
    char[] v = new char[16];
    int n = 0;
    int b = from;
    int e = end;
    while (b < e && text.charAt(b) <= ' ') {
      b++;
    }
    while (e > b && text.charAt(e - 1) <= ' ') {
      e--;
    }
    for (int i = b; i < e; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return normalized(text.substring(from, end).trim().toUpperCase(Locale.ROOT).replace(" ", "")
            .replace('_', '.').replace('-', '.'));
      }
      if (c == ' ') {
        continue;
      }
      v[n++] = c >= 'a' && c <= 'z' ? (char) (c - 32) : c == '_' || c == '-' ? '.' : c;
    }
    return normalized(new String(v, 0, n));
  }

  /** Upper case, as {@link #normalized} sees it. */
  private static final String CIPHER_FAMILY = "TLSV1/SSLV3";

  /** OpenSSL's {@code TLSv1/SSLv3}: TLS was on, its version is not named. */
  public static boolean isCipherFamily(String text) {
    return text != null && text.trim().equalsIgnoreCase(CIPHER_FAMILY);
  }

  private static TlsVersion normalized(String version) {
    String s = version;
    if (s.equals(CIPHER_FAMILY)) {
      return null;
    }
    if (s.startsWith("SSLV3") || s.equals("SSL3") || s.equals("SSL3.0") || s.equals("SSLV3.0")) {
      return SSLV3;
    }
    if (s.startsWith("TLSV")) {
      s = s.substring(4);
    } else if (s.startsWith("TLS")) {
      s = s.substring(3);
    } else {
      return null;
    }
    if (s.startsWith(".") || s.startsWith("V")) {
      s = s.substring(1);
    }
    switch (s) {
      case "1":
      case "1.0":
      case "10":
        return TLSV1_0;
      case "1.1":
      case "11":
        return TLSV1_1;
      case "1.2":
      case "12":
        return TLSV1_2;
      case "1.3":
      case "13":
        return TLSV1_3;
      default:
        return null;
    }
  }
}
