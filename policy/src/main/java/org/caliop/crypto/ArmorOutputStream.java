package org.caliop.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.caliop.mime.Crc24;

/**
 * OpenPGP ASCII armor (RFC 4880 6) for a {@code PGP MESSAGE}, written with CRLF line ends and no armor headers.
 * Bouncy Castle's armor writes one byte at a time with the platform line separator; this one encodes in blocks
 * with the JDK's base64 encoder, which is most of the difference in OpenPGP throughput.
 */
final class ArmorOutputStream extends OutputStream {
  private final OutputStream out;
  private final OutputStream base64;
  private int crc = Crc24.INIT;
  private boolean closed;

  ArmorOutputStream(OutputStream out) throws IOException {
    this.out = out;
    out.write(InnerEntity.ascii("-----BEGIN PGP MESSAGE-----\r\n\r\n"));
    this.base64 = Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).wrap(new NonClosingOutputStream(out));
  }

  @Override
  public void write(int b) throws IOException {
    crc = Crc24.update(crc, b);
    base64.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc = Crc24.update(crc, b, off, len);
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
