package org.caliop.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a decoded text body (plain text, or HTML through {@link HtmlText}) line by line and tells what it holds:
 * OpenPGP message blocks that decode to ciphertext ({@link OpenPgpCheck}, CRC-24 checked when present), readable text
 * around them, armor that decodes to nothing, cleartext-signed text. Also reads the armored form of a PGP/MIME
 * {@code application/octet-stream} part or a {@code *.asc} attachment.
 *
 * <p>Streams: keeps the first {@value #HEAD} bytes of the current line (enough for every marker and armor header)
 * and hands longer lines to the armor decoder piece by piece; reads at most the caller's limit, except that an
 * armor block open at the limit is read on to the end of the part (it must not earn credit for bytes not seen). One scanner per
 * message walk, reused from part to part; not thread-safe.
 */
public final class InlinePgpScanner {
  /** What one body holds. Fields are filled by the scan; read them after it. */
  public static final class Finding {
    private int ciphertextBlocks;
    private boolean clear;
    private boolean brokenArmor;
    private boolean clearSigned;
    private boolean cutShort;
    private boolean unsignedText;
    private boolean html;
    private boolean htmlOutsideSubset;
    private SignedDigests cleartextDigests;
    private byte[] cleartextSignature;

    /** OpenPGP message blocks that are ciphertext. */
    public int ciphertextBlocks() {
      return ciphertextBlocks;
    }

    /** Readable text: outside any block, in a cleartext-signed block, or a block that is no ciphertext. */
    public boolean clear() {
      return clear;
    }

    /** A {@code BEGIN PGP MESSAGE} block that does not decode to OpenPGP ciphertext: a label, not ciphertext. */
    public boolean brokenArmor() {
      return brokenArmor;
    }

    /** A complete cleartext signature ({@code BEGIN PGP SIGNED MESSAGE} ... {@code END PGP SIGNATURE}). */
    public boolean clearSigned() {
      return clearSigned;
    }

    /** The body was longer than the limit: the rest was not read. */
    public boolean cutShort() {
      return cutShort;
    }

    /** Visible text outside a cleartext-signed block: what a cleartext signature does not cover. */
    public boolean unsignedText() {
      return unsignedText;
    }

    /** The body was HTML: a cleartext signature in it was made over the plain text, not this. */
    public boolean html() {
      return html;
    }

    /**
     * The body was HTML outside the subset {@link HtmlText} reads: it is clear content, whatever armor it shows
     * (what a browser makes of it cannot be told).
     */
    public boolean htmlOutsideSubset() {
      return htmlOutsideSubset;
    }

    /** The digests of the cleartext-signed text in its canonical form (RFC 9580 7.1), or null. */
    SignedDigests cleartextDigests() {
      return cleartextDigests;
    }

    /** The decoded packets of the cleartext signature block, or null when it could not be read. */
    byte[] cleartextSignature() {
      return cleartextSignature;
    }

    /** Nothing but one ciphertext block (and white space). */
    public boolean onlyCiphertext() {
      return ciphertextBlocks > 0 && !clear;
    }
  }

  static final int HEAD = 128;
  private static final int CHUNK = 8192;
  /** Version, Comment, Hash, Charset, MessageID: a block with more header lines is not what a tool writes. */
  private static final int MAX_ARMOR_HEADERS = 5;
  /**
   * Bytes of all armor header lines of a block together. Their values are free text that anyone reading the raw
   * message sees in clear (a letter in three Comment: lines was credited as encrypted), so they are held to what
   * tools write: gpg's "Comment: ..." or "Version: GnuPG v2" lines, not a paragraph.
   */
  private static final int MAX_ARMOR_HEADER_BYTES = 100;
  /** The armor header keys of RFC 9580 section 6.2; any other name is not what a tool writes. */
  private static final String[] ARMOR_HEADER_KEYS = {"Version", "Comment", "Hash", "Charset", "MessageID"};
  private static final byte[] BEGIN_MESSAGE = ascii("-----BEGIN PGP MESSAGE-----");
  private static final byte[] END_MESSAGE = ascii("-----END PGP MESSAGE-----");
  private static final byte[] BEGIN_SIGNED = ascii("-----BEGIN PGP SIGNED MESSAGE-----");
  private static final byte[] BEGIN_SIGNATURE = ascii("-----BEGIN PGP SIGNATURE-----");
  private static final byte[] END_SIGNATURE = ascii("-----END PGP SIGNATURE-----");

  /** Where the current line stands. */
  private enum Block {
    /** Outside any armor. */
    NONE,
    /** After a BEGIN line, before the first data line: armor headers and blank lines. */
    ARMOR_HEADERS,
    /** Data lines, the checksum, up to the END line. */
    ARMOR_BODY,
    /** After BEGIN PGP SIGNED MESSAGE: its Hash headers up to a blank line. */
    SIGNED_HEADERS,
    /** The signed text, up to BEGIN PGP SIGNATURE. */
    SIGNED_TEXT
  }

  /** The signature block of a cleartext signature is read back to check it: a few hundred bytes. */
  private static final int MAX_SIGNATURE_BYTES = 1 << 16;
  private static final int MAX_TRAILING_WHITE_SPACE = 1 << 12;
  private static final byte[] CRLF = {'\r', '\n'};

  private final byte[] buf = new byte[CHUNK];
  private final byte[] head = new byte[HEAD];
  private final HtmlText html = new HtmlText(this::accept);
  private Finding finding;
  private Block block;
  private ArmorBody armor;
  /** The armor block being read is a signature (else an OpenPGP message). */
  private boolean signatureBlock;
  private List<String> hashNames;
  private boolean firstSignedLine;
  private boolean signedLineStarted;
  private final byte[] pendingSpace = new byte[MAX_TRAILING_WHITE_SPACE];
  private int pendingSpaceLength;
  private int armorHeaders;
  private int armorHeaderBytes;
  private int headLength;
  private long lineLength;
  private boolean lineVisible;
  private boolean streaming;
  private int qpState;
  private int qpHigh;

  /** A scanner reuses its buffers from one body to the next. */
  public InlinePgpScanner() {
  }

  /**
   * Scans one body.
   *
   * @param body the body, decoded unless {@code quotedPrintable}; read up to {@code limit} bytes, never closed
   * @param quotedPrintable decode quoted-printable on the fly (a tight loop here costs a fraction of mime4j's
   *     byte-at-a-time decoder, and quoted-printable text is the bulk of everyday mail)
   * @param isHtml the body is HTML: tags are dropped, block elements end lines, entities are decoded
   * @param limit the most bytes of {@code body} to read; past it the rest is not read ({@link Finding#cutShort()}),
   *     unless a message armor block is open there: then the body is read to its end
   */
  public Finding scan(InputStream body, boolean quotedPrintable, boolean isHtml, long limit) throws IOException {
    finding = new Finding();
    finding.html = isHtml;
    block = Block.NONE;
    armor = null;
    headLength = 0;
    lineLength = 0;
    lineVisible = false;
    streaming = false;
    qpState = 0;
    if (isHtml) {
      html.reset();
    }
    long left = limit;
    boolean complete = true;
    while (true) {
      if (left <= 0 && inMessageBlock()) {
        // An armor block open at the limit could earn credit: it is read on to the end of the part, so that no
        // byte of it, nor any text after its END line, goes unseen.
        left = Long.MAX_VALUE;
      }
      if (left <= 0) {
        complete = body.read() < 0;
        break;
      }
      int n = body.read(buf, 0, (int) Math.min(CHUNK, left));
      if (n < 0) {
        break;
      }
      left -= n;
      if (quotedPrintable) {
        n = decodeQuotedPrintable(buf, n);
      }
      if (isHtml) {
        html.write(buf, 0, n);
      } else {
        accept(buf, 0, n);
      }
    }
    if (isHtml) {
      html.finish();
      if (html.outsideSubset()) {
        finding.htmlOutsideSubset = true;
        finding.clear = true;
        finding.unsignedText = true;
      }
    }
    finish(complete);
    return finding;
  }

  /** Inside a BEGIN PGP MESSAGE block (not a signature block): what may be credited as ciphertext. */
  private boolean inMessageBlock() {
    return (block == Block.ARMOR_HEADERS || block == Block.ARMOR_BODY) && !signatureBlock;
  }

  /** Text bytes, '\n' ending lines ('\r' before it is dropped as white space). */
  private void accept(byte[] b, int off, int len) {
    int end = off + len;
    int streamFrom = -1;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == '\n') {
        if (streamFrom >= 0 && i > streamFrom) {
          armor.data(b, streamFrom, i - streamFrom);
        }
        streamFrom = -1;
        endOfLine();
        continue;
      }
      if (!lineVisible && !isSpace(c)) {
        lineVisible = true;
      }
      lineLength++;
      if (signedLineStarted) {
        signedByte(c);
      } else if (streaming) {
        if (streamFrom < 0) {
          streamFrom = i;
        }
      } else if (headLength < HEAD) {
        head[headLength++] = c;
      } else if (block == Block.ARMOR_HEADERS || block == Block.ARMOR_BODY) {
        // Longer than any marker or header: a data line, decoded as it comes.
        block = Block.ARMOR_BODY;
        armor.data(head, 0, headLength);
        streaming = true;
        streamFrom = i;
      } else if (block == Block.SIGNED_TEXT) {
        // Longer than the signature marker: signed text, digested as it comes.
        startSignedLine(head, headLength);
        signedByte(c);
      }
      // Outside a block, the rest of a long line only matters for lineVisible.
    }
    if (streamFrom >= 0 && end > streamFrom) {
      armor.data(b, streamFrom, end - streamFrom);
    }
  }

  private void endOfLine() {
    if (signedLineStarted) {
      // A long signed line: its trailing white space is not signed.
      pendingSpaceLength = 0;
      signedLineStarted = false;
      finding.clear |= lineVisible;
    } else if (!streaming) {
      line(head, headLength);
    } else {
      armor.endLine();
      if (armor.broken()) {
        brokenBlock();
      }
    }
    headLength = 0;
    lineLength = 0;
    lineVisible = false;
    streaming = false;
  }

  /** A whole line of at most {@value #HEAD} bytes (longer lines in a block were streamed to the decoder). */
  private void line(byte[] line, int length) {
    int from = 0;
    int to = length;
    while (from < to && isSpace(line[from])) {
      from++;
    }
    while (to > from && isSpace(line[to - 1])) {
      to--;
    }
    boolean blank = !lineVisible;
    boolean longLine = lineLength > HEAD;
    switch (block) {
      case NONE:
        if (!longLine && ArmorBody.sameBytes(line, from, to, BEGIN_MESSAGE)) {
          startArmor(false);
        } else if (!longLine && ArmorBody.sameBytes(line, from, to, BEGIN_SIGNED)) {
          block = Block.SIGNED_HEADERS;
          hashNames = new ArrayList<>();
        } else if (!blank) {
          finding.clear = true;
          finding.unsignedText = true;
        }
        break;
      case ARMOR_HEADERS:
        if (blank) {
          break;
        }
        if (!longLine && isArmorHeader(line, from, to)) {
          armorHeaderBytes += to - from;
          if (++armorHeaders > MAX_ARMOR_HEADERS || armorHeaderBytes > MAX_ARMOR_HEADER_BYTES
              || !isKnownArmorHeaderKey(line, from, to)) {
            brokenBlock();
          }
          break;
        }
        block = Block.ARMOR_BODY;
        armorBodyLine(line, from, to, longLine);
        break;
      case ARMOR_BODY:
        if (!blank) {
          armorBodyLine(line, from, to, longLine);
        }
        break;
      case SIGNED_HEADERS:
        if (blank) {
          startSignedText();
        } else if (!longLine && isArmorHeader(line, from, to)) {
          hashHeader(line, from, to);
        } else {
          // Not a cleartext signature after all: plain text.
          finding.clear = true;
          finding.unsignedText = true;
          block = Block.NONE;
        }
        break;
      case SIGNED_TEXT:
        if (!longLine && ArmorBody.sameBytes(line, from, to, BEGIN_SIGNATURE)) {
          // The signed text ends before this line's line break.
          finding.cleartextDigests.finish();
          startArmor(true);
        } else {
          finding.clear |= !blank;
          startSignedLine(line, length);
          pendingSpaceLength = 0;
          signedLineStarted = false;
        }
        break;
      default:
        break;
    }
  }

  private void startArmor(boolean signature) {
    block = Block.ARMOR_HEADERS;
    signatureBlock = signature;
    armor = signature ? new ArmorBody(MAX_SIGNATURE_BYTES) : ArmorBody.forMessage();
    armorHeaders = 0;
    armorHeaderBytes = 0;
  }

  /** {@code Hash: SHA256, SHA512}: the digests the cleartext signature may use. */
  private void hashHeader(byte[] line, int from, int to) {
    String text = new String(line, from, to - from, StandardCharsets.US_ASCII);
    if (!text.regionMatches(true, 0, "Hash:", 0, 5)) {
      return;
    }
    for (String name : text.substring(5).split(",")) {
      String jca = SignedDigests.nameOfMicalg(name.trim());
      if (jca != null) {
        hashNames.add(jca);
      }
    }
  }

  private void startSignedText() {
    block = Block.SIGNED_TEXT;
    finding.cleartextDigests = SignedDigests.of(hashNames);
    firstSignedLine = true;
  }

  /**
   * Starts a line of signed text in its canonical form (RFC 9580 7.1): a CRLF before every line but the first,
   * the dash escape ("- ") removed; trailing spaces and tabs are held back until something else follows.
   */
  private void startSignedLine(byte[] line, int length) {
    OutputStream sink = finding.cleartextDigests.sink();
    try {
      if (!firstSignedLine) {
        sink.write(CRLF);
      }
      firstSignedLine = false;
      int start = length >= 2 && line[0] == '-' && line[1] == ' ' ? 2 : 0;
      pendingSpaceLength = 0;
      signedLineStarted = true;
      for (int i = start; i < length; i++) {
        signedByte(line[i]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void signedByte(byte c) {
    OutputStream sink = finding.cleartextDigests.sink();
    try {
      if (c == ' ' || c == '\t' || c == '\r') {
        if (pendingSpaceLength == pendingSpace.length) {
          // More trailing white space than we hold: the text cannot be hashed as it was signed.
          finding.cleartextDigests = SignedDigests.of(List.of());
          pendingSpaceLength = 0;
        }
        pendingSpace[pendingSpaceLength++] = c;
        return;
      }
      if (pendingSpaceLength > 0) {
        sink.write(pendingSpace, 0, pendingSpaceLength);
        pendingSpaceLength = 0;
      }
      sink.write(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void armorBodyLine(byte[] line, int from, int to, boolean longLine) {
    if (!longLine && ArmorBody.sameBytes(line, from, to, signatureBlock ? END_SIGNATURE : END_MESSAGE)) {
      OpenPgpCheck.Result r = armor.result();
      if (signatureBlock) {
        // The end of a cleartext signature: readable text, signed; the block is checked by whoever cares.
        finding.clearSigned = true;
        finding.cleartextSignature = r == OpenPgpCheck.Result.OTHER_OPENPGP ? armor.captured() : null;
      } else if (r == OpenPgpCheck.Result.CIPHERTEXT) {
        finding.ciphertextBlocks++;
      } else {
        // Readable OpenPGP (signed or compressed data) is clear; anything else is a label without ciphertext.
        finding.clear = true;
        finding.unsignedText = true;
        finding.brokenArmor |= r == OpenPgpCheck.Result.NOT_OPENPGP;
      }
      armor = null;
      block = Block.NONE;
      return;
    }
    if (!longLine && ArmorBody.isChecksumLine(line, from, to)) {
      armor.checksum(line, from);
    } else {
      armor.data(line, from, to - from);
      armor.endLine();
    }
    if (armor.broken()) {
      brokenBlock();
    }
  }

  /**
   * The current block does not decode: a message block is no ciphertext (what it holds is readable text, its
   * label a lie); a signature block cannot be checked.
   */
  private void brokenBlock() {
    if (signatureBlock) {
      finding.clearSigned = true;
      finding.cleartextSignature = null;
    } else {
      finding.clear = true;
      finding.unsignedText = true;
      finding.brokenArmor = true;
    }
    armor = null;
    block = Block.NONE;
  }

  private void finish(boolean complete) {
    if (headLength > 0 || lineLength > 0) {
      endOfLine();
    }
    if ((block == Block.ARMOR_HEADERS || block == Block.ARMOR_BODY) && signatureBlock) {
      // A cleartext signature without its end: the text is clear, the signature unreadable.
      finding.clear = true;
      finding.clearSigned = true;
      finding.cleartextSignature = null;
    } else if (block == Block.ARMOR_HEADERS || block == Block.ARMOR_BODY) {
      // A block without its END line (a block open at the limit was read to the end of the part).
      finding.clear = true;
      finding.unsignedText = true;
      finding.brokenArmor = true;
    } else if (!complete) {
      // What we did not read may be anything: it counts as readable, and as not signed.
      finding.clear = true;
      finding.unsignedText = true;
    } else if (block != Block.NONE) {
      // A cleartext signature without its signature: the text is clear and not signed.
      finding.clear = true;
      finding.unsignedText = true;
    }
    finding.cutShort = !complete;
    armor = null;
  }

  /** {@code Key: value}, as armor headers are ({@code Version: GnuPG v2}, {@code Hash: SHA256}). */
  private static boolean isKnownArmorHeaderKey(byte[] line, int from, int to) {
    for (String key : ARMOR_HEADER_KEYS) {
      int n = key.length();
      if (to - from > n && line[from + n] == ':') {
        boolean same = true;
        for (int k = 0; k < n && same; k++) {
          same = Character.toLowerCase((char) line[from + k]) == Character.toLowerCase(key.charAt(k));
        }
        if (same) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isArmorHeader(byte[] line, int from, int to) {
    int i = from;
    while (i < to && (isLetter(line[i]) || line[i] == '-' || line[i] >= '0' && line[i] <= '9')) {
      i++;
    }
    return i > from && i < to && line[i] == ':' && (i + 1 == to || line[i + 1] == ' ');
  }

  private static boolean isLetter(byte c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  /**
   * Decodes quoted-printable in place: at most one byte is written per byte read, so the output never overtakes the
   * input, even when an escape spans two chunks (the state carries across). A malformed escape loses its "=" and
   * hex digit (kept as-is by a strict reader); good enough to find armor.
   */
  private int decodeQuotedPrintable(byte[] b, int n) {
    int w = 0;
    for (int i = 0; i < n; i++) {
      byte c = b[i];
      switch (qpState) {
        case 0:
          if (c == '=') {
            qpState = 1;
          } else {
            b[w++] = c;
          }
          break;
        case 1:
          if (c == '\r' || c == ' ' || c == '\t') {
            qpState = 3;
          } else if (c == '\n') {
            qpState = 0;
          } else if (hex(c) >= 0) {
            qpHigh = hex(c);
            qpState = 2;
          } else {
            b[w++] = c;
            qpState = 0;
          }
          break;
        case 2:
          if (hex(c) >= 0) {
            b[w++] = (byte) (qpHigh << 4 | hex(c));
          } else {
            b[w++] = c;
          }
          qpState = 0;
          break;
        default:
          // after "=" and white space or CR: a soft line break ends at LF
          if (c == '\n') {
            qpState = 0;
          } else if (c != '\r' && c != ' ' && c != '\t') {
            b[w++] = c;
            qpState = 0;
          }
          break;
      }
    }
    return w;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
