package org.caliop.milter.message;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A message as it was, less the first {@code count} header fields of one name (with their folded lines): what the
 * engine reads on caliop's re-injection listener, where the {@code Received:} fields above the one our MTA wrote
 * for the sealed first-hand connection are our own re-injection hops (docs/milter.md, "Postfix set-ups"). Reads
 * the header section a line at a time, the body straight through.
 */
public final class FieldsDropping extends FilterInputStream {
  private final String prefix;
  private int left;
  private boolean dropping;
  private boolean inHeader = true;
  private byte[] line = new byte[0];
  private int pos;

  /**
   * @param name the field name, compared without case
   * @param count how many of the first fields of that name to leave out
   */
  public FieldsDropping(InputStream in, String name, int count) {
    super(in);
    this.prefix = name.toLowerCase(java.util.Locale.ROOT) + ":";
    this.left = count;
    this.inHeader = count > 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (inHeader && pos >= line.length) {
      if (!nextHeaderLine()) {
        break;
      }
    }
    if (pos < line.length) {
      int n = Math.min(len, line.length - pos);
      System.arraycopy(line, pos, b, off, n);
      pos += n;
      return n;
    }
    return in.read(b, off, len);
  }

  /** Reads the next header line into {@link #line}, empty when it is dropped; false at the end of the stream. */
  private boolean nextHeaderLine() throws IOException {
    ByteArrayOutputStream l = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) >= 0) {
      l.write(c);
      if (c == '\n') {
        break;
      }
    }
    if (l.size() == 0) {
      inHeader = false;
      return false;
    }
    byte[] bytes = l.toByteArray();
    pos = 0;
    boolean blank = bytes.length <= 2 && (bytes[0] == '\n' || bytes[0] == '\r');
    boolean continuation = bytes[0] == ' ' || bytes[0] == '\t';
    if (blank) {
      inHeader = false;
      dropping = false;
    } else if (!continuation) {
      dropping = left > 0 && startsWithName(bytes);
      if (dropping) {
        left--;
      }
    }
    line = dropping ? new byte[0] : bytes;
    if (!blank && left == 0 && !dropping) {
      // Nothing more to drop: the rest passes straight through (this line is still handed out first).
      inHeader = false;
    }
    return true;
  }

  private boolean startsWithName(byte[] bytes) {
    if (bytes.length < prefix.length()) {
      return false;
    }
    String head = new String(bytes, 0, prefix.length(), StandardCharsets.ISO_8859_1);
    return head.equalsIgnoreCase(prefix);
  }
}
