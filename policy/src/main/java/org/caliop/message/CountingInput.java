package org.caliop.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stream as the parser sees it: counts the bytes read and remembers whether the source itself failed,
 * so that a failure of the source (an {@link IOException} for the caller) is told apart from a parser complaint
 * about the content (a diagnostic). A read is filled as far as the source has bytes, however the source hands them
 * out, so the count at each step of the parse, and with it where {@link ScanLimits#maxInspectBytes()} stops the
 * walk, depends on the message alone: the same bytes judged by the milter and by the mailet, whose streams return
 * them in different pieces, give the same result (the fuzz test that reads in small pieces found the difference).
 */
final class CountingInput extends InputStream {
  private static final int DRAIN_CHUNK = 8 * 1024;

  private final InputStream source;
  private long count;
  private IOException failure;

  CountingInput(InputStream source) {
    this.source = source;
  }

  long count() {
    return count;
  }

  /** The exception the source threw, or null when it never failed. */
  IOException failure() {
    return failure;
  }

  /** Reads the rest of the source without looking at it, so the size is right and the caller's stream is used up. */
  void drain() throws IOException {
    // Usually the parser has read everything already: probe before allocating, and let in-memory streams skip.
    while (read() >= 0) {
      long skipped = skipSource();
      if (skipped <= 0) {
        byte[] chunk = new byte[DRAIN_CHUNK];
        while (read(chunk, 0, chunk.length) >= 0) {
          // counted in read
        }
        return;
      }
    }
  }

  private long skipSource() {
    try {
      long skipped = source.skip(Long.MAX_VALUE);
      count += Math.max(skipped, 0);
      return skipped;
    } catch (IOException e) {
      // Some streams (pipes) cannot skip; reading them is the way.
      return 0;
    }
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = source.read();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = source.readNBytes(b, off, len);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    if (n == 0 && len > 0) {
      return -1;
    }
    count += n;
    return n;
  }

  @Override
  public void close() {
    // the caller owns the source
  }
}
