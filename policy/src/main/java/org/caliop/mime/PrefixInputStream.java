package org.caliop.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a part's body after a prefix ({@code max_part_inspect_bytes}) and remembers whether more was there. The
 * limit can be lifted, for content a check hands on to the walk (the signed content of opaque signed-data).
 */
final class PrefixInputStream extends FilterInputStream {
  private long left;
  private boolean lifted;
  private boolean reachedLimit;

  PrefixInputStream(InputStream in, long limit) {
    super(in);
    this.left = limit;
  }

  /** Whether reading stopped at the limit with more bytes behind it. */
  boolean reachedLimit() {
    return reachedLimit;
  }

  /** Reads on to the end from now on. */
  void lift() {
    lifted = true;
  }

  @Override
  public int read() throws IOException {
    if (!lifted && left <= 0) {
      return atLimit();
    }
    int b = in.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!lifted && left <= 0) {
      int c = atLimit();
      return c;
    }
    int n = in.read(b, off, lifted ? len : (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  private int atLimit() throws IOException {
    if (!reachedLimit && in.read() >= 0) {
      reachedLimit = true;
    }
    return -1;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] b = new byte[(int) Math.min(n, 4096)];
    int r = read(b, 0, b.length);
    return Math.max(r, 0);
  }

  @Override
  public int available() {
    return 0;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // the walk owns the body
  }
}
