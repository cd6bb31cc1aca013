package org.caliop.mime;

/**
 * Decodes the body of one ASCII-armor block (RFC 4880 and 9580, section 6) as its lines stream by: base64 data, then
 * an optional {@code =XXXX} checksum line. Hands the decoded bytes to an {@link OpenPgpCheck}, computes the CRC-24
 * and compares it with the checksum line when there is one. White space before and after data is ignored (armor
 * pasted into HTML is indented); any other character that is not base64 breaks the block.
 *
 * <p>A message block ({@link #forMessage()}) must also have the shape of what an encoder writes, since a reader sees
 * its text: data lines of at most {@value #MAX_LINE} characters without white space inside, all of one width but the
 * last, which is no longer (gpg writes 64, others 76; RFC 9580 section 6.3); and base64 symbols spread as the encoding
 * of random bytes spreads them ({@link SymbolDistribution}), so a letter cannot be dressed as armor of real packets.
 */
final class ArmorBody {
  private static final byte[] SEXTET = new byte[256];

  static {
    java.util.Arrays.fill(SEXTET, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      SEXTET[alphabet.charAt(i)] = (byte) i;
    }
  }

  /** RFC 9580 section 6.3: armor lines hold at most 76 characters. */
  static final int MAX_LINE = 76;

  private final OpenPgpCheck packets = new OpenPgpCheck();
  /** The symbol distribution and line shape are checked (a message block, not a signature). */
  private final SymbolDistribution distribution;
  private int lineSymbols;
  private boolean spaceAfterData;
  private int width;
  private boolean shortLineSeen;
  private final byte[] capture;
  private int captured;
  private boolean captureOverflow;
  private final byte[] out = new byte[3 * 256];
  private int outLength;
  private int quad;
  private int quadLength;
  private boolean padded;
  private int pendingPadding;
  private boolean broken;
  private boolean anyData;
  private int crc = Crc24.INIT;
  private boolean checksumSeen;
  private boolean checksumGood;

  /** Also keeps the first {@code maxCapture} decoded bytes (a signature block, to verify it). */
  ArmorBody(int maxCapture) {
    this(maxCapture, false);
  }

  private ArmorBody(int maxCapture, boolean shaped) {
    this.capture = new byte[maxCapture];
    this.distribution = shaped ? new SymbolDistribution() : null;
  }

  /** A {@code BEGIN PGP MESSAGE} block: its line shape and symbol distribution are checked too. */
  static ArmorBody forMessage() {
    return new ArmorBody(0, true);
  }

  /** The decoded bytes kept, or null when there were more than the capture holds. */
  byte[] captured() {
    flush();
    return captureOverflow ? null : java.util.Arrays.copyOf(capture, captured);
  }

  /** Bytes of a data line (or a piece of one): base64 and white space. */
  void data(byte[] b, int off, int len) {
    for (int i = off; i < off + len && !broken; i++) {
      int c = b[i] & 0xFF;
      if (c == ' ' || c == '\t' || c == '\r') {
        spaceAfterData = lineSymbols > 0;
        continue;
      }
      if (distribution != null && spaceAfterData) {
        // White space inside a data line: no encoder writes it, and it is room for words.
        broken = true;
        break;
      }
      lineSymbols++;
      if (checksumSeen) {
        // Nothing but the END line comes after the checksum.
        broken = true;
        break;
      }
      if (c == '=') {
        // Padding ends the data: "xx==" holds one byte, "xxx=" two.
        if (padded && pendingPadding > 0) {
          pendingPadding--;
        } else if (!padded && quadLength == 2) {
          emit((byte) (quad >> 4));
          pendingPadding = 1;
        } else if (!padded && quadLength == 3) {
          emit((byte) (quad >> 10));
          emit((byte) (quad >> 2));
        } else {
          broken = true;
          break;
        }
        padded = true;
        quad = 0;
        quadLength = 0;
        continue;
      }
      int v = SEXTET[c];
      if (v < 0 || padded) {
        broken = true;
        break;
      }
      anyData = true;
      if (distribution != null) {
        distribution.add(v);
      }
      quad = quad << 6 | v;
      if (++quadLength == 4) {
        emit((byte) (quad >> 16));
        emit((byte) (quad >> 8));
        emit((byte) quad);
        quad = 0;
        quadLength = 0;
      }
    }
  }

  /**
   * The end of a data line (not the checksum line): every line but the last has the width of the first, the last is
   * no wider, none is wider than {@value #MAX_LINE}.
   */
  void endLine() {
    int n = lineSymbols;
    lineSymbols = 0;
    spaceAfterData = false;
    if (distribution == null || n == 0 || broken) {
      return;
    }
    if (n > MAX_LINE || shortLineSeen || width > 0 && n > width) {
      broken = true;
    } else if (width == 0) {
      width = n;
    } else if (n < width) {
      shortLineSeen = true;
    }
  }

  /**
   * The decoded bytes of the one armor block in {@code text} (a PGP/MIME signature part, read whole: it is small),
   * or null when there is no such block, it does not decode, its checksum is wrong, or it holds more than
   * {@code max} bytes. Only white space may stand outside the block.
   */
  static byte[] decodeBlock(byte[] text, int length, String label, int max) {
    byte[] begin = ("-----BEGIN PGP " + label + "-----").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] end = ("-----END PGP " + label + "-----").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ArmorBody body = new ArmorBody(max);
    int state = 0; // 0 before BEGIN, 1 headers, 2 data, 3 after END
    int i = 0;
    while (i < length) {
      int from = i;
      while (i < length && text[i] != '\n') {
        i++;
      }
      int to = i++;
      while (from < to && (text[from] == ' ' || text[from] == '\t' || text[from] == '\r')) {
        from++;
      }
      while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t' || text[to - 1] == '\r')) {
        to--;
      }
      boolean blank = from == to;
      if (state == 0 || state == 3) {
        if (blank) {
          continue;
        }
        if (state == 3 || !sameBytes(text, from, to, begin)) {
          return null;
        }
        state = 1;
      } else if (sameBytes(text, from, to, end)) {
        state = 3;
      } else if (state == 1 && (blank || indexOfColonSpace(text, from, to) > 0)) {
        continue;
      } else if (!blank) {
        state = 2;
        if (isChecksumLine(text, from, to)) {
          body.checksum(text, from);
        } else {
          body.data(text, from, to - from);
        }
      }
    }
    if (state != 3 || body.result() == OpenPgpCheck.Result.NOT_OPENPGP) {
      return null;
    }
    return body.captured();
  }

  /** Whether {@code text[from..to)} is exactly {@code marker}. */
  static boolean sameBytes(byte[] text, int from, int to, byte[] marker) {
    if (to - from != marker.length) {
      return false;
    }
    for (int i = 0; i < marker.length; i++) {
      if (text[from + i] != marker[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOfColonSpace(byte[] text, int from, int to) {
    for (int i = from; i < to - 1; i++) {
      if (text[i] == ':' && text[i + 1] == ' ') {
        return i - from;
      }
    }
    return -1;
  }

  /** Whether {@code line} (trimmed) is the checksum line: {@code =} and four base64 characters. */
  static boolean isChecksumLine(byte[] line, int from, int to) {
    if (to - from != 5 || line[from] != '=') {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      if (SEXTET[line[i] & 0xFF] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The checksum line (trimmed, as accepted by {@link #isChecksumLine}). */
  void checksum(byte[] line, int from) {
    if (checksumSeen || broken) {
      broken = true;
      return;
    }
    finishQuad();
    flush();
    int v = 0;
    for (int i = from + 1; i < from + 5; i++) {
      v = v << 6 | SEXTET[line[i] & 0xFF];
    }
    checksumSeen = true;
    checksumGood = v == crc;
  }

  /** What the block held, its END line having been seen. */
  OpenPgpCheck.Result result() {
    finishQuad();
    flush();
    if (broken || !anyData || quadLength != 0 || checksumSeen && !checksumGood
        || distribution != null && !distribution.uniform()) {
      return OpenPgpCheck.Result.NOT_OPENPGP;
    }
    return packets.result();
  }

  /** Whether the block is broken already (a character that is not base64, a bad quad). */
  boolean broken() {
    return broken;
  }

  private void finishQuad() {
    // A final quad shortened by padding: "xx==" gives one byte, "xxx=" two. Without padding, a dangling 2 or 3
    // characters are tolerated the same way (some encoders drop the padding); one alone is an error.
    if (quadLength == 0) {
      return;
    }
    if (quadLength == 1) {
      broken = true;
      return;
    }
    if (quadLength == 2) {
      emit((byte) (quad >> 4));
    } else {
      emit((byte) (quad >> 10));
      emit((byte) (quad >> 2));
    }
    quad = 0;
    quadLength = 0;
  }

  private void emit(byte b) {
    if (outLength == out.length) {
      flush();
    }
    out[outLength++] = b;
    crc = Crc24.update(crc, b);
  }

  private void flush() {
    if (outLength > 0) {
      packets.update(out, 0, outLength);
      if (capture.length > 0) {
        int n = Math.min(outLength, capture.length - captured);
        System.arraycopy(out, 0, capture, captured, n);
        captured += n;
        captureOverflow |= n < outLength;
      }
      outLength = 0;
    }
  }
}
