package org.caliop.mime;

import java.io.OutputStream;

/**
 * Follows the outer framing of one BER encoding (a CMS {@code ContentInfo}) as its bytes stream by, to tell whether
 * it ends exactly where the data ends. {@link CmsPeek} reads only the header of enveloped-data: without this, bytes
 * a sender appends after the object (clear text) would ride on the credit of the ciphertext before them.
 *
 * <p>A definite length is skipped by counting, whatever it holds. Inside an indefinite length only the element
 * headers are read: a definite element is skipped whole, an indefinite one opens one more level, an end-of-contents
 * closes one. So the state is a counter of open indefinite levels, bounded by {@value #MAX_DEPTH} (no recursion,
 * nothing kept but counters). Fed in pieces of any size; not thread-safe.
 */
final class BerFraming extends OutputStream {
  /** What the bytes fed so far are, once the data has ended. */
  enum Result {
    /** One BER encoding, ending exactly at the last byte. */
    EXACT,
    /** One BER encoding, then more bytes. */
    DATA_AFTER,
    /** Not one complete BER encoding: cut short, or a header we do not read. */
    BROKEN
  }

  /** Nested indefinite lengths: CMS uses a handful; a deeper nest is not what a CMS encoder writes. */
  static final int MAX_DEPTH = 64;
  /** Length octets: more than 8 cannot be counted in a long, and no mail part is that large. */
  private static final int MAX_LENGTH_OCTETS = 8;
  /** Octets of a high tag number: CMS uses none; a few are allowed, a run of them is not BER we will read. */
  private static final int MAX_TAG_OCTETS = 4;

  private enum State {
    TAG, TAG_NUMBER, LENGTH_FIRST, LENGTH, SKIP, DONE, BROKEN
  }

  private State state = State.TAG;
  private boolean constructed;
  private int tagOctets;
  /** The tag was universal 0: with a zero length, an end-of-contents. */
  private boolean zeroTag;
  private int lengthOctets;
  private long length;
  private long skip;
  /** Open indefinite-length encodings, the outermost included. */
  private int depth;
  private boolean after;

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      switch (state) {
        case SKIP: {
          long n = Math.min(skip, end - i);
          i += (int) n;
          skip -= n;
          if (skip == 0) {
            elementEnd();
          }
          break;
        }
        case DONE:
          after = true;
          return;
        case BROKEN:
          return;
        default:
          header(b[i++] & 0xFF);
          break;
      }
    }
  }

  /** What was fed, the data having ended there. */
  Result result() {
    if (state == State.DONE) {
      return after ? Result.DATA_AFTER : Result.EXACT;
    }
    return Result.BROKEN;
  }

  private void header(int b) {
    switch (state) {
      case TAG:
        constructed = (b & 0x20) != 0;
        zeroTag = b == 0;
        tagOctets = 0;
        state = (b & 0x1F) == 0x1F ? State.TAG_NUMBER : State.LENGTH_FIRST;
        break;
      case TAG_NUMBER:
        if (++tagOctets > MAX_TAG_OCTETS) {
          state = State.BROKEN;
        } else if ((b & 0x80) == 0) {
          state = State.LENGTH_FIRST;
        }
        break;
      case LENGTH_FIRST:
        lengthFirst(b);
        break;
      case LENGTH:
        length = (length << 8) | b;
        if (--lengthOctets == 0) {
          definite(length);
        }
        break;
      default:
        break;
    }
  }

  private void lengthFirst(int b) {
    if (b < 0x80) {
      if (zeroTag && b == 0) {
        endOfContents();
      } else {
        definite(b);
      }
    } else if (b == 0x80) {
      // Indefinite: only a constructed encoding may have it (X.690 8.1.3.2).
      if (!constructed || depth >= MAX_DEPTH) {
        state = State.BROKEN;
      } else {
        depth++;
        state = State.TAG;
      }
    } else {
      lengthOctets = b & 0x7F;
      length = 0;
      state = lengthOctets > MAX_LENGTH_OCTETS ? State.BROKEN : State.LENGTH;
    }
  }

  private void definite(long n) {
    if (n < 0) {
      // Eight length octets past Long.MAX_VALUE: no part is that long.
      state = State.BROKEN;
      return;
    }
    skip = n;
    state = State.SKIP;
    if (n == 0) {
      elementEnd();
    }
  }

  private void endOfContents() {
    if (depth == 0) {
      // An end-of-contents with nothing open: no encoding started with it.
      state = State.BROKEN;
      return;
    }
    depth--;
    state = depth == 0 ? State.DONE : State.TAG;
  }

  /** A definite element was skipped: the outer encoding ends with it when nothing indefinite is open. */
  private void elementEnd() {
    state = depth == 0 ? State.DONE : State.TAG;
  }
}
