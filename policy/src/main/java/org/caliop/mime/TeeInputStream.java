package org.caliop.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies every byte read to a sink, in order: content on its way to a walk and to what digests or encrypts it at
 * the same time (one pass, nothing held). Skipping reads too, so the sink misses nothing.
 */
public final class TeeInputStream extends FilterInputStream {
  private static final int SKIP_CHUNK = 8192;

  private final OutputStream sink;

  public TeeInputStream(InputStream in, OutputStream sink) {
    super(in);
    this.sink = sink;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      sink.write(b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sink.write(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] chunk = new byte[(int) Math.min(Math.max(n, 1), SKIP_CHUNK)];
    int r = read(chunk, 0, chunk.length);
    return Math.max(r, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
