package org.caliop.message;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts every line longer than a bound down to the bound (the line break stays), so that the MIME parser, which
 * buffers a whole line while it reads headers, never buffers more than the bound and never refuses the message.
 * Boundaries and header starts sit at the beginning of a line, so cutting the tail of a long line keeps the
 * structure; only the dropped bytes are lost, and the parser never needed them.
 */
final class LineCappingInputStream extends FilterInputStream {
  private final int maxLine;
  private int lineLength;
  private boolean cut;

  LineCappingInputStream(InputStream in, int maxLine) {
    super(in);
    this.maxLine = Math.max(maxLine, 80);
  }

  /** Whether some line was cut. */
  boolean cutSomeLine() {
    return cut;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    // Reading at most maxLine bytes at a time means a line that starts inside this chunk cannot exceed the bound
    // within the chunk, so only the line running in from the previous chunk needs checking on the fast path.
    int want = Math.min(len, maxLine);
    for (;;) {
      int n = in.read(b, off, want);
      if (n <= 0) {
        return n;
      }
      int end = off + n;
      int firstLf = indexOfLf(b, off, end);
      int head = (firstLf < 0 ? end : firstLf) - off;
      if (lineLength + head <= maxLine) {
        lineLength = firstLf < 0 ? lineLength + n : end - 1 - lastIndexOfLf(b, firstLf, end);
        return n;
      }
      int kept = compact(b, off, end);
      if (kept > 0) {
        return kept;
      }
    }
  }

  private int compact(byte[] b, int off, int end) {
    int w = off;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == '\n') {
        lineLength = 0;
        b[w++] = c;
      } else if (lineLength < maxLine) {
        lineLength++;
        b[w++] = c;
      } else {
        cut = true;
      }
    }
    return w - off;
  }

  private static int indexOfLf(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOfLf(byte[] b, int from, int end) {
    for (int i = end - 1; i > from; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return from;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] chunk = new byte[(int) Math.min(n, 8192)];
    int r = read(chunk, 0, chunk.length);
    return Math.max(r, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
