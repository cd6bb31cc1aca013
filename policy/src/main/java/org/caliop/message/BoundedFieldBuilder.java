package org.caliop.message;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.DefaultFieldBuilder;
import org.apache.james.mime4j.stream.FieldBuilder;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.RecycledByteArrayBuffer;

/**
 * mime4j's field builder without its refusal: mime4j 0.8.9 aborts the whole parse when one field passes its
 * {@code maxHeaderLen}; this one keeps the first {@code maxBytes} of the field, drops the rest and remembers that
 * it did, so one oversized anti-spam header costs us that header, not the message.
 */
final class BoundedFieldBuilder implements FieldBuilder {
  private final DefaultFieldBuilder delegate = new DefaultFieldBuilder(-1);
  private final int maxBytes;
  private final Set<String> diagnostics;
  private int length;
  private boolean truncated;
  /** Mbox {@code From } lines may stand in the message's own header section (see {@link #envelopeLines}). */
  private boolean envelopeLines;
  private boolean lineNoField;

  BoundedFieldBuilder(int maxBytes, Set<String> diagnostics) {
    this.maxBytes = Math.max(maxBytes, 1000);
    this.diagnostics = diagnostics;
  }

  /**
   * Whether the header section read next is the message's own (not a part's or a nested message's). There an mbox
   * {@code From } envelope line is no ambiguity: files saved by mail clients open with one (an MTA or a test may add
   * fields above it), and Python skips it as mime4j does. In a part it is a line that is no field like any other.
   */
  void envelopeLines(boolean allowed) {
    envelopeLines = allowed;
  }

  /**
   * Whether a line that is no field was skipped since the last call. mime4j skips it; a reader that ends the header
   * section there shows it, and the fields after it, as text: the entity whose header it is, is ambiguous.
   */
  boolean takeLineNoField() {
    boolean was = lineNoField;
    lineNoField = false;
    return was;
  }

  /** Whether the field last built lost bytes. */
  boolean truncated() {
    return truncated;
  }

  @Override
  public void reset() {
    delegate.reset();
    length = 0;
    truncated = false;
  }

  @Override
  public void append(ByteArrayBuffer line) throws MimeException {
    if (line == null) {
      return;
    }
    int room = maxBytes - length;
    if (line.length() <= room) {
      delegate.append(line);
      length += line.length();
      return;
    }
    truncated = true;
    if (room > 0) {
      delegate.append(new ByteArrayBuffer(line.buffer(), room, true));
      length += room;
    }
  }

  /**
   * What {@code DefaultFieldBuilder.build} does, with a parser that reads plain field names without a builder, and
   * without an exception for a line that is no field: mime4j skips a field whose build returns null, as it skips one
   * whose build throws, and we note {@link ScanDiagnostic#INVALID_HEADER_FIELD} as its monitor would. An exception
   * per line (its stack trace filled each time) made 64 KiB of such lines cost ~18 ms on the milter's network
   * thread.
   */
  @Override
  public RawField build() throws MimeException {
    RecycledByteArrayBuffer buf = delegate.getRaw();
    int len = buf.length();
    if (len > 0 && buf.byteAt(len - 1) == '\n') {
      len--;
    }
    if (len > 0 && buf.byteAt(len - 1) == '\r') {
      len--;
    }
    ByteArrayBuffer line = new ByteArrayBuffer(buf.buffer(), len, false);
    if (envelopeLines && isMboxLine(line)) {
      diagnostics.add(ScanDiagnostic.INVALID_HEADER_FIELD.code());
      return null;
    }
    if (!NAMES.hasSeparator(line)) {
      return invalid();
    }
    RawField field = NAMES.parseField(line);
    String name = field.getName();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x21 || c > 0x7e || c == ':') {
        return invalid();
      }
    }
    return field;
  }

  private RawField invalid() {
    diagnostics.add(ScanDiagnostic.INVALID_HEADER_FIELD.code());
    lineNoField = true;
    return null;
  }

  /** "From " and no colon after the white space: not a From field in obsolete syntax ("From : ..."). */
  private static boolean isMboxLine(ByteArrayBuffer line) {
    byte[] b = line.buffer();
    int n = line.length();
    if (n < 5 || b[0] != 'F' || b[1] != 'r' || b[2] != 'o' || b[3] != 'm' || b[4] != ' ') {
      return false;
    }
    int i = 5;
    while (i < n && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    return i < n && b[i] != ':';
  }

  private static final FieldNameParser NAMES = new FieldNameParser();

  /**
   * mime4j's parser appends a field name to a fresh {@code StringBuilder} byte by byte, growing it for every name
   * longer than 16 characters (most of them: Authentication-Results, ARC-Message-Signature ...), a tenth of the time
   * of a whole scan on everyday mail. A name without white space or comments before its colon, the normal case, is
   * read here in one step; anything else goes the original way.
   */
  private static final class FieldNameParser extends RawFieldParser {
    private static final BitSet COLON = INIT_BITSET(':');

    /**
     * Whether {@link #parseField} finds the colon after the name (else it throws): a colon first after a plain
     * name, or, read the parser's way (white space folded, comments skipped), anywhere.
     */
    boolean hasSeparator(ByteArrayBuffer line) {
      byte[] bytes = line.buffer();
      int n = line.length();
      for (int i = 0; i < n; i++) {
        byte b = bytes[i];
        if (b == ':') {
          return true;
        }
        if (b == ' ' || b == '\t' || b == '(' || b == '\r' || b == '\n') {
          ParserCursor cursor = new ParserCursor(0, n);
          parseToken(line, cursor, COLON);
          return !cursor.atEnd();
        }
      }
      return false;
    }

    @Override
    public String parseToken(ByteSequence buf, ParserCursor cursor, BitSet delimiters) {
      if (buf instanceof ByteArrayBuffer && delimiters != null && delimiters.get(':')) {
        byte[] bytes = ((ByteArrayBuffer) buf).buffer();
        int from = cursor.getPos();
        int to = cursor.getUpperBound();
        for (int i = from; i < to; i++) {
          byte b = bytes[i];
          if (b == ':') {
            if (i == from) {
              break;
            }
            cursor.updatePos(i);
            return new String(bytes, from, i - from, StandardCharsets.ISO_8859_1);
          }
          if (b == ' ' || b == '\t' || b == '(' || b == '\r' || b == '\n' || delimiters.get(b & 0xff)) {
            break;
          }
        }
      }
      return super.parseToken(buf, cursor, delimiters);
    }
  }

  @Override
  public RecycledByteArrayBuffer getRaw() {
    return delegate.getRaw();
  }

  @Override
  public void release() {
    delegate.release();
  }
}
