package org.caliop.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Looks through a decoded text body for OpenPGP armor at the start of a line ({@code -----BEGIN PGP MESSAGE-----},
 * {@code -----BEGIN PGP SIGNED MESSAGE-----}), and notes whether the body has any visible text at all. Reads the
 * body in chunks and keeps only the first bytes of the current line; stops reading at the first armor line found.
 */
public final class InlinePgpScanner {
  /** What one text body holds. */
  public enum Finding {
    /** An OpenPGP message block: the text is encrypted (PGP/inline). */
    ENCRYPTED,
    /** A cleartext-signed block: the text is signed but readable. */
    SIGNED,
    /** Readable text and no armor. */
    CLEAR,
    /** Nothing but white space. */
    EMPTY
  }

  private static final byte[] ENCRYPTED_MARKER = "-----BEGIN PGP MESSAGE-----".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SIGNED_MARKER =
      "-----BEGIN PGP SIGNED MESSAGE-----".getBytes(StandardCharsets.US_ASCII);
  private static final int HEAD = SIGNED_MARKER.length;
  private static final int CHUNK = 4096;

  private final byte[] buf = new byte[CHUNK];
  private final byte[] head = new byte[HEAD];
  private int qpState;
  private int qpHigh;

  /** A scanner reuses its buffer from one body to the next; one per message walk, not thread-safe. */
  public InlinePgpScanner() {
  }

  /** Scans a body that is already decoded (or needs no decoding). */
  public Finding scan(InputStream body) throws IOException {
    return scan(body, false);
  }

  /**
   * Scans a body, decoding quoted-printable on the fly when asked: a tight loop over the chunk here costs a fraction
   * of mime4j's byte-at-a-time decoder, and quoted-printable text is the bulk of everyday mail.
   */
  public Finding scan(InputStream body, boolean quotedPrintable) throws IOException {
    qpState = 0;
    int headLength = 0;
    boolean inHead = true;
    boolean visible = false;
    int n;
    while ((n = body.read(buf, 0, CHUNK)) >= 0) {
      if (quotedPrintable) {
        n = decodeQuotedPrintable(buf, n);
      }
      int i = 0;
      while (i < n) {
        if (inHead) {
          // Collect the start of the line, up to the length of the longest marker.
          byte b = buf[i++];
          if (b == '\n') {
            Finding f = match(head, headLength);
            if (f != null) {
              return f;
            }
            headLength = 0;
            continue;
          }
          if (!visible && b != ' ' && b != '\t' && b != '\r') {
            visible = true;
          }
          head[headLength++] = b;
          if (headLength == HEAD || b != '-' && headLength == 1) {
            Finding f = match(head, headLength);
            if (f != null) {
              return f;
            }
            inHead = false;
          }
        } else {
          // Skip to the end of the line; only note visible text until some is seen.
          if (visible) {
            while (i < n && buf[i] != '\n') {
              i++;
            }
          } else {
            while (i < n && buf[i] != '\n') {
              byte b = buf[i++];
              if (b != ' ' && b != '\t' && b != '\r') {
                visible = true;
              }
            }
          }
          if (i < n) {
            i++;
            inHead = true;
            headLength = 0;
          }
        }
      }
    }
    if (inHead) {
      Finding f = match(head, headLength);
      if (f != null) {
        return f;
      }
    }
    return visible ? Finding.CLEAR : Finding.EMPTY;
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

  private static Finding match(byte[] head, int length) {
    if (startsWith(head, length, ENCRYPTED_MARKER)) {
      return Finding.ENCRYPTED;
    }
    if (startsWith(head, length, SIGNED_MARKER)) {
      return Finding.SIGNED;
    }
    return null;
  }

  private static boolean startsWith(byte[] head, int length, byte[] marker) {
    if (length < marker.length) {
      return false;
    }
    for (int i = 0; i < marker.length; i++) {
      if (head[i] != marker[i]) {
        return false;
      }
    }
    return true;
  }
}
