package org.caliop.message;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message made on the fly from repeated pieces, never held in memory: lets a test feed a gigabyte to the scanner
 * under a small heap.
 */
public final class GeneratedMessage extends InputStream {
  private final List<byte[]> pieces;
  private final List<Long> repeats;
  private int piece;
  private long repeat;
  private int offset;
  private final long length;

  private GeneratedMessage(List<byte[]> pieces, List<Long> repeats) {
    this.pieces = pieces;
    this.repeats = repeats;
    long total = 0;
    for (int i = 0; i < pieces.size(); i++) {
      total += pieces.get(i).length * repeats.get(i);
    }
    this.length = total;
  }

  public static Builder builder() {
    return new Builder();
  }

  public long length() {
    return length;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    int written = 0;
    while (written < len && piece < pieces.size()) {
      byte[] current = pieces.get(piece);
      if (repeat >= repeats.get(piece) || current.length == 0) {
        piece++;
        repeat = 0;
        offset = 0;
        continue;
      }
      int n = Math.min(len - written, current.length - offset);
      System.arraycopy(current, offset, b, off + written, n);
      written += n;
      offset += n;
      if (offset == current.length) {
        offset = 0;
        repeat++;
      }
    }
    return written == 0 && len > 0 ? -1 : written;
  }

  /** Pieces in order, each repeated a number of times. */
  public static final class Builder {
    private final List<byte[]> pieces = new ArrayList<>();
    private final List<Long> repeats = new ArrayList<>();

    public Builder add(String text) {
      return repeat(text, 1);
    }

    public Builder repeat(String text, long times) {
      return repeat(text.getBytes(StandardCharsets.ISO_8859_1), times);
    }

    public Builder repeat(byte[] bytes, long times) {
      pieces.add(bytes);
      repeats.add(times);
      return this;
    }

    public GeneratedMessage build() {
      return new GeneratedMessage(pieces, repeats);
    }
  }
}
