package org.caliop.message;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Watches the raw lines below the MIME parser for delimiter lines with junk after the boundary. mime4j takes a line
 * that starts with {@code --boundary} followed by white space or {@code --} as a delimiter and drops the rest of the
 * line; RFC 2046 allows only linear white space there, and Python and Gecko do not take such a line as a delimiter:
 * the parts after it are other parts to them (finding 18 of the outsider review). A multipart with such a line is
 * ambiguous.
 *
 * <p>The parser reads ahead of its events, so a line may pass here before the multipart whose boundary it would
 * close has started: every line that could be such a delimiter for some boundary is kept (each distinct line once,
 * at most {@link #MAX_LINE_BYTES} of it, at most {@link #MAX_KEPT_BYTES} in all) and asked about when the multipart
 * ends. Past that bound every multipart is taken as ambiguous. A line that is such a delimiter for a boundary, but
 * was read before that multipart began, also makes it ambiguous: a message that writes {@code --B junk} before
 * using boundary {@code B} loses nothing a reader would miss.
 */
final class DelimiterLines extends FilterInputStream {
  /** RFC 5322's line length: a boundary (at most 70 characters in RFC 2046) and its junk fit in it. */
  static final int MAX_LINE_BYTES = 998;
  /** What the kept lines may cost per walk. */
  static final int MAX_KEPT_BYTES = 64 * 1024;

  private final Set<Candidate> kept = new HashSet<>();
  private int keptBytes;
  /** Candidates were dropped past {@link #MAX_KEPT_BYTES}: no boundary can be cleared any more. */
  private boolean lost;
  /** A kept line longer than {@link #MAX_LINE_BYTES}: junk for a boundary longer than that cannot be told. */
  private boolean longLine;

  /** Where in the current line we are: -1 at its start, 0 after a first '-', then the bytes after "--". */
  private int state = -1;
  /** The line is not a delimiter candidate: skip to its end. */
  private boolean skipping;
  private final byte[] line = new byte[MAX_LINE_BYTES + 1];
  /** Bytes after "--" in the current line (may pass {@link #MAX_LINE_BYTES}: only that much is kept). */
  private int length;

  DelimiterLines(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c >= 0) {
      see((byte) c);
    } else {
      see((byte) '\n');
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      // The last line ends with the input: mime4j reads a delimiter there too.
      see((byte) '\n');
    }
    for (int i = off; i < off + n; i++) {
      byte c = b[i];
      if (skipping) {
        // The fast path: most lines do not start with "--".
        int lf = i;
        while (lf < off + n && b[lf] != '\n') {
          lf++;
        }
        if (lf == off + n) {
          break;
        }
        i = lf;
        c = '\n';
      }
      see(c);
    }
    return n;
  }

  private void see(byte c) {
    if (c == '\n') {
      if (!skipping && state > 0) {
        lineEnd();
      }
      state = -1;
      skipping = false;
      length = 0;
      return;
    }
    if (skipping) {
      return;
    }
    if (state < 1) {
      if (c != '-') {
        skipping = true;
      } else {
        state++;
      }
      return;
    }
    if (length < line.length) {
      line[length] = c;
    }
    length++;
    state = 1;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] chunk = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    int r = read(chunk, 0, chunk.length);
    return Math.max(r, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** A line "--X" ended: keep X if, for some boundary B it starts with, mime4j and RFC 2046 disagree. */
  private void lineEnd() {
    boolean cut = length > MAX_LINE_BYTES;
    int n = Math.min(length, MAX_LINE_BYTES);
    int core;
    if (cut) {
      // Its end is not known: junk after every split point.
      core = Integer.MAX_VALUE;
    } else {
      core = n;
      if (core > 0 && line[core - 1] == '\r') {
        core--;
      }
      while (core > 0 && (line[core - 1] == ' ' || line[core - 1] == '\t')) {
        core--;
      }
      if (core > 1 && line[core - 1] == '-' && line[core - 2] == '-') {
        core -= 2;
      }
    }
    boolean candidate = false;
    for (int s = 1; s < Math.min(core, n); s++) {
      if (splits(line, n, s)) {
        candidate = true;
        break;
      }
    }
    if (!candidate) {
      return;
    }
    // What is needed to match a boundary: the bytes up to the core, and one more for a "--" split at its end.
    int keep = Math.min(n, core == Integer.MAX_VALUE ? n : core + 1);
    Candidate c = new Candidate(Arrays.copyOf(line, keep), core);
    if (kept.contains(c)) {
      return;
    }
    if (keptBytes + keep > MAX_KEPT_BYTES) {
      lost = true;
      return;
    }
    kept.add(c);
    keptBytes += keep;
    longLine |= cut;
  }

  /** Whether mime4j ends a boundary at {@code s}: white space after it (CR included) or "--". */
  private static boolean splits(byte[] x, int n, int s) {
    byte c = x[s];
    return c == ' ' || c == '\t' || c == '\r' || (c == '-' && s + 1 < n && x[s + 1] == '-');
  }

  /**
   * Whether a line read so far is a delimiter of {@code boundary} to mime4j with more than white space after it
   * (or the closing "--" and white space), or whether that can no longer be told.
   */
  boolean junkAfter(String boundary) {
    if (lost) {
      return true;
    }
    byte[] b = boundaryBytes(boundary);
    if (b.length == 0) {
      return false;
    }
    if (b.length >= MAX_LINE_BYTES) {
      return longLine;
    }
    for (Candidate c : kept) {
      if (c.matches(b)) {
        return true;
      }
    }
    return false;
  }

  /** As mime4j makes them: each char cut to a byte. */
  private static byte[] boundaryBytes(String boundary) {
    byte[] b = new byte[boundary.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) boundary.charAt(i);
    }
    return b;
  }

  /** A kept line: the bytes after "--" and where its junk-free end (before white space and "--") is. */
  private static final class Candidate {
    final byte[] x;
    final int core;

    Candidate(byte[] x, int core) {
      this.x = x;
      this.core = core;
    }

    boolean matches(byte[] b) {
      if (b.length >= core || b.length >= x.length) {
        return false;
      }
      for (int i = 0; i < b.length; i++) {
        if (x[i] != b[i]) {
          return false;
        }
      }
      return splits(x, x.length, b.length);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Candidate && ((Candidate) o).core == core && Arrays.equals(((Candidate) o).x, x);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(x) + core;
    }

    @Override
    public String toString() {
      return new String(x, StandardCharsets.ISO_8859_1);
    }
  }
}
