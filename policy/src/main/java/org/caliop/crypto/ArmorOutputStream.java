package org.caliop.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * OpenPGP ASCII armor (RFC 4880 6) for a {@code PGP MESSAGE}, written with CRLF line ends and no armor headers.
 * Bouncy Castle's armor writes one byte at a time with the platform line separator; this one encodes in blocks
 * with the JDK's base64 encoder, which is most of the difference in OpenPGP throughput.
 */
final class ArmorOutputStream extends OutputStream {
  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 16;
      for (int bit = 0; bit < 8; bit++) {
        crc <<= 1;
        if ((crc & 0x1000000) != 0) {
          crc ^= 0x1864CFB;
        }
      }
      CRC_TABLE[i] = crc & 0xFFFFFF;
    }
  }

  private final OutputStream out;
  private final OutputStream base64;
  private int crc = 0xB704CE;
  private boolean closed;

  ArmorOutputStream(OutputStream out) throws IOException {
    this.out = out;
    out.write(InnerEntity.ascii("-----BEGIN PGP MESSAGE-----\r\n\r\n"));
    this.base64 = Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).wrap(new NonClosingOutputStream(out));
  }

  @Override
  public void write(int b) throws IOException {
    crc = ((crc << 8) ^ CRC_TABLE[((crc >> 16) ^ b) & 0xff]) & 0xFFFFFF;
    base64.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int c = crc;
    for (int i = off, end = off + len; i < end; i++) {
      c = ((c << 8) ^ CRC_TABLE[((c >> 16) ^ b[i]) & 0xff]) & 0xFFFFFF;
    }
    crc = c;
    base64.write(b, off, len);
  }

  /** Ends the armor; the stream below stays open. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    base64.close();
    byte[] checksum = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
    out.write(("\r\n=" + new String(Base64.getEncoder().encode(checksum), StandardCharsets.US_ASCII)
        + "\r\n-----END PGP MESSAGE-----\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
