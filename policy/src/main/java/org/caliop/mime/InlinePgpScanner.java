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

  /** A scanner reuses its buffer from one body to the next; one per message walk, not thread-safe. */
  public InlinePgpScanner() {
  }

  public Finding scan(InputStream body) throws IOException {
    int headLength = 0;
    boolean inHead = true;
    boolean visible = false;
    int n;
    while ((n = body.read(buf, 0, CHUNK)) >= 0) {
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
