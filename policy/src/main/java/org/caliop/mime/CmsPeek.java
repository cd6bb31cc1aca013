package org.caliop.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads just enough of a CMS (PKCS #7) object to say what it is, and for opaque signed-data gives the signed content
 * as a stream, so the MIME walk can look inside (signed-data is signed, not encrypted: anyone can read it, and so
 * can we). A small BER reader over the decoded part body: no copy of the object is kept.
 *
 * <p>The content type comes from the {@code ContentInfo} OID, never from a MIME parameter. Enveloped-data and
 * authEnveloped-data count only with the shape of ciphertext (RFC 5652 section 6.1, RFC 5083): a version, at least
 * one recipient, then the encrypted content info with its encrypted content present. Anything short of that is
 * {@link Kind#UNREADABLE}.
 */
public final class CmsPeek {
  /** What the CMS object is. */
  public enum Kind {
    ENVELOPED, AUTH_ENVELOPED, SIGNED, COMPRESSED, DATA, OTHER, UNREADABLE
  }

  private static final byte[] PKCS7 = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01};
  private static final int MAX_OID = 64;
  private static final int MAX_SKIP_DEPTH = 32;

  private final Kind kind;
  private final InputStream content;

  private CmsPeek(Kind kind, InputStream content) {
    this.kind = kind;
    this.content = content;
  }

  public Kind kind() {
    return kind;
  }

  /** The encapsulated content of signed-data (a MIME entity), or null when there is none to read. */
  public InputStream content() {
    return content;
  }

  /** Never throws on content; an {@link IOException} only comes from {@code der} itself. */
  public static CmsPeek read(InputStream der) throws IOException {
    Ber in = new Ber(der);
    try {
      in.expect(0x30);
      in.length();
      in.expect(0x06);
      Kind kind = contentKind(in.oid());
      if (kind == Kind.ENVELOPED || kind == Kind.AUTH_ENVELOPED) {
        envelopedShape(in);
        return new CmsPeek(kind, null);
      }
      if (kind != Kind.SIGNED) {
        return new CmsPeek(kind, null);
      }
      in.expect(0xA0);
      in.length();
      in.expect(0x30);
      in.length();
      in.skipElement(0x02);
      in.skipElement(0x31);
      in.expect(0x30);
      in.length();
      in.expect(0x06);
      in.oid();
      int tag = in.tag();
      if (tag != 0xA0) {
        return new CmsPeek(Kind.SIGNED, null);
      }
      in.length();
      tag = in.tag();
      long length = in.length();
      if (tag == 0x04) {
        return new CmsPeek(Kind.SIGNED, new Chunk(in, length));
      }
      if (tag == 0x24) {
        return new CmsPeek(Kind.SIGNED, new Chunks(in, length));
      }
      return new CmsPeek(Kind.SIGNED, null);
    } catch (Malformed e) {
      return new CmsPeek(Kind.UNREADABLE, null);
    }
  }

  /**
   * [0] EnvelopedData (or AuthEnvelopedData) { version, [0] originatorInfo OPTIONAL, recipientInfos SET (not empty),
   * encryptedContentInfo { contentType, contentEncryptionAlgorithm, [0] encryptedContent (present, not empty) } }.
   */
  private static void envelopedShape(Ber in) throws IOException, Malformed {
    in.expect(0xA0);
    in.length();
    in.expect(0x30);
    in.length();
    in.skipElement(0x02);
    int tag = in.tag();
    long length = in.length();
    if (tag == 0xA0) {
      in.skipValue(tag, length, 0);
      tag = in.tag();
      length = in.length();
    }
    if (tag != 0x31 || length == 0) {
      throw new Malformed();
    }
    if (length > 0) {
      in.skip(length);
    } else {
      int recipients = 0;
      for (;;) {
        int inner = in.tag();
        long innerLength = in.length();
        if (inner == 0 && innerLength == 0) {
          break;
        }
        in.skipValue(inner, innerLength, 1);
        recipients++;
      }
      if (recipients == 0) {
        throw new Malformed();
      }
    }
    in.expect(0x30);
    in.length();
    in.expect(0x06);
    in.oid();
    in.skipElement(0x30);
    tag = in.tag();
    length = in.length();
    if (tag != 0x80 && tag != 0xA0 || length == 0) {
      throw new Malformed();
    }
    if (tag == 0xA0 && length < 0) {
      // Constructed, indefinite: the first chunk must be an octet string with bytes in it.
      in.expect(0x04);
      if (in.length() <= 0) {
        throw new Malformed();
      }
    }
  }

  private static Kind contentKind(byte[] oid) {
    if (oid.length == 9 && startsWith(oid, PKCS7) && oid[7] == 0x07) {
      switch (oid[8]) {
        case 1:
          return Kind.DATA;
        case 2:
          return Kind.SIGNED;
        case 3:
          return Kind.ENVELOPED;
        default:
          return Kind.OTHER;
      }
    }
    // id-ct-* under 1.2.840.113549.1.9.16.1: authEnvelopedData is .23, compressedData .9
    if (oid.length == 11 && startsWith(oid, PKCS7) && oid[7] == 0x09 && oid[8] == 0x10 && oid[9] == 0x01) {
      if (oid[10] == 23) {
        return Kind.AUTH_ENVELOPED;
      }
      if (oid[10] == 9) {
        return Kind.COMPRESSED;
      }
    }
    return Kind.OTHER;
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length && Arrays.equals(Arrays.copyOf(a, prefix.length), prefix);
  }

  /** Not CMS, or not as we expect it. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super(null, null, false, false);
    }
  }

  /** A BER reader: tags, lengths (-1 for indefinite), skipping, counting what it read. */
  private static final class Ber {
    private final InputStream in;
    private long position;

    Ber(InputStream in) {
      this.in = in;
    }

    int read() throws IOException, Malformed {
      int b = in.read();
      if (b < 0) {
        throw new Malformed();
      }
      position++;
      return b;
    }

    int tag() throws IOException, Malformed {
      int t = read();
      if ((t & 0x1F) == 0x1F) {
        throw new Malformed();
      }
      return t;
    }

    void expect(int tag) throws IOException, Malformed {
      if (tag() != tag) {
        throw new Malformed();
      }
    }

    long length() throws IOException, Malformed {
      int first = read();
      if (first < 0x80) {
        return first;
      }
      if (first == 0x80) {
        return -1;
      }
      int bytes = first & 0x7F;
      if (bytes > 4) {
        throw new Malformed();
      }
      long length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | read();
      }
      return length;
    }

    byte[] oid() throws IOException, Malformed {
      long length = length();
      if (length < 1 || length > MAX_OID) {
        throw new Malformed();
      }
      byte[] oid = new byte[(int) length];
      for (int i = 0; i < oid.length; i++) {
        oid[i] = (byte) read();
      }
      return oid;
    }

    void skipElement(int tag) throws IOException, Malformed {
      expect(tag);
      skipValue(tag, length(), 0);
    }

    void skipValue(int tag, long length, int depth) throws IOException, Malformed {
      if (length >= 0) {
        skip(length);
        return;
      }
      if ((tag & 0x20) == 0 || depth > MAX_SKIP_DEPTH) {
        throw new Malformed();
      }
      for (;;) {
        int inner = tag();
        long innerLength = length();
        if (inner == 0 && innerLength == 0) {
          return;
        }
        skipValue(inner, innerLength, depth + 1);
      }
    }

    void skip(long n) throws IOException, Malformed {
      for (long i = 0; i < n; i++) {
        read();
      }
    }
  }

  /** The bytes of one primitive OCTET STRING. */
  private static final class Chunk extends InputStream {
    private final Ber in;
    private long remaining;

    Chunk(Ber in, long length) {
      this.in = in;
      this.remaining = Math.max(length, 0);
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.in.read();
      if (b < 0) {
        remaining = 0;
        return -1;
      }
      in.position++;
      remaining--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        remaining = 0;
        return -1;
      }
      in.position += n;
      remaining -= n;
      return n;
    }
  }

  /** The bytes of a constructed OCTET STRING: primitive chunks, up to its length or its end-of-contents. */
  private static final class Chunks extends InputStream {
    private final Ber in;
    private final long end;
    private Chunk current;
    private boolean done;

    Chunks(Ber in, long length) {
      this.in = in;
      this.end = length < 0 ? -1 : in.position + length;
    }

    private boolean advance() throws IOException {
      while (!done && (current == null || current.remaining <= 0)) {
        if (end >= 0 && in.position >= end) {
          done = true;
          break;
        }
        try {
          int tag = in.tag();
          long length = in.length();
          if (tag == 0 && length == 0 || tag != 0x04 || length < 0) {
            done = true;
            break;
          }
          current = new Chunk(in, length);
        } catch (Malformed e) {
          done = true;
        }
      }
      return !done;
    }

    @Override
    public int read() throws IOException {
      while (advance()) {
        int b = current.read();
        if (b >= 0) {
          return b;
        }
        current.remaining = 0;
      }
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (advance()) {
        int n = current.read(b, off, len);
        if (n > 0) {
          return n;
        }
        current.remaining = 0;
        if (n < 0) {
          done = true;
        }
      }
      return -1;
    }
  }
}
