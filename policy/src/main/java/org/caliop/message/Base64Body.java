package org.caliop.message;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;

/**
 * A base64 body decoded as mime4j decodes it, watching the raw bytes for anything after the padding. mime4j's
 * decoder stops at the first {@code =}; lenient readers (Thunderbird, many webmails) decode on past it, so base64
 * appended after a padded block (clear text after armored ciphertext) is read by them and never by us. Such a body
 * is ambiguous: {@code onDataAfterPadding} is told once, when the decoder reaches its end (before whoever reads the
 * body decides what it was) or at {@link #finish()}.
 */
final class Base64Body extends InputStream {
  private final Watch raw;
  private final Base64InputStream decoded;
  private final Runnable onDataAfterPadding;
  private boolean finished;

  /**
   * @param raw the body as it stands in the message (not decoded); read to its end by {@link #finish()}
   * @param monitor where mime4j's decoder reports broken base64
   * @param onDataAfterPadding told when more than white space follows the padding
   */
  Base64Body(InputStream raw, DecodeMonitor monitor, Runnable onDataAfterPadding) {
    this.raw = new Watch(raw);
    this.decoded = new Base64InputStream(this.raw, monitor);
    this.onDataAfterPadding = onDataAfterPadding;
  }

  @Override
  public int read() throws IOException {
    int b = decoded.read();
    if (b < 0) {
      finish();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = decoded.read(b, off, len);
    if (n < 0) {
      finish();
    }
    return n;
  }

  /** Reads the raw rest of the body (the decoder may have stopped at its padding) and says what followed it. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    raw.transferTo(OutputStream.nullOutputStream());
    if (raw.dataAfterPadding) {
      onDataAfterPadding.run();
    }
  }

  /** Sees every raw byte, whoever reads it: after the first {@code =}, only padding and white space may come. */
  private static final class Watch extends FilterInputStream {
    private boolean padding;
    private boolean dataAfterPadding;

    Watch(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        see((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (!dataAfterPadding) {
        for (int i = off; i < off + n; i++) {
          see(b[i]);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] b = new byte[(int) Math.min(Math.max(n, 0), 4096)];
      int r = read(b, 0, b.length);
      return Math.max(r, 0);
    }

    private void see(byte c) {
      if (!padding) {
        padding = c == '=';
      } else if (c != '=' && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        dataAfterPadding = true;
      }
    }
  }
}
