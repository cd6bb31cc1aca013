package org.caliop.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/** One header field as read from the wire: its name and its raw bytes (folded lines, CRLF-terminated). */
public final class RawHeader {
  private final String name;
  private final byte[] raw;

  private RawHeader(String name, byte[] raw) {
    this.name = Objects.requireNonNull(name);
    this.raw = raw;
  }

  static RawHeader of(String name, byte[] raw) {
    return new RawHeader(name, raw.clone());
  }

  public String name() {
    return name;
  }

  String lowerName() {
    return name.toLowerCase(Locale.ROOT);
  }

  public boolean is(String other) {
    return name.equalsIgnoreCase(other);
  }

  boolean isContentField() {
    return lowerName().startsWith("content-");
  }

  /** The field with CRLF line ends, as it goes on the wire. */
  public byte[] raw() {
    return raw.clone();
  }

  /**
   * The unfolded value without the name and colon. ISO-8859-1 keeps every byte, so 8-bit (RFC 6532) values
   * survive a round trip.
   */
  String value() {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int colon = text.indexOf(':');
    return text.substring(colon + 1).replace("\r\n", "").replace("\n", "").trim();
  }

  @Override
  public String toString() {
    return name + ": " + value();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawHeader && ((RawHeader) o).name.equals(name) && Arrays.equals(((RawHeader) o).raw, raw);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(raw);
  }
}
