package org.caliop.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns bare LF and bare CR into CRLF: what is encrypted must be in canonical form (RFC 8551 3.1.1, RFC 3156 3),
 * whatever line ends the MTA handed us. Does not close the stream below when {@code closeBelow} is false.
 */
final class CrlfOutputStream extends FilterOutputStream {
  private final boolean closeBelow;
  private int previous = -1;

  CrlfOutputStream(OutputStream out, boolean closeBelow) {
    super(out);
    this.closeBelow = closeBelow;
  }

  @Override
  public void write(int b) throws IOException {
    b &= 0xff;
    if (b == '\n') {
      if (previous != '\r') {
        out.write('\r');
      }
      out.write('\n');
    } else {
      if (previous == '\r') {
        out.write('\n');
      }
      if (b != '\r') {
        out.write(b);
      } else {
        out.write('\r');
      }
    }
    previous = b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == '\n' || c == '\r' || previous == '\r') {
        if (i > start) {
          out.write(b, start, i - start);
          previous = b[i - 1] & 0xff;
        }
        write(c);
        start = i + 1;
      }
    }
    if (end > start) {
      out.write(b, start, end - start);
      previous = b[end - 1] & 0xff;
    }
  }

  /** Ends a pending bare CR. */
  void finish() throws IOException {
    if (previous == '\r') {
      out.write('\n');
      previous = '\n';
    }
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
