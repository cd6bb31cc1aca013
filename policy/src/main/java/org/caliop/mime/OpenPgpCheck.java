package org.caliop.mime;

/**
 * Tells, as the bytes of an OpenPGP message stream by, whether they are ciphertext: one or more encrypted session
 * key packets (PKESK, tag 1, version 3 or 6; SKESK, tag 3, version 4, 5 or 6), then one encrypted data packet
 * (SED, tag 9; SEIPD, tag 18, version 1 or 2; AEAD, tag 20, version 1) that runs to the end of the data (RFC 4880
 * and 9580, section 10.3). Nothing else is ciphertext: a label, an armor line or a file name is not.
 *
 * <p>Ciphertext looks random: a run of {@value #MAX_TEXT_RUN} printable ASCII bytes (a sentence) among its packets
 * is readable text dressed as ciphertext, not ciphertext (random bytes hold such a run with a probability below
 * 10<sup>-19</sup> per byte).
 *
 * <p>Reads packet headers and the version byte of each body and skips the rest of the bodies, looking only for a
 * run of text; keeps no data. The headers are followed to the end of the data, so bytes after the last packet
 * (clear text appended to real ciphertext) break it.
 * Fed in pieces of any size; not thread-safe. Used on the decoded bytes of an armor block, of a PGP/MIME
 * {@code application/octet-stream} part and of an attachment named {@code *.pgp}/{@code *.gpg}/{@code *.asc}.
 */
final class OpenPgpCheck {
  /** What the bytes are. */
  enum Result {
    /** Session key packet(s), then an encrypted data packet running to the end. */
    CIPHERTEXT,
    /** Starts as another OpenPGP message (a key, a signature, signed or compressed data): readable by anyone. */
    OTHER_OPENPGP,
    /** Not OpenPGP, or OpenPGP that breaks the rules above. */
    NOT_OPENPGP
  }

  private static final int TAG_PKESK = 1;
  private static final int TAG_SKESK = 3;
  private static final int TAG_SED = 9;
  private static final int TAG_SEIPD = 18;
  private static final int TAG_AEAD = 20;
  /** Printable ASCII bytes in a row that make ciphertext readable text. */
  static final int MAX_TEXT_RUN = 48;

  private enum State {
    /** Before a packet's first byte. */
    TAG,
    /** Reading the length octets of a packet (or of the next chunk of a partial-length packet). */
    LENGTH,
    /** Inside a body chunk. */
    BODY,
    /** Inside a packet whose length runs to the end of the data (old format, length type 3). */
    TO_END,
    /** The data broke a rule; nothing more is looked at. */
    BROKEN
  }

  private State state = State.TAG;
  private boolean any;
  private int firstTag = -1;
  private int tag;
  private int sessionKeys;
  private boolean encryptedData;
  /** Old format: how many length octets remain; new format: -1 until the first octet is read. */
  private int lengthOctets;
  private boolean newFormat;
  private boolean chunkHeader;
  private long length;
  private int lengthRead;
  private long remaining;
  private boolean partial;
  /** Bytes of the current packet's body seen so far (only the first matters). */
  private long bodyOffset;
  /** Watches for a run of printable ASCII bytes among everything fed. */
  private final TextRun text = new TextRun();

  /** Feeds the next bytes. */
  void update(byte[] b, int off, int len) {
    text.write(b, off, len);
    int i = off;
    int end = off + len;
    while (i < end && state != State.BROKEN) {
      switch (state) {
        case TAG:
          startPacket(b[i++] & 0xFF);
          break;
        case LENGTH:
          lengthOctet(b[i++] & 0xFF);
          break;
        case BODY: {
          if (bodyOffset == 0 && !version(b[i] & 0xFF)) {
            state = State.BROKEN;
            break;
          }
          long n = Math.min(remaining, end - i);
          i += (int) n;
          remaining -= n;
          bodyOffset += n;
          if (remaining == 0) {
            endOfChunk();
          }
          break;
        }
        case TO_END:
          if (bodyOffset == 0 && !version(b[i] & 0xFF)) {
            state = State.BROKEN;
            break;
          }
          bodyOffset += end - i;
          i = end;
          break;
        default:
          break;
      }
    }
  }

  /**
   * What the bytes fed so far are, the data having ended there. Callers feed the whole part: bytes not fed are never
   * taken for the rest of a packet, since a sender could have put anything there.
   */
  Result result() {
    if (!any) {
      return Result.NOT_OPENPGP;
    }
    boolean esk = firstTag == TAG_PKESK || firstTag == TAG_SKESK;
    if (!esk) {
      return isOtherMessageStart(firstTag) && state != State.BROKEN ? Result.OTHER_OPENPGP : Result.NOT_OPENPGP;
    }
    if (state == State.BROKEN || !encryptedData || text.found()) {
      return Result.NOT_OPENPGP;
    }
    // The data ended: the encrypted packet must end exactly there, with at least its version byte.
    boolean ended = state == State.TO_END || state == State.TAG && !partial;
    return ended && bodyOffset > 0 ? Result.CIPHERTEXT : Result.NOT_OPENPGP;
  }

  private void startPacket(int b) {
    if (encryptedData || (b & 0x80) == 0) {
      // Nothing may follow the encrypted data packet; a packet tag always has its top bit set.
      state = State.BROKEN;
      any = true;
      return;
    }
    any = true;
    newFormat = (b & 0x40) != 0;
    tag = newFormat ? b & 0x3F : (b >> 2) & 0x0F;
    if (firstTag < 0) {
      firstTag = tag;
    }
    boolean esk = tag == TAG_PKESK || tag == TAG_SKESK;
    boolean encrypted = tag == TAG_SED || tag == TAG_SEIPD || tag == TAG_AEAD;
    if (firstTag == TAG_PKESK || firstTag == TAG_SKESK) {
      // Only session keys, then the encrypted data: anything else (a marker, a literal) is not this shape.
      if (!esk && !(encrypted && sessionKeys > 0)) {
        state = State.BROKEN;
        return;
      }
      if (esk) {
        sessionKeys++;
      } else {
        encryptedData = true;
      }
    } else {
      // Another kind of OpenPGP message: its first header is all we wanted to see.
      state = State.BROKEN;
      if (isOtherMessageStart(tag)) {
        state = State.TO_END;
        bodyOffset = 1;
      }
      return;
    }
    bodyOffset = 0;
    partial = false;
    chunkHeader = false;
    length = 0;
    lengthRead = 0;
    if (newFormat) {
      lengthOctets = -1;
      state = State.LENGTH;
    } else {
      int type = b & 0x03;
      if (type == 3) {
        // Indeterminate length: only a data packet may run to the end.
        state = encrypted ? State.TO_END : State.BROKEN;
        return;
      }
      lengthOctets = type == 0 ? 1 : type == 1 ? 2 : 4;
      state = State.LENGTH;
    }
  }

  private void lengthOctet(int b) {
    if (!newFormat) {
      length = (length << 8) | b;
      if (++lengthRead == lengthOctets) {
        startChunk(length, false);
      }
      return;
    }
    if (lengthOctets < 0) {
      if (b < 192) {
        startChunk(b, false);
      } else if (b < 224) {
        length = (b - 192) << 8;
        lengthOctets = 1;
      } else if (b == 255) {
        length = 0;
        lengthOctets = 4;
      } else {
        // Partial body length: a power of two, then more length headers. Data packets only, first chunk >= 512.
        boolean dataPacket = tag == TAG_SED || tag == TAG_SEIPD || tag == TAG_AEAD;
        long chunk = 1L << (b & 0x1F);
        if (!dataPacket || !chunkHeader && chunk < 512) {
          state = State.BROKEN;
          return;
        }
        startChunk(chunk, true);
      }
      return;
    }
    if (lengthOctets == 1) {
      startChunk(length + b + 192, false);
      return;
    }
    length = (length << 8) | b;
    if (++lengthRead == lengthOctets) {
      startChunk(length, false);
    }
  }

  private void startChunk(long chunkLength, boolean morePartsFollow) {
    partial = morePartsFollow;
    remaining = chunkLength;
    if (remaining == 0) {
      endOfChunk();
      return;
    }
    state = State.BODY;
  }

  private void endOfChunk() {
    if (partial) {
      // Another length header for the same packet.
      chunkHeader = true;
      lengthOctets = -1;
      length = 0;
      lengthRead = 0;
      state = State.LENGTH;
      return;
    }
    if (bodyOffset == 0) {
      // An empty packet: no version, nothing inside.
      state = State.BROKEN;
      return;
    }
    state = State.TAG;
  }

  /** The first body byte of the current packet: the packet's version, where it has one. */
  private boolean version(int v) {
    switch (tag) {
      case TAG_PKESK:
        return v == 3 || v == 6;
      case TAG_SKESK:
        return v == 4 || v == 5 || v == 6;
      case TAG_SEIPD:
        return v == 1 || v == 2;
      case TAG_AEAD:
        return v == 1;
      default:
        return true;
    }
  }

  /** Packets that begin a readable OpenPGP message or key: signature, one-pass signature, keys, compressed, literal. */
  private static boolean isOtherMessageStart(int tag) {
    return tag == 2 || tag == 4 || tag == 5 || tag == 6 || tag == 8 || tag == 11;
  }
}
