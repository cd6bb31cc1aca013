package org.caliop.mime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns bare LF and bare CR into CRLF: what is encrypted or signed is in canonical form (RFC 8551 3.1.1, RFC 3156
 * 3), whatever line ends the MTA handed us. Used by the gateway before encrypting and by signature checks before
 * digesting. Buffers internally because the armor writes one byte at a time. Does not
 * close the stream below when {@code closeBelow} is false.
 */
public final class CrlfOutputStream extends OutputStream {
  private final OutputStream out;
  private final boolean closeBelow;
  private final byte[] buffer = new byte[1 << 13];
  private int count;
  private int previous = -1;

  public CrlfOutputStream(OutputStream out, boolean closeBelow) {
    this.out = out;
    this.closeBelow = closeBelow;
  }

  private void put(int b) throws IOException {
    if (count == buffer.length) {
      out.write(buffer, 0, count);
      count = 0;
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(int b) throws IOException {
    b &= 0xff;
    if (b == '\n') {
      if (previous != '\r') {
        put('\r');
      }
    } else if (previous == '\r') {
      put('\n');
    }
    put(b);
    previous = b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int i = off;
    int end = off + len;
    while (i < end) {
      if (previous == '\r') {
        write(b[i++]);
        continue;
      }
      int j = i;
      while (j < end && b[j] != '\r' && b[j] != '\n') {
        j++;
      }
      if (j > i) {
        putAll(b, i, j - i);
        previous = b[j - 1] & 0xff;
        i = j;
      }
      if (i < end) {
        write(b[i++]);
      }
    }
  }

  private void putAll(byte[] b, int off, int len) throws IOException {
    if (len > buffer.length - count) {
      flushBuffer();
      if (len > buffer.length) {
        out.write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, buffer, count, len);
    count += len;
  }

  /** Ends a pending bare CR and hands the buffered bytes down. */
  public void finish() throws IOException {
    if (previous == '\r') {
      put('\n');
      previous = '\n';
    }
    flushBuffer();
  }

  private void flushBuffer() throws IOException {
    if (count > 0) {
      out.write(buffer, 0, count);
      count = 0;
    }
  }

  @Override
  public void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    finish();
    if (closeBelow) {
      out.close();
    } else {
      out.flush();
    }
  }
}
