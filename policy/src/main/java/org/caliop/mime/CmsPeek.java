package org.caliop.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

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

  /** The certificates, CRLs and signer infos after opaque signed content: a few certificates, never content. */
  static final int MAX_SIGNATURE_BYTES = 1 << 20;
  private static final int MAX_SMALL_ELEMENT = 1 << 12;

  private final Kind kind;
  private final InputStream content;
  private final Signed signed;

  private CmsPeek(Kind kind, InputStream content) {
    this(kind, content, null);
  }

  private CmsPeek(Kind kind, InputStream content, Signed signed) {
    this.kind = kind;
    this.content = content;
    this.signed = signed;
  }

  public Kind kind() {
    return kind;
  }

  /** The encapsulated content of signed-data (a MIME entity), or null when there is none to read. */
  public InputStream content() {
    return content;
  }

  /** The digest algorithms signed-data announces before its content, to digest the content as it is read. */
  List<ASN1ObjectIdentifier> digestAlgorithms() {
    return signed == null ? List.of() : signed.digestAlgorithms;
  }

  /**
   * For signed-data with content, once {@link #content()} was read to its end: the same SignedData without its
   * content (version, digest algorithms, content type, certificates, CRLs, signer infos), DER-encoded, for a check
   * against digests computed while the content streamed by. Null when what follows the content cannot be read or
   * passes {@value #MAX_SIGNATURE_BYTES} bytes.
   */
  byte[] detachedSignedData() throws IOException {
    if (signed == null || content == null) {
      return null;
    }
    byte[] chunk = new byte[4096];
    while (content.read(chunk, 0, chunk.length) >= 0) {
      // the signature covers all of it; the walk may have stopped early
    }
    return signed.trailer();
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
      // [0] SignedData { version, digestAlgorithms, encapContentInfo { eContentType, [0] eContent OPTIONAL },
      // certificates [0] OPTIONAL, crls [1] OPTIONAL, signerInfos }
      in.expect(0xA0);
      in.length();
      in.expect(0x30);
      in.length();
      Signed signed = new Signed(in);
      in.capture(MAX_SMALL_ELEMENT, 0x02);
      signed.digestAlgorithmSet = in.capture(MAX_SMALL_ELEMENT, 0x31);
      signed.digestAlgorithms = digestAlgorithms(signed.digestAlgorithmSet);
      in.expect(0x30);
      long encap = in.length();
      long encapEnd = encap < 0 ? -1 : in.position + encap;
      signed.encapIndefinite = encap < 0;
      signed.contentType = in.capture(MAX_SMALL_ELEMENT, 0x06);
      boolean hasContent;
      if (encapEnd >= 0) {
        hasContent = in.position < encapEnd;
      } else {
        int tag = in.tag();
        long length = in.length();
        hasContent = !(tag == 0 && length == 0);
        if (hasContent) {
          in.pushBack(tag, length);
        } else {
          signed.encapIndefinite = false;
        }
      }
      if (!hasContent) {
        return new CmsPeek(Kind.SIGNED, null, signed);
      }
      in.expect(0xA0);
      signed.eContentIndefinite = in.length() < 0;
      int tag = in.tag();
      long length = in.length();
      if (tag == 0x04 && length >= 0) {
        return new CmsPeek(Kind.SIGNED, new Chunk(in, length), signed);
      }
      if (tag == 0x24) {
        return new CmsPeek(Kind.SIGNED, new Chunks(in, length), signed);
      }
      return new CmsPeek(Kind.SIGNED, null, null);
    } catch (Malformed e) {
      return new CmsPeek(Kind.UNREADABLE, null);
    }
  }

  private static List<ASN1ObjectIdentifier> digestAlgorithms(byte[] set) {
    List<ASN1ObjectIdentifier> out = new ArrayList<>();
    try {
      for (ASN1Encodable e : ASN1Set.getInstance(ASN1Primitive.fromByteArray(set))) {
        out.add(AlgorithmIdentifier.getInstance(e).getAlgorithm());
      }
    } catch (Exception e) {
      // No digest we can name: the signature will say so.
    }
    return out;
  }

  /** What opaque signed-data holds around its content, kept to check the signature once the content is read. */
  private static final class Signed {
    private final Ber in;
    byte[] digestAlgorithmSet;
    List<ASN1ObjectIdentifier> digestAlgorithms = List.of();
    byte[] contentType;
    boolean encapIndefinite;
    boolean eContentIndefinite;

    Signed(Ber in) {
      this.in = in;
    }

    byte[] trailer() throws IOException {
      try {
        if (eContentIndefinite) {
          in.endOfContents();
        }
        if (encapIndefinite) {
          in.endOfContents();
        }
        byte[] certificates = null;
        byte[] crls = null;
        byte[] signerInfos = null;
        int budget = MAX_SIGNATURE_BYTES;
        while (signerInfos == null) {
          byte[] element = in.capture(budget, -1);
          budget -= element.length;
          int tag = element[0] & 0xFF;
          if (tag == 0xA0 && certificates == null && crls == null) {
            certificates = element;
          } else if (tag == 0xA1 && crls == null) {
            crls = element;
          } else if (tag == 0x31) {
            signerInfos = element;
          } else {
            return null;
          }
        }
        SignedData data = new SignedData(ASN1Set.getInstance(ASN1Primitive.fromByteArray(digestAlgorithmSet)),
            new ContentInfo(ASN1ObjectIdentifier.getInstance(ASN1Primitive.fromByteArray(contentType)), null),
            certificates == null ? null
                : ASN1Set.getInstance((ASN1TaggedObject) ASN1Primitive.fromByteArray(certificates), false),
            crls == null ? null : ASN1Set.getInstance((ASN1TaggedObject) ASN1Primitive.fromByteArray(crls), false),
            ASN1Set.getInstance(ASN1Primitive.fromByteArray(signerInfos)));
        return new ContentInfo(CMSObjectIdentifiers.signedData, data).getEncoded(ASN1Encoding.DER);
      } catch (Malformed | RuntimeException e) {
        return null;
      }
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
    private static final int SKIP_BLOCK = 4096;
    private final InputStream in;
    private long position;
    private ByteArrayOutputStream capture;
    private int captureLimit;
    private byte[] skipped;
    private int pushedTag = -1;
    private long pushedLength;

    Ber(InputStream in) {
      this.in = in;
    }

    int read() throws IOException, Malformed {
      int b = in.read();
      if (b < 0) {
        throw new Malformed();
      }
      position++;
      if (capture != null) {
        if (capture.size() >= captureLimit) {
          throw new Malformed();
        }
        capture.write(b);
      }
      return b;
    }

    /** Gives back a tag and length just read: the next {@link #tag()} and {@link #length()} return them. */
    void pushBack(int tag, long length) {
      pushedTag = tag;
      pushedLength = length;
    }

    /** The bytes of the next element (tag {@code expected}, or any when -1), at most {@code max} of them. */
    byte[] capture(int max, int expected) throws IOException, Malformed {
      capture = new ByteArrayOutputStream(64);
      captureLimit = max;
      try {
        int tag = tag();
        if (expected >= 0 && tag != expected) {
          throw new Malformed();
        }
        skipValue(tag, length(), 0);
        return capture.toByteArray();
      } finally {
        capture = null;
      }
    }

    void endOfContents() throws IOException, Malformed {
      if (tag() != 0 || length() != 0) {
        throw new Malformed();
      }
    }

    int tag() throws IOException, Malformed {
      if (pushedTag >= 0) {
        int t = pushedTag;
        pushedTag = -2;
        return t;
      }
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
      if (pushedTag == -2) {
        pushedTag = -1;
        return pushedLength;
      }
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

    /** In blocks: byte by byte through the decoding streams below was a tenth of judging an S/MIME message. */
    void skip(long n) throws IOException, Malformed {
      long left = n;
      while (left > 0) {
        if (skipped == null) {
          skipped = new byte[SKIP_BLOCK];
        }
        int r = in.read(skipped, 0, (int) Math.min(left, skipped.length));
        if (r <= 0) {
          throw new Malformed();
        }
        position += r;
        if (capture != null) {
          if (capture.size() + r > captureLimit) {
            throw new Malformed();
          }
          capture.write(skipped, 0, r);
        }
        left -= r;
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
