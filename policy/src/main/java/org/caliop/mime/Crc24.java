package org.caliop.mime;

/** The CRC-24 of OpenPGP ASCII armor (RFC 9580 section 6.1), table-driven: read by {@link ArmorBody}, written by the gateway. */
public final class Crc24 {
  /** The value before the first byte. */
  public static final int INIT = 0xB704CE;
  private static final int POLY = 0x1864CFB;
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 16;
      for (int bit = 0; bit < 8; bit++) {
        crc <<= 1;
        if ((crc & 0x1000000) != 0) {
          crc ^= POLY;
        }
      }
      TABLE[i] = crc & 0xFFFFFF;
    }
  }

  private Crc24() {
  }

  /** {@code crc} after one more byte. */
  public static int update(int crc, int b) {
    return ((crc << 8) ^ TABLE[((crc >> 16) ^ b) & 0xFF]) & 0xFFFFFF;
  }

  /** {@code crc} after {@code len} more bytes. */
  public static int update(int crc, byte[] b, int off, int len) {
    int c = crc;
    for (int i = off, end = off + len; i < end; i++) {
      c = ((c << 8) ^ TABLE[((c >> 16) ^ b[i]) & 0xFF]) & 0xFFFFFF;
    }
    return c;
  }
}
