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
   * {@code tls1.2}, {@code TLS-1.2}, {@code TLSv1} (= 1.0), {@code SSLv3}, {@code TLSv1/SSLv3} (OpenSSL's name of
   * the 1.0 cipher family, read as its floor 1.0), {@code TLS1.3:...} (Exim's {@code version:cipher:bits}).
   * Unknown spellings give empty, never a guess.
   */
  public static Optional<TlsVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int cut = text.indexOf(':');
    String version = cut > 0 ? text.substring(0, cut) : text;
    if (version.length() > 16) {
      return Optional.empty();
    }
    String s = version.trim().toUpperCase(Locale.ROOT).replace(" ", "").replace('_', '.').replace('-', '.');
    if (s.equals("TLSV1/SSLV3")) {
      return Optional.of(TLSV1_0);
    }
    if (s.startsWith("SSLV3") || s.equals("SSL3") || s.equals("SSL3.0") || s.equals("SSLV3.0")) {
      return Optional.of(SSLV3);
    }
    if (s.startsWith("TLSV")) {
      s = s.substring(4);
    } else if (s.startsWith("TLS")) {
      s = s.substring(3);
    } else {
      return Optional.empty();
    }
    if (s.startsWith(".") || s.startsWith("V")) {
      s = s.substring(1);
    }
    switch (s) {
      case "1":
      case "1.0":
      case "10":
        return Optional.of(TLSV1_0);
      case "1.1":
      case "11":
        return Optional.of(TLSV1_1);
      case "1.2":
      case "12":
        return Optional.of(TLSV1_2);
      case "1.3":
      case "13":
        return Optional.of(TLSV1_3);
      default:
        return Optional.empty();
    }
  }
}
